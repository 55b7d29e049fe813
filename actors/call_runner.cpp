#include "actors/call_runner.hpp"

#include "bus/shoal.capnp.h"
#include "runtime/containers.hpp"
#include "runtime/format.hpp"
#include "runtime/objects.hpp"
#include "runtime/numeric.hpp"
#include "runtime/parallel.hpp"
#include "runtime/pool.hpp"
#include "runtime/cost_model.hpp"
#include "actors/status.hpp"

#include <capnp/message.h>

#include <chrono>

namespace shoal::actors {

namespace {

/// The compiled program's classes (rt::ClassObj*), to build the instances among the arguments.
struct ClassTable {
  const void* const* classes = nullptr;
  size_t n = 0;
};
thread_local ClassTable arg_classes;

rt::Val to_val(rt::Ctx* c, wire::Value::Reader v) {
  switch (v.which()) {
  case wire::Value::NONE: return rt::none();
  case wire::Value::BOOL: return rt::box_bool(v.getBool());
  case wire::Value::INT: return rt::box_int(v.getInt());
  case wire::Value::BIG_INT: return rt::int_from_hex(v.getBigInt().cStr());
  case wire::Value::FLOAT: return rt::box_float(v.getFloat());
  case wire::Value::STR: {
    auto s = v.getStr();
    return rt::box_ptr(rt::Tag::Str, rt::str_new(s.cStr(), int64_t(s.size())));
  }
  case wire::Value::TUPLE: {
    auto items = v.getTuple();
    auto* t = static_cast<rt::Tuple*>(rt::gc_alloc(sizeof(rt::Tuple) + sizeof(rt::Val) * items.size()));
    t->n = int64_t(items.size());
    for (unsigned i = 0; i < items.size(); ++i)
      t->items[i] = to_val(c, items[i]);
    return rt::box_ptr(rt::Tag::Tuple, t);
  }
  case wire::Value::LIST: {
    auto items = v.getList();
    rt::List* l = rt::list_new(int64_t(items.size()));
    for (unsigned i = 0; i < items.size(); ++i)
      l->items[i] = to_val(c, items[i]);
    return rt::box_ptr(rt::Tag::List, l);
  }
  case wire::Value::DICT: {
    auto items = v.getDict();
    rt::Table* d = rt::dict_new(int64_t(items.size() / 2));
    for (unsigned i = 0; i + 1 < items.size(); i += 2)
      rt::dict_set(c, d, to_val(c, items[i]), to_val(c, items[i + 1]));
    return rt::box_ptr(rt::Tag::Dict, d);
  }
  case wire::Value::SET:
  case wire::Value::FROZENSET: {
    auto items = v.isSet() ? v.getSet() : v.getFrozenset();
    rt::Table* s = rt::set_new(int64_t(items.size()));
    for (auto item : items)
      rt::set_add(c, s, to_val(c, item));
    return rt::box_ptr(v.isSet() ? rt::Tag::Set : rt::Tag::FrozenSet, s);
  }
  case wire::Value::INSTANCE: {
    auto w = v.getInstance();
    if (w.getCls() >= arg_classes.n) {
      rt::raise(c, rt::ExcKind::TypeError, "shoal: an instance of an unknown class among the arguments");
      return rt::none();
    }
    auto* cls = static_cast<const rt::ClassObj*>(arg_classes.classes[w.getCls()]);
    rt::Instance* inst = rt::instance_new(cls);
    for (auto b : w.getAttrs())
      for (int64_t s = 0; s < cls->nslots; ++s)
        if (b.getName() == cls->slots[s])
          inst->slots[s] = to_val(c, b.getValue());
    return rt::box_ptr(rt::Tag::Instance, inst);
  }
  default: return {rt::Tag::Func, 0}; // functions, modules, builtins: known statically
  }
}

void from_val(rt::Val v, wire::Value::Builder out) {
  switch (v.tag) {
  case rt::Tag::None: out.setNone(); return;
  case rt::Tag::Bool: out.setBool(v.bits != 0); return;
  case rt::Tag::Int: out.setInt(int64_t(v.bits)); return;
  case rt::Tag::Big: out.setBigInt(rt::int_to_hex(v)); return;
  case rt::Tag::Float: out.setFloat(rt::unbox_float(v)); return;
  case rt::Tag::Str: out.setStr(capnp::Text::Reader(rt::as<rt::Str>(v)->data, size_t(rt::as<rt::Str>(v)->len))); return;
  case rt::Tag::Tuple: {
    auto* t = rt::as<rt::Tuple>(v);
    auto items = out.initTuple(unsigned(t->n));
    for (int64_t i = 0; i < t->n; ++i)
      from_val(t->items[i], items[unsigned(i)]);
    return;
  }
  case rt::Tag::List: {
    auto* l = rt::as<rt::List>(v);
    auto items = out.initList(unsigned(l->n));
    for (int64_t i = 0; i < l->n; ++i)
      from_val(l->items[i], items[unsigned(i)]);
    return;
  }
  case rt::Tag::Dict:
  case rt::Tag::Set:
  case rt::Tag::FrozenSet: {
    auto* t = rt::as<rt::Table>(v);
    std::vector<rt::Val> flat;
    rt::Ctx scratch{};
    rt::Iter* it = rt::iter_of(&scratch, v);
    rt::Val k;
    while (it && rt::iter_next(&scratch, it, &k)) {
      flat.push_back(k);
      if (v.tag == rt::Tag::Dict) {
        rt::Val x;
        rt::dict_get(&scratch, t, k, &x);
        flat.push_back(x);
      }
    }
    auto items = v.tag == rt::Tag::Dict ? out.initDict(unsigned(flat.size()))
               : v.tag == rt::Tag::Set  ? out.initSet(unsigned(flat.size()))
                                        : out.initFrozenset(unsigned(flat.size()));
    for (size_t i = 0; i < flat.size(); ++i)
      from_val(flat[i], items[unsigned(i)]);
    return;
  }
  case rt::Tag::Instance: {
    auto* inst = rt::as<rt::Instance>(v);
    auto w = out.initInstance();
    w.setCls(uint32_t(inst->cls->index));
    unsigned set = 0;
    for (int64_t s = 0; s < inst->cls->nslots; ++s)
      set += inst->slots[s].tag != rt::Tag::Dummy;
    auto attrs = w.initAttrs(set);
    unsigned k = 0;
    for (int64_t s = 0; s < inst->cls->nslots; ++s)
      if (inst->slots[s].tag != rt::Tag::Dummy) {
        attrs[k].setName(inst->cls->slots[s]);
        from_val(inst->slots[s], attrs[k++].initValue());
      }
    return;
  }
  default: out.setUnsupported(rt::type_name(v)); return;
  }
}

std::string error_type_of(const rt::Exc* e) { return e->inst ? e->inst->cls->name : rt::exc_name(e->kind); }

} // namespace

CallJob::CallJob(bus::bytes request, CallLimits limits) : request_(std::move(request)), limits_(std::move(limits)) {}

bus::bytes CallJob::error_result(uint64_t id, const std::string& type, const std::string& message) {
  capnp::MallocMessageBuilder mb;
  auto res = mb.initRoot<wire::CallResult>();
  res.setId(id);
  auto err = res.initError();
  err.setType(type);
  err.setMessage(message);
  return bus::encode(mb);
}

bool CallJob::decode() {
  in_ = std::make_unique<bus::message_in>(request_);
  if (!in_->ok()) {
    result_ = error_result(0, "RuntimeError", "shoal: rejected request: " + in_->error());
    return false;
  }
  std::string err = bus::guarded([&] {
    auto req = in_->root<wire::CallRequest>();
    id_ = req.getId();
    (void)req.getProgram().getFunctions().size();
    if (req.hasOptions() && req.getOptions().getRecursionLimit() > 0)
      limits_.recursion_limit = req.getOptions().getRecursionLimit();
    if (req.hasOptions() && req.getOptions().hasDump())
      limits_.dump = req.getOptions().getDump();
  });
  if (!err.empty()) {
    result_ = error_result(id_, "RuntimeError", "shoal: rejected request: " + err);
    return false;
  }
  return true;
}

bool CallJob::cached(compiler::Compiler& c) {
  bool hit = false;
  std::string err = bus::guarded([&] {
    auto req = in_->root<wire::CallRequest>();
    auto prog = req.getProgram();
    auto args = req.getArgs();
    auto kwargs = req.getKwargs();
    auto r = c.compile(&prog, req.getEntry(), &args, &kwargs, wide_, limits_.dump, true);
    if (r.entry) {
      compiled_ = std::move(r);
      hit = true;
    }
  });
  return err.empty() && hit;
}

bool CallJob::compile(compiler::Compiler& c) {
  std::string err = bus::guarded([&] {
    auto req = in_->root<wire::CallRequest>();
    auto prog = req.getProgram();
    auto args = req.getArgs();
    auto kwargs = req.getKwargs();
    compiled_ = c.compile(&prog, req.getEntry(), &args, &kwargs, wide_, limits_.dump);
  });
  if (!err.empty()) {
    result_ = error_result(id_, "RuntimeError", "shoal: rejected request: " + err);
    return false;
  }
  compile_seconds_ += compiled_.seconds;
  if (!compiled_.error_type.empty() || !compiled_.entry) {
    capnp::MallocMessageBuilder mb;
    auto res = mb.initRoot<wire::CallResult>();
    res.setId(id_);
    auto e = res.initError();
    e.setType(compiled_.error_type.empty() ? "RuntimeError" : compiled_.error_type);
    e.setMessage(compiled_.error_message);
    if (!compiled_.error_file.empty()) {
      auto tb = e.initTraceback(1);
      tb[0].setFile(compiled_.error_file);
      tb[0].setLine(uint32_t(compiled_.error_line));
    }
    result_ = bus::encode(mb);
    return false;
  }
  return true;
}

namespace {
void write_splits(rt::Trace& trace, wire::CallResult::Builder res) {
  std::lock_guard<std::mutex> lock(trace.mu);
  auto out = res.initSplits(unsigned(trace.events.size()));
  for (unsigned k = 0; k < out.size(); ++k) {
    const auto& e = trace.events[k];
    out[k].setId(e.id);
    out[k].setParent(e.parent);
    out[k].setWhat(e.what);
    out[k].setLine(uint32_t(e.line));
    out[k].setLo(e.lo);
    out[k].setHi(e.hi);
    out[k].setWorker(e.worker);
    out[k].setStart(e.start);
    out[k].setSeconds(e.seconds);
  }
  res.setSplitsTruncated(trace.truncated);
}
} // namespace

bool CallJob::run() {
  std::string out;
  rt::Ctx ctx{};
  ctx.depth_limit = int64_t(limits_.recursion_limit);
  ctx.memory_limit = limits_.memory_limit;
  ctx.out = &out;
  rt::Trace trace;
  if (rt::Pool* pool = rt::Pool::current())
    ctx.idle = pool->idle();
  ctx.trace = &trace;
  rt::CallScope scope(&ctx);
  auto req = in_->root<wire::CallRequest>();
  auto args = req.getArgs();
  size_t n = compiled_.nparams;
  auto* argv = static_cast<rt::Val*>(rt::gc_alloc(sizeof(rt::Val) * (n ? n : 1)));
  arg_classes = {compiled_.classes, compiled_.nclasses};
  for (unsigned i = 0; i < args.size() && i < n; ++i)
    argv[i] = to_val(&ctx, args[i]);
  rt::Val value{};
  auto t0 = std::chrono::steady_clock::now();
  bool explain = req.getOptions().getExplain();
  // the statistical-cost model learns each call's run time from its arguments' sizes
  rt::Pool* pool = rt::Pool::current();
  std::string cost_key = std::string(req.getProgram().getFunctions()[req.getEntry()].getQualname().cStr());
  std::vector<double> features = rt::features_of(argv, n);
  if (board_)
    board_->start(id_, pool ? pool->predict(cost_key, features) : -1);
  if (!ctx.exc && !explain)
    compiled_.entry(&ctx, argv, &value);
  double run_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  if (board_)
    board_->finish(id_);
  bool deopt = ctx.exc && ctx.exc->kind == rt::ExcKind::Deopt;
  if (pool && !explain && !deopt)
    pool->record(cost_key, features, run_seconds);
  if (ctx.exc && ctx.exc->kind == rt::ExcKind::Deopt)
    return false;
  capnp::MallocMessageBuilder mb;
  auto res = mb.initRoot<wire::CallResult>();
  res.setId(id_);
  res.setStdout(out);
  if (ctx.exc) {
    auto e = res.initError();
    e.setType(error_type_of(ctx.exc));
    e.setMessage(rt::exc_message(ctx.exc));
    auto* exc_args = rt::as<rt::Tuple>(ctx.exc->args);
    auto wire_args = e.initArgs(unsigned(exc_args->n));
    for (int64_t k = 0; k < exc_args->n; ++k)
      from_val(exc_args->items[k], wire_args[unsigned(k)]);
    unsigned frames = 0;
    for (auto* f = ctx.exc->tb; f; f = f->next)
      ++frames;
    auto tb = e.initTraceback(frames);
    unsigned i = 0;
    for (auto* f = ctx.exc->tb; f; f = f->next, ++i) {
      tb[i].setFile(f->file);
      tb[i].setFunction(f->function);
      tb[i].setLine(uint32_t(f->line));
    }
  } else {
    from_val(value, res.initValue());
  }
  if (explain && compiled_.parallel) {
    auto out = res.initExplain(unsigned(compiled_.parallel->size()));
    for (unsigned k = 0; k < out.size(); ++k) {
      const auto& d = (*compiled_.parallel)[k];
      out[k].setFile(d.file);
      out[k].setLine(uint32_t(d.line));
      out[k].setConstruct(d.construct);
      out[k].setParallel(d.parallel);
      out[k].setReason(d.reason);
    }
  }
  if (req.getOptions().getTrace())
    write_splits(trace, res);
  auto stats = res.initStats();
  stats.setCompileSeconds(compile_seconds_);
  stats.setRunSeconds(run_seconds);
  stats.setCacheHit(compiled_.cache_hit);
  stats.setDeoptimised(wide_);
  if (!compiled_.dumps.empty()) {
    auto dumps = res.initDumps(unsigned(compiled_.dumps.size()));
    for (unsigned k = 0; k < compiled_.dumps.size(); ++k) {
      dumps[k].setName(compiled_.dumps[k].first);
      dumps[k].initValue().setStr(compiled_.dumps[k].second);
    }
  }
  result_ = bus::encode(mb);
  return true;
}

} // namespace shoal::actors
