#include "runtime/parallel.hpp"

#include "runtime/containers.hpp"
#include "runtime/cost_model.hpp"
#include "runtime/dyn.hpp"
#include "runtime/pool.hpp"

#include <gc/gc_allocator.h>

#include <algorithm>
#include <climits>

namespace shoal::rt {

int64_t Trace::reserve() {
  std::lock_guard<std::mutex> lock(mu);
  return next_id++;
}

void Trace::record(TraceEvent e) {
  std::lock_guard<std::mutex> lock(mu);
  if (events.size() >= limit) {
    truncated = true;
    return;
  }
  events.push_back(std::move(e));
}

double Trace::now() const { return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count(); }

int64_t& current_trace_parent() {
  thread_local int64_t parent = 0;
  return parent;
}

namespace {

using clock = std::chrono::steady_clock;
double seconds_since(clock::time_point t) { return std::chrono::duration<double>(clock::now() - t).count(); }

Val declined() { return {Tag::Dummy, 0}; }

/// A context for work done on behalf of `parent` on another worker: same limits and depth, its
/// own pending exception.
Ctx child_ctx(const Ctx* parent, std::string* out) {
  Ctx c{};
  c.depth = parent->depth;
  c.depth_limit = parent->depth_limit;
  c.memory_limit = parent->memory_limit;
  c.out = out;
  c.idle = parent->idle;
  c.trace = parent->trace;
  return c;
}

/// One chunk's outcome.
struct Chunk {
  int64_t lo, hi;
  Val result;
  Exc* exc;
};

/// The state of one parallel construct while its chunks run.
struct ParJob {
  Ctx* parent;
  Pool* pool;
  ParKind kind;
  bool exact;
  std::string key;
  int64_t line;
  int64_t trace_id = 0;
  Val piece, caps;
  bool is_range;
  int64_t start, step; ///< range sequences
  Val* items;          ///< list and tuple sequences
  Tuple* zipped;       ///< zip(a, b, ...) of lists and tuples: the sequences
  int64_t n;
  int64_t block;       ///< inexact: chunk bounds are multiples of this
  bool can_split;      ///< false: the chunks run in order on this thread
  std::atomic<int64_t> cancel_at{INT64_MAX}; ///< chunks from here on cannot change the result
  std::atomic<int64_t> elems_done{0};
  std::atomic<int64_t> outstanding{0}; ///< ranges handed to other workers and not finished yet
  std::atomic<int64_t> ns_done{0};
  double predicted_per_elem = -1; ///< from the cost model, seconds
  std::mutex mu;
  std::vector<Chunk, gc_allocator<Chunk>> chunks;
  std::vector<TraceEvent> events; ///< the pieces' records, kept if the construct was split
  std::atomic<int> splits{0};

