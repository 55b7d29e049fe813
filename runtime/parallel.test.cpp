// The work-stealing pool and the parallel runtime, driven by pieces written in C++ (a closure
// whose entry is a C++ function, exactly what compiled pieces look like to the run time).
#include "runtime/parallel.hpp"

#include "runtime/containers.hpp"
#include "runtime/dyn.hpp"
#include "runtime/format.hpp"
#include "runtime/pool.hpp"

#include <catch2/catch.hpp>

#include <atomic>
#include <cmath>
#include <condition_variable>
#include <mutex>
#include <set>
#include <thread>

using namespace shoal::rt;

namespace {

std::atomic<int> pieces_run{0};
std::mutex seen_mu;
std::set<int> seen_workers;

/// piece(lo, hi): the sum of f(k) over range(lo, hi), f(k) = k*k % 1000 (ints) — or, with a
/// non-null env, 0.1 * k (floats), left to right, as compiled code would do it.
Val range_piece(Ctx* c, int64_t, Val* args, int64_t, void* env) {
  (void)c;
  pieces_run++;
  {
    std::lock_guard<std::mutex> lock(seen_mu);
    seen_workers.insert(Pool::current_worker());
  }
  int64_t lo = int64_t(args[0].bits), hi = int64_t(args[1].bits);
  volatile double spin = 0; // some work per element, so that splitting pays
  for (int i = 0; i < 200; ++i)
    spin = spin + 1;
  if (env) {
    double t = 0;
    for (int64_t k = lo; k < hi; ++k)
      t += 0.1 * double(k);
    return box_float(t);
  }
  int64_t t = 0;
  for (int64_t k = lo; k < hi; ++k) {
    for (int i = 0; i < 50; ++i)
      spin = spin + 1;
    t += k * k % 1000;
  }
  return box_int(t);
}

/// piece(view): raises ValueError at the elements 3000 and 6000; else the list's length.
Val raising_piece(Ctx* c, int64_t, Val* args, int64_t, void*) {
  List* l = as<List>(args[0]);
  for (int64_t i = 0; i < l->n; ++i)
    if (l->items[i].bits == 3000 || l->items[i].bits == 6000) {
      raise(c, ExcKind::ValueError, "bad " + std::to_string(l->items[i].bits));
      return none();
    }
  return box_int(l->n);
}

Val closure(CallEntry entry, void* env = nullptr) {
  auto* cl = static_cast<Closure*>(gc_alloc(sizeof(Closure)));
  cl->entry = reinterpret_cast<void*>(entry);
  cl->env = env;
  return box_ptr(Tag::Func, cl);
}

Val empty_tuple() { return tuple_new(0, nullptr); }

/// Runs fn on a worker of a pool of n and waits for it.
template <class F> void on_pool(unsigned n, F fn) {
  Pool pool(PoolOptions{n, size_t(64) << 20});
  std::mutex mu;
  std::condition_variable cv;
  bool done = false;
  pool.post([&] {
    fn(pool);
    std::lock_guard<std::mutex> lock(mu);
    done = true;
    cv.notify_all();
  });
  std::unique_lock<std::mutex> lock(mu);
  REQUIRE(cv.wait_for(lock, std::chrono::seconds(60), [&] { return done; }));
}

Val par_sum(Ctx* c, Val piece, int64_t n, bool exact) {
  Val vals[4] = {piece, none(), empty_tuple(), none()};
  return shoal_rt_par(c, int64_t(ParKind::Sum), exact ? par_exact : 0, "test:sum", 1, vals, 0, n, 1);
}

} // namespace