  double per_elem() const {
    int64_t e = elems_done.load(std::memory_order_relaxed);
    if (e > 0)
      return double(ns_done.load(std::memory_order_relaxed)) * 1e-9 / double(e);
    return predicted_per_elem;
  }
};

/// A range [lo, hi) of a job split off for another worker.
struct ParTask : Task {
  ParJob* job;
  int64_t lo, hi;
  int64_t trace_parent;
};

/// Whether a chunk result decides the construct (any: a true value, all: a false one).
bool decisive(ParKind k, Val r) {
  if (k == ParKind::Any)
    return dyn_truthy(r);
  if (k == ParKind::All)
    return !dyn_truthy(r);
  return false;
}

/// A list sharing items[lo, hi): what a piece iterates (frozen: pieces only read it).
Val view_of_items(Val* items, int64_t lo, int64_t hi) {
  auto* view = static_cast<List*>(gc_alloc(sizeof(List)));
  view->n = view->cap = hi - lo;
  view->items = items + lo;
  view->frozen = "a parallel piece's input";
  return box_ptr(Tag::List, view);
}

Val* items_of(Val seq) { return seq.tag == Tag::List ? as<List>(seq)->items : as<Tuple>(seq)->items; }
int64_t length_of(Val seq) { return seq.tag == Tag::List ? as<List>(seq)->n : as<Tuple>(seq)->n; }
Val view_of(Val seq, int64_t lo, int64_t hi) { return view_of_items(items_of(seq), lo, hi); }

/// The elements of a list or tuple, or the shortest length of a tuple of them (zip); false for
/// anything else.
bool sequence_items(Val seq, bool zip, int64_t* n, Val** items, Tuple** zipped) {
  if (!zip && (seq.tag == Tag::List || seq.tag == Tag::Tuple)) {
    *n = length_of(seq);
    *items = items_of(seq);
    return true;
  }
  if (!zip || seq.tag != Tag::Tuple)
    return false;
  Tuple* t = as<Tuple>(seq);
  *n = INT64_MAX;
  for (int64_t k = 0; k < t->n; ++k) {
    if (t->items[k].tag != Tag::List && t->items[k].tag != Tag::Tuple)
      return false;
    *n = std::min(*n, length_of(t->items[k]));
  }
  *zipped = t;
  return true;
}

double run_chunk(ParJob& j, Ctx* c, int64_t lo, int64_t hi) {
  Val args[2 + 16];
  int64_t nargs = 0;
  if (j.is_range) {
    args[nargs++] = box_int(j.start + lo * j.step);
    args[nargs++] = box_int(j.start + hi * j.step);
  } else if (j.zipped) {
    for (int64_t k = 0; k < j.zipped->n; ++k)
      args[nargs++] = view_of(j.zipped->items[k], lo, hi);
  } else {
    args[nargs++] = view_of_items(j.items, lo, hi);
  }
  auto* caps = as<Tuple>(j.caps);
  for (int64_t i = 0; i < caps->n && nargs < int64_t(std::size(args)); ++i)
    args[nargs++] = caps->items[i];
  Trace* trace = c->trace;
  TraceEvent ev;
  if (trace) {
    ev = {trace->reserve(), current_trace_parent(), "piece", j.line, lo, hi, Pool::current_worker(), trace->now(), 0};
    current_trace_parent() = ev.id; // constructs inside the piece hang under it
  }
  auto t0 = clock::now();
  Val r = call_value(c, j.piece, nargs, args);
  double s = seconds_since(t0);
  if (trace) {
    current_trace_parent() = ev.parent;
    ev.seconds = s;
  }
  Exc* e = c->exc;
  c->exc = nullptr;
  j.elems_done.fetch_add(hi - lo, std::memory_order_relaxed);
  if (j.pool)
    j.pool->pieces_done.fetch_add(1, std::memory_order_relaxed);
  j.ns_done.fetch_add(int64_t(s * 1e9), std::memory_order_relaxed);
  if (e || decisive(j.kind, r)) {
    int64_t at = j.cancel_at.load();
    while (hi < at && !j.cancel_at.compare_exchange_weak(at, hi)) {
    }
  }
  std::lock_guard<std::mutex> lock(j.mu);
  j.chunks.push_back({lo, hi, r, e});
  if (trace)
    j.events.push_back(std::move(ev));
  return s;
}

/// The next chunk's size: inexact constructs take their fixed blocks; exact ones start from the
/// cost model's prediction (or one element) and double or halve until a chunk takes about
/// PoolOptions::chunk_seconds, so that idle workers are noticed that often.
int64_t chunk_size(const ParJob& j, int64_t remaining, int64_t last, double last_seconds) {
  if (!j.exact)
    return std::min(j.block, remaining);
  double target = j.pool ? j.pool->options().chunk_seconds : 20e-6;
  int64_t size;
  if (last == 0)
    size = j.predicted_per_elem > 0 ? int64_t(target / j.predicted_per_elem) : 1;
  else if (last_seconds < target / 2)
    size = last * 2;
  else if (last_seconds > target * 2)
    size = last / 2;
  else
    size = last;
  return std::clamp<int64_t>(size, 1, remaining);
}

/// Split only what is known to be worth it: until the first chunk is measured (or the cost
/// model predicts), nothing is split, so that tiny inputs never are.
bool worth_splitting(const ParJob& j, int64_t remaining) {
  double pe = j.per_elem();
  return pe >= 0 && pe * double(remaining) >= j.pool->options().split_threshold_seconds;
}

void run_range(ParJob& j, Ctx* c, int64_t lo, int64_t hi, bool stolen);

void par_task_main(Task* t) {
  auto* pt = static_cast<ParTask*>(t);
  ParJob& j = *pt->job;
  int64_t lo = pt->lo, hi = pt->hi, parent = pt->trace_parent;
  pt->~ParTask();
  gc_free(pt);
  {
    std::string out;
    Ctx c = child_ctx(j.parent, &out);
    CallScope scope(&c);
    int64_t saved = current_trace_parent();
    current_trace_parent() = parent;
    run_range(j, &c, lo, hi, true);
    current_trace_parent() = saved;
  }
  j.outstanding.fetch_sub(1, std::memory_order_release);
}

/// Hands [lo, hi) to whichever worker takes it; false when it could not (run it here then).
bool offer(ParJob& j, int64_t lo, int64_t hi) {
  auto* t = new (gc_alloc_uncollectable(sizeof(ParTask))) ParTask();
  t->run = &par_task_main;
  t->detached = true;
  t->job = &j;
  t->lo = lo;
  t->hi = hi;
  t->trace_parent = current_trace_parent();
  j.outstanding.fetch_add(1, std::memory_order_relaxed);
  if (j.pool->spawn(t)) {
    j.splits.fetch_add(1, std::memory_order_relaxed);
    return true;
  }
  j.outstanding.fetch_sub(1, std::memory_order_relaxed);
  t->~ParTask();
  gc_free(t);
  return false;
}

/// Runs chunks of [lo, hi) in order; while a worker is idle and the rest is worth it, hands the
/// upper half of what remains to it (lazy binary splitting). A worker running a range it took
/// from another hands the rest back when a new call waits for a worker.
void run_range(ParJob& j, Ctx* c, int64_t lo, int64_t hi, bool stolen) {
  int64_t last = 0;
  double last_seconds = 0;
  while (lo < hi && lo < j.cancel_at.load(std::memory_order_relaxed)) {
    int64_t unit = j.exact ? 1 : j.block;
    // progress first: at least one chunk per range before handing the rest back
    if (stolen && last > 0 && Pool::at_top_level() && j.pool->calls_waiting() && offer(j, lo, hi))
      return;
    if (j.can_split && hi - lo >= 2 * unit && j.pool->idle()->load(std::memory_order_relaxed) > 0 &&
        worth_splitting(j, hi - lo)) {
      int64_t mid = lo + ((hi - lo) / unit / 2) * unit;
      if (offer(j, mid, hi)) {
        hi = mid;
        continue;
      }
    }
    int64_t size = chunk_size(j, hi - lo, last, last_seconds);
    last_seconds = run_chunk(j, c, lo, lo + size);
    last = size;
    lo += size;
  }
}

BinOp fold_op(ParKind k) {
  switch (k) {
  case ParKind::FoldMul:
  case ParKind::FoldIMul: return BinOp::Mul;
  default: return BinOp::Add;
  }
}

/// acc combined with the next chunk's result, as the sequential code would have combined them.
Val combine(Ctx* c, ParKind k, Val acc, Val r) {
  switch (k) {
  case ParKind::Sum:
  case ParKind::FoldAdd:
  case ParKind::FoldMul: return dyn_binop(c, fold_op(k), acc, r);
  case ParKind::FoldIAdd:
  case ParKind::FoldIMul: return dyn_binop(c, fold_op(k), acc, r, true);
  case ParKind::Min:
  case ParKind::FoldMin: return dyn_compare(c, CmpOp::Lt, r, acc) == 1 ? r : acc;
  case ParKind::Max:
  case ParKind::FoldMax: return dyn_compare(c, CmpOp::Gt, r, acc) == 1 ? r : acc;
  case ParKind::Any:
  case ParKind::FoldOr: return dyn_truthy(acc) ? acc : r;
  case ParKind::All:
  case ParKind::FoldAnd: return dyn_truthy(acc) ? r : acc;
  case ParKind::List: break;
  }
  return acc;
}

bool is_fold(ParKind k) { return k >= ParKind::FoldAdd; }

/// The construct's value from its chunks, in index order; the first exception in that order
/// wins unless an earlier chunk already decided the result (any/all, or/and).
Val finish(ParJob& j, Val init) {
  Ctx* c = j.parent;
  std::sort(j.chunks.begin(), j.chunks.end(), [](const Chunk& a, const Chunk& b) { return a.lo < b.lo; });
  if (j.kind == ParKind::List) {
    int64_t total = 0;
    for (auto& ch : j.chunks) {
      if (ch.exc) {
        c->exc = ch.exc;
        return none();
      }
      total += as<List>(ch.result)->n;
    }
    List* out = list_new(total);
    int64_t k = 0;
    for (auto& ch : j.chunks) {
      List* l = as<List>(ch.result);
      std::copy(l->items, l->items + l->n, out->items + k);
      k += l->n;
    }
    return box_ptr(Tag::List, out);
  }
  bool have = is_fold(j.kind);
  Val acc = init;
  for (auto& ch : j.chunks) {
    if (have && (j.kind == ParKind::FoldOr || j.kind == ParKind::Any) && dyn_truthy(acc))
      break;
    if (have && (j.kind == ParKind::FoldAnd || j.kind == ParKind::All) && !dyn_truthy(acc))
      break;
    if (ch.exc) {
      c->exc = ch.exc;
      return none();
    }
    if (ch.result.tag == Tag::Dummy) // a guarded accumulation none of whose elements passed
      continue;
    acc = have ? combine(c, j.kind, acc, ch.result) : ch.result;
    have = true;
    if (c->exc)
      return none();
  }
  return acc;
}

/// Cost-model key of a construct and its feature (the number of elements).
std::vector<double> size_feature(int64_t n) { return {double(n)}; }

} // namespace
} // namespace shoal::rt

using namespace shoal::rt;

extern "C" Val shoal_rt_par(Ctx* c, int64_t kind, int64_t flags, const char* key, int64_t line, const Val* vals,
                            int64_t start, int64_t stop, int64_t step) {
  Val piece = vals[0], seq = vals[1], caps = vals[2], init = vals[3];
  Pool* pool = Pool::current();
  int64_t n = 0;
  Val* items = nullptr;
  Tuple* zipped = nullptr;
  bool is_range = seq.tag == Tag::None;
  if (is_range) {
    if (step == 0)
      return declined(); // the sequential code raises CPython's ValueError
    RangeObj r{start, stop, step};
    n = int64_t(range_len(&r));
    // the pieces' bounds start + k * step must stay in int64
    if (__builtin_mul_overflow(n, step, &stop) || __builtin_add_overflow(start, stop, &stop))
      return declined();
  } else if (!sequence_items(seq, flags & par_zip, &n, &items, &zipped)) {
    return declined();
  }
  auto k = ParKind(kind & (par_heavy - 1));
  bool exact = flags & par_exact;
  int64_t min_block = (kind & par_heavy) ? par_heavy_min_block : par_min_block;
  double predicted = pool ? pool->predict(key, size_feature(n)) : -1;
  bool can_split = pool && pool->workers() >= 2 && n >= 2 &&
                   !(predicted >= 0 && predicted < pool->options().split_threshold_seconds);
  // an inexact reduction of more than one block always combines block by block, whatever the
  // schedule or the number of workers, so that its result never depends on them
  bool must_block = !exact && n > min_block;
  if (!can_split && !must_block) {
    c->par_skip = par_skip_after_decline;
    return declined();
  }
  ParJob j;
  j.parent = c;
  j.pool = pool;
  j.kind = k;
  j.exact = exact;
  j.can_split = can_split;
  j.key = key;
  j.line = line;
  j.piece = piece;
  j.caps = caps;
  j.is_range = is_range;
  j.start = start;
  j.step = step;
  j.items = items;
  j.zipped = zipped;
  j.n = n;
  j.block = std::max<int64_t>(min_block, (n + 127) / 128);
  j.predicted_per_elem = predicted >= 0 ? predicted / double(n) : -1;
  // a list the pieces read is frozen while they run: a mutation the analysis missed raises
  // ImmutabilityError instead of racing
  const char* was_frozen = nullptr;
  if (seq.tag == Tag::List && !zipped) {
    was_frozen = as<List>(seq)->frozen;
    if (!was_frozen)
      as<List>(seq)->frozen = "a parallel loop's input";
  }
  Trace* trace = c->trace;
  int64_t saved_parent = current_trace_parent();
  double started = trace ? trace->now() : 0;
  if (trace) {
    j.trace_id = trace->reserve();
    current_trace_parent() = j.trace_id;
  }
  auto t0 = clock::now();
  Exc* pending = c->exc;
  c->exc = nullptr;
  run_range(j, c, 0, n, false);
  if (j.outstanding.load(std::memory_order_acquire) > 0)
    pool->help_until([&j] { return j.outstanding.load(std::memory_order_acquire) == 0; });
  c->exc = pending;
  if (seq.tag == Tag::List && !zipped)
    as<List>(seq)->frozen = was_frozen;
  if (trace) {
    current_trace_parent() = saved_parent;
    if (j.splits.load() > 0) {
      trace->record({j.trace_id, saved_parent, key, line, 0, n, Pool::current_worker(), started, seconds_since(t0)});
      for (auto& e : j.events)
        trace->record(std::move(e));
    }
  }
  if (pool)
    pool->record(key, size_feature(n), double(j.ns_done.load()) * 1e-9);
  return finish(j, init);
}