TEST_CASE("a parallel sum over a range equals the sequential one and uses both workers", "[runtime][parallel]") {
  gc_init();
  int64_t expected = 0;
  for (int64_t k = 0; k < 200000; ++k)
    expected += k * k % 1000;
  seen_workers.clear();
  on_pool(2, [&](Pool& pool) {
    Ctx c{};
    c.depth_limit = 1000;
    c.idle = pool.idle();
    Trace trace;
    c.trace = &trace;
    Val r = par_sum(&c, closure(&range_piece), 200000, true);
    REQUIRE(c.exc == nullptr);
    CHECK(r.tag == Tag::Int);
    CHECK(int64_t(r.bits) == expected);
    // the split tree: one construct and its pieces, covering the range once
    std::lock_guard<std::mutex> lock(trace.mu);
    REQUIRE_FALSE(trace.events.empty());
    int64_t covered = 0;
    for (auto& e : trace.events)
      if (e.what == "piece")
        covered += e.hi - e.lo;
    CHECK(covered == 200000);
  });
  CHECK(seen_workers.size() == 2);
}

TEST_CASE("an inexact sum is combined in the same blocks on 1, 2 and 4 workers", "[runtime][parallel]") {
  gc_init();
  int dummy = 0;
  std::vector<double> results;
  for (unsigned w : {1u, 2u, 4u})
    on_pool(w, [&](Pool& pool) {
      Ctx c{};
      c.idle = pool.idle();
      Val r = par_sum(&c, closure(&range_piece, &dummy), 1000000, false);
      REQUIRE(c.exc == nullptr);
      results.push_back(unbox_float(r));
    });
  CHECK(results[0] == results[1]);
  CHECK(results[1] == results[2]);
  double exact = 0.1 * (999999.0 * 1000000.0 / 2);
  CHECK(std::abs(results[0] - exact) / exact < 1e-12);
}

TEST_CASE("tiny ranges are declined, and exact ones off an idle pool too", "[runtime][parallel]") {
  gc_init();
  on_pool(2, [&](Pool& pool) {
    Ctx c{};
    c.idle = pool.idle();
    pieces_run = 0;
    Val r = par_sum(&c, closure(&range_piece), 1, true);
    CHECK(r.tag == Tag::Dummy); // the caller runs its sequential code
    CHECK(pieces_run == 0);
  });
  Ctx off{}; // not on a pool: an exact construct is always left to the sequential code
  CHECK(par_sum(&off, closure(&range_piece), 100000, true).tag == Tag::Dummy);
}

TEST_CASE("the first exception in index order wins, whatever the schedule", "[runtime][parallel]") {
  gc_init();
  List* xs = list_new(9000);
  for (int64_t i = 0; i < 9000; ++i)
    xs->items[i] = box_int(i);
  for (unsigned w : {1u, 2u, 4u})
    on_pool(w, [&](Pool& pool) {
      Ctx c{};
      c.idle = pool.idle();
      Val vals[4] = {closure(&raising_piece), box_ptr(Tag::List, xs), empty_tuple(), none()};
      Val r = shoal_rt_par(&c, int64_t(ParKind::Sum), par_exact, "test:raise", 1, vals, 0, 0, 0);
      if (w == 1) { // one worker: declined, the sequential code raises
        CHECK(r.tag == Tag::Dummy);
        return;
      }
      REQUIRE(c.exc != nullptr);
      CHECK(exc_message(c.exc) == "bad 3000");
      CHECK(xs->frozen == nullptr); // the list is mutable again afterwards
    });
}

TEST_CASE("Pool::spawn and join run a task once, here or on a thief", "[runtime][parallel]") {
  gc_init();
  struct Count : Task {
    std::atomic<int>* n;
  };
  std::atomic<int> n{0};
  on_pool(2, [&](Pool& pool) {
    std::vector<Count*> tasks;
    for (int i = 0; i < 100; ++i) {
      auto* t = new (gc_alloc_uncollectable(sizeof(Count))) Count();
      t->n = &n;
      t->run = [](Task* self) { ++*static_cast<Count*>(self)->n; };
      REQUIRE(pool.spawn(t));
      tasks.push_back(t);
    }
    for (auto it = tasks.rbegin(); it != tasks.rend(); ++it) {
      pool.join(*it);
      CHECK((*it)->state.load() == 2);
      (*it)->~Count();
      gc_free(*it);
    }
  });
  CHECK(n == 100);
  Pool idle(PoolOptions{1, size_t(8) << 20});
  Task t;
  CHECK_FALSE(idle.spawn(&t)); // not on one of its workers
}