namespace {

/// One of several independent calls run at once.
struct CallTask : Task {
  Ctx* parent;
  void* entry;
  void* env;
  Val* args;
  int64_t nargs;
  Val result;
  Exc* exc;
  const char* key;
  int64_t line;
  int64_t trace_parent;
};

void call_task_run(CallTask* t, Ctx* c) {
  Trace* trace = c->trace;
  int64_t id = trace ? trace->reserve() : 0;
  double started = trace ? trace->now() : 0;
  int64_t saved = current_trace_parent();
  current_trace_parent() = id ? id : t->trace_parent;
  auto t0 = clock::now();
  int64_t depth = ++c->depth;
  t->result = reinterpret_cast<CallEntry>(t->entry)(c, depth, t->args, t->nargs, t->env);
  --c->depth;
  double s = seconds_since(t0);
  current_trace_parent() = saved;
  if (trace)
    trace->record({id, t->trace_parent, t->key, t->line, 0, 0, Pool::current_worker(), started, s});
  t->exc = c->exc;
  c->exc = nullptr;
  if (Pool* p = Pool::current()) {
    p->pieces_done.fetch_add(1, std::memory_order_relaxed);
    p->record(t->key, features_of(t->args, size_t(t->nargs)), s);
  }
}

void call_task_main(Task* t) {
  auto* ct = static_cast<CallTask*>(t);
  std::string out;
  Ctx c = child_ctx(ct->parent, &out);
  CallScope scope(&c);
  call_task_run(ct, &c);
}

} // namespace

extern "C" int64_t shoal_rt_fork(Ctx* c, int64_t n, const char* const* keys, void* const* entries, void* const* envs,
                                 const Val* args, const int64_t* nargs, Val* out, int64_t line, int64_t* frontier,
                                 int64_t depth) {
  Pool* pool = Pool::current();
  if (!pool || pool->workers() < 2 || n < 2)
    return 0;
  // predictions first: a decline (the common case near the leaves of a recursion) allocates nothing
  std::vector<double> predicted;
  double longest = -1;
  const Val* a = args;
  for (int64_t i = 0; i < n; ++i) {
    predicted.push_back(pool->predict(keys[i], features_of(a, size_t(nargs[i]))));
    longest = std::max(longest, predicted.back());
    a += nargs[i];
  }
  bool all_known = std::all_of(predicted.begin(), predicted.end(), [](double p) { return p >= 0; });
  if (all_known && longest < pool->options().split_threshold_seconds) {
    if (frontier && depth - 1 < *frontier)
      *frontier = depth - 1;
    else if (!frontier)
      c->par_skip = par_skip_after_decline; // a small fork in a loop: ask again much later
    return 0;
  }
  if (frontier && all_known && depth >= *frontier)
    *frontier = depth + 1;
  std::vector<CallTask*> tasks;
  a = args;
  for (int64_t i = 0; i < n; ++i) {
    auto* t = new (gc_alloc_uncollectable(sizeof(CallTask))) CallTask();
    t->run = &call_task_main;
    t->parent = c;
    t->entry = entries[i];
    t->env = envs[i];
    t->args = const_cast<Val*>(a);
    t->nargs = nargs[i];
    t->key = keys[i];
    t->line = line;
    t->trace_parent = current_trace_parent();
    a += nargs[i];
    tasks.push_back(t);
  }
  auto release = [&] {
    for (auto* t : tasks) {
      t->~CallTask();
      gc_free(t);
    }
  };
  // the longest predicted call runs here; the others are offered to idle workers, longer ones
  // first (thieves take the oldest)
  std::vector<size_t> order(static_cast<size_t>(n), 0);
  for (size_t i = 0; i < order.size(); ++i)
    order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](size_t x, size_t y) { return predicted[x] > predicted[y]; });
  std::vector<CallTask*> offered;
  std::vector<CallTask*> here{tasks[order[0]]};
  for (size_t k = 1; k < order.size(); ++k)
    (pool->spawn(tasks[order[k]]) ? offered : here).push_back(tasks[order[k]]);
  Exc* pending = c->exc;
  c->exc = nullptr;
  for (auto* t : here)
    call_task_run(t, c);
  for (auto it = offered.rbegin(); it != offered.rend(); ++it)
    pool->join(*it);
  c->exc = pending;
  for (int64_t i = 0; i < n; ++i) {
    if (tasks[size_t(i)]->exc) {
      c->exc = tasks[size_t(i)]->exc;
      break;
    }
    out[i] = tasks[size_t(i)]->result;
  }
  release();
  return 1;
}
