// Parallel constructs (compiler/parallel.hpp rewrites them into these built-ins): each has a
// parallel path that hands pieces to the run time (runtime/parallel.hpp) and the sequential path
// it declines to, which is the original code.
#include "compiler/codegen.hpp"

#include "runtime/parallel.hpp"

#include <llvm/IR/MDBuilder.h>

#include <set>

namespace shoal::compiler {

using llvm::BasicBlock;
using T = Type::T;

void marked_calls(Node* e, std::vector<Node*>& out); // infer.cpp

namespace {
/// Whether a value of type t survives boxing and unboxing (a function value does not: boxed, it
/// becomes a closure object; unboxed, its static type wants the environment).
bool round_trips(const Type* t) {
  if (t->is(T::Func) || t->is(T::Class) || t->is(T::Module) || t->is(T::Builtin) || t->is(T::Never))
    return false;
  for (auto* e : t->elts)
    if (!round_trips(e))
      return false;
  return true;
}
} // namespace

/// Whether to ask the run time to split: a worker of this call's pool is looking for work (two
/// loads, Ctx::idle), and the run time did not decline the last constructs (Ctx::par_skip counts
/// down, only while a worker is idle).
llvm::Value* Codegen::idle_worker() {
  llvm::Value* counter = b_.CreateLoad(ptr_, b_.CreateConstInBoundsGEP1_64(i8_, fn_->ctx, 48));
  auto* load = b_.CreateLoad(i32_, counter);
  load->setAtomic(llvm::AtomicOrdering::Monotonic);
  load->setAlignment(llvm::Align(4));
  BasicBlock* from = b_.GetInsertBlock();
  BasicBlock* count = block("par.skip");
  BasicBlock* done = block("par.ask");
  b_.CreateCondBr(b_.CreateICmpSGT(load, c32(0)), count, done, llvm::MDBuilder(c_).createBranchWeights(1, 100));
  b_.SetInsertPoint(count);
  llvm::Value* slot = b_.CreateConstInBoundsGEP1_64(i8_, fn_->ctx, 56);
  llvm::Value* left = b_.CreateSub(b_.CreateLoad(i64_, slot), c64(1));
  b_.CreateStore(left, slot);
  llvm::Value* ask = b_.CreateICmpSLT(left, c64(0));
  b_.CreateBr(done);
  b_.SetInsertPoint(done);
  auto* phi = b_.CreatePHI(i1_, 2);
  phi->addIncoming(b_.getInt1(false), from);
  phi->addIncoming(ask, count);
  return phi;
}

V Codegen::parallel_call(Node* n) {
  const std::string& name = n->x->s;
  if (name == "__shoal_empty")
    return {make_val(uint64_t(rt::Tag::Dummy), c64(0)), types_.dyn()};
  if (name == "__shoal_fork")
    return fork(n);
  return par_construct(n);
}

/// Joins the two paths' values of type t.
V Codegen::join_paths(const Type* t, std::vector<std::pair<V, BasicBlock*>> in) {
  BasicBlock* join = block("par.join");
  for (auto& [v, bb] : in) {
    b_.SetInsertPoint(bb);
    b_.CreateBr(join);
  }
  b_.SetInsertPoint(join);
  auto* phi = b_.CreatePHI(rep(t), unsigned(in.size()));
  for (auto& [v, bb] : in)
    phi->addIncoming(v.v, bb);
  return {phi, t};
}

V Codegen::par_construct(Node* n) {
  const Type* t = fn_->spec->types.at(n);
  auto sequential = [&] {
    for (Node* st : n->c)
      stmt(st);
    return convert(expr(n->a[3]), t);
  };
  auto callee = fn_->spec->calls.find(n);
  if (callee == fn_->spec->calls.end() || !generic_fns_.count(callee->second) || !round_trips(t))
    return sequential();
  int64_t kind_code = n->a[0]->cv.i;
  auto kind = rt::ParKind(kind_code & (rt::par_heavy - 1));
  bool zip = n->a[2]->kind == K::List;
  bool exact = kind == rt::ParKind::Min || kind == rt::ParKind::Max || kind == rt::ParKind::Any ||
               kind == rt::ParKind::All || kind == rt::ParKind::List || kind == rt::ParKind::FoldMin ||
               kind == rt::ParKind::FoldMax || kind == rt::ParKind::FoldOr || kind == rt::ParKind::FoldAnd ||
               t->int_like();
  BasicBlock* par = block("par");
  BasicBlock* seq = block("par.seq");
  // an exact construct goes to the run time only when a worker is idle; an inexact one always
  // does, since it combines in fixed blocks whatever the number of workers
  if (exact)
    b_.CreateCondBr(idle_worker(), par, seq);
  else
    b_.CreateBr(par);
  b_.SetInsertPoint(par);
  FuncInfo* fi = nullptr;
  for (auto* child : fn_->spec->fn->children)
    if (child->node == n->a[1])
      fi = child;
  V env = make_function(n->a[1], fi);
  llvm::Value* closure = b_.CreateCall(rt("shoal_rt_alloc", ptr_, {i64_}), {c64(16)});
  b_.CreateStore(generic_fns_.at(callee->second), closure);
  b_.CreateStore(env.v, b_.CreateConstInBoundsGEP1_64(ptr_, closure, 1));
  llvm::Value *start = c64(0), *stop = c64(0), *step = c64(0);
  V seqv;
  if (zip) { // the sequences zipped, as one tuple
    std::vector<V> items;
    for (Node* e : n->a[2]->a)
      items.push_back(box(expr(e)));
    llvm::Value* t = b_.CreateCall(rt("shoal_rt_tuple_new", ptr_, {ptr_, i64_, ptr_}),
                                   {fn_->ctx, c64(int64_t(items.size())), val_array(items)});
    seqv = {make_val(uint64_t(rt::Tag::Tuple), b_.CreatePtrToInt(t, i64_)), types_.dyn()};
  } else if (V s = expr(n->a[2]); n->a[2]->kind == K::Tuple) {
    start = b_.CreateExtractValue(s.v, {0});
    stop = b_.CreateExtractValue(s.v, {1});
    step = b_.CreateExtractValue(s.v, {2});
    seqv = undef(types_.none());
  } else {
    seqv = s;
  }
  V caps = expr(n->a[4]);
  V init = n->a.size() > 5 ? expr(n->a[5]) : undef(types_.none());
  V piece{b_.CreatePtrToInt(closure, i64_), types_.dyn()};
  piece.v = make_val(uint64_t(rt::Tag::Func), piece.v);
  std::string key = fn_->spec->fn->qualname + ":" + std::to_string(n->line) + ":" + n->a[1]->s;
  b_.CreateStore(fn_->depth, b_.CreateConstInBoundsGEP1_64(i8_, fn_->ctx, 8)); // Ctx::depth for the pieces
  llvm::Value* r = b_.CreateCall(
      rt("shoal_rt_par", val_ty_, {ptr_, i64_, i64_, ptr_, i64_, ptr_, i64_, i64_, i64_}),
      {fn_->ctx, c64(kind_code), c64((exact ? rt::par_exact : 0) | (zip ? rt::par_zip : 0)),
       b_.CreateGlobalStringPtr(key), c64(n->line),
       val_array({piece, seqv, caps, init}), start, stop, step});
  check_exc();
  BasicBlock* done = block("par.done");
  b_.CreateCondBr(b_.CreateICmpEQ(b_.CreateExtractValue(r, 0), c64(int64_t(rt::Tag::Dummy))), seq, done);
  b_.SetInsertPoint(done);
  V a = unbox(r, t);
  BasicBlock* a_end = b_.GetInsertBlock();
  b_.SetInsertPoint(seq);
  V b = sequential();
  BasicBlock* b_end = b_.GetInsertBlock();
  return join_paths(t, {{a, a_end}, {b, b_end}});
}

namespace {
/// Names of locals an expression reads (the values an outlined parallel path needs).
void names_read(const Node* e, std::set<std::string>& out) {
  if (!e)
    return;
  if (e->kind == K::Name)
    out.insert(e->s);
  for (const Node* c : {e->x, e->y, e->z})
    names_read(c, out);
  for (auto* list : {&e->a, &e->b})
    for (auto* c : *list)
      names_read(c, out);
}
} // namespace

V Codegen::fork(Node* n) {
  Node* e = n->a[0];
  std::vector<Node*> calls;
  marked_calls(e, calls);
  std::vector<Spec*> callees;
  for (Node* c : calls) {
    auto it = fn_->spec->calls.find(c);
    if (it == fn_->spec->calls.end() || !generic_fns_.count(it->second) || fn_->spec->call_kinds.count(c) ||
        !round_trips(it->second->ret))
      return expr(e);
    callees.push_back(it->second);
  }
  const Type* t = fn_->spec->types.at(e);
  BasicBlock* seq = block("fork.seq");
  bool recursive = false;
  for (Spec* c : callees)
    recursive |= c->fn == fn_->spec->fn;
  std::set<std::string> read;
  names_read(e, read);
  std::vector<std::string> locals;
  bool plain = true; // every name read is a plain local of this function (or a global constant)
  for (auto& name : read) {
    auto it = fn_->vars.find(name);
    if (it != fn_->vars.end() && !it->second.cell)
      locals.push_back(name);
    else if (fn_->spec->fn->locals.count(name) || fn_->spec->fn->free_index(name) >= 0)
      plain = false;
  }
  if (recursive) {
    // a recursion asks at its top eight levels, then at every fourth level only (tests of a
    // register), and only down to the depth where the run time last declined in this call (Ctx::fork_frontier): the
    // calls below are smaller still
    BasicBlock* level = block("fork.level");
    BasicBlock* ask = block("fork.shallow");
    llvm::Value* fourth = b_.CreateOr(b_.CreateICmpSLE(fn_->depth, c64(8)),
                                      b_.CreateICmpEQ(b_.CreateAnd(fn_->depth, c64(3)), c64(0)));
    b_.CreateCondBr(fourth, level, seq, llvm::MDBuilder(c_).createBranchWeights(1, 3));
    b_.SetInsertPoint(level);
    llvm::Value* frontier = b_.CreateConstInBoundsGEP1_64(i8_, fn_->ctx, 64);
    llvm::Value* shallow = b_.CreateICmpSLE(fn_->depth, b_.CreateLoad(i64_, frontier));
    b_.CreateCondBr(shallow, ask, seq, llvm::MDBuilder(c_).createBranchWeights(1, 100));
    b_.SetInsertPoint(ask);
  }
  BasicBlock* par = block("fork");
  b_.CreateCondBr(idle_worker(), par, seq);
  b_.SetInsertPoint(par);
  V a;
  if (recursive && plain) {
    // the parallel path in a function of its own: the recursive function keeps the code (and
    // the speed) it has without it
    a = fork_outlined(n, calls, callees, t, locals, seq);
  } else {
    BasicBlock* declined = seq;
    a = fork_body(n, calls, callees, t, recursive, declined);
  }
  BasicBlock* a_end = b_.GetInsertBlock();
  b_.SetInsertPoint(seq);
  V b = convert(expr(e), t);
  BasicBlock* b_end = b_.GetInsertBlock();
  return join_paths(t, {{a, a_end}, {b, b_end}});
}

V Codegen::fork_outlined(Node* n, const std::vector<Node*>& calls, const std::vector<Spec*>& callees, const Type* t,
                         const std::vector<std::string>& locals, BasicBlock* seq) {
  auto* ret_ty = llvm::StructType::get(c_, {i1_, rep(t)});
  std::vector<llvm::Type*> params{ptr_, i64_};
  for (auto& name : locals)
    params.push_back(rep(fn_->vars.at(name).type));
  auto* f = llvm::Function::Create(llvm::FunctionType::get(ret_ty, params, false), llvm::Function::InternalLinkage,
                                   "fork." + fn_->spec->fn->qualname, m_);
  f->addFnAttr(llvm::Attribute::NoInline);
  f->addFnAttr(llvm::Attribute::Cold);
  // the call, here: only with every local bound (else the sequential path raises as CPython)
  std::vector<llvm::Value*> args{fn_->ctx, fn_->depth};
  llvm::Value* bound = b_.getInt1(true);
  for (auto& name : locals) {
    Var& v = fn_->vars.at(name);
    bound = b_.CreateAnd(bound, b_.CreateLoad(i1_, v.defined));
    args.push_back(b_.CreateLoad(rep(v.type), v.slot));
  }
  BasicBlock* call = block("fork.call");
  b_.CreateCondBr(bound, call, seq);
  b_.SetInsertPoint(call);
  llvm::Value* r = b_.CreateCall(f, args);
  check_exc();
  BasicBlock* done = block("fork.got");
  b_.CreateCondBr(b_.CreateExtractValue(r, {0}), done, seq);
  b_.SetInsertPoint(done);
  V result{b_.CreateExtractValue(r, {1}), t};
  // the body, as a function of its own
  Fn* outer = fn_;
  auto ip = b_.saveIP();
  Fn sub;
  sub.spec = outer->spec;
  sub.f = f;
  sub.ctx = f->getArg(0);
  sub.depth = f->getArg(1);
  sub.env = llvm::ConstantPointerNull::get(ptr_);
  fn_ = &sub;
  b_.SetInsertPoint(BasicBlock::Create(c_, "entry", f));
  sub.line = entry_alloca(i64_);
  b_.CreateStore(c64(n->line), sub.line);
  for (size_t i = 0; i < locals.size(); ++i) {
    Var v;
    v.type = outer->vars.at(locals[i]).type;
    v.slot = entry_alloca(rep(v.type));
    v.defined = entry_alloca(i1_);
    b_.CreateStore(f->getArg(unsigned(2 + i)), v.slot);
    b_.CreateStore(b_.getInt1(true), v.defined);
    sub.vars[locals[i]] = v;
  }
  BasicBlock* fail = block("fail");
  sub.unwind.push_back(fail);
  BasicBlock* declined = block("declined");
  V v = fork_body(n, calls, callees, t, true, declined);
  llvm::Value* out = llvm::UndefValue::get(ret_ty);
  out = b_.CreateInsertValue(out, b_.getInt1(true), {0});
  b_.CreateRet(b_.CreateInsertValue(out, v.v, {1}));
  for (BasicBlock* bb : {declined, fail}) {
    b_.SetInsertPoint(bb);
    b_.CreateRet(b_.CreateInsertValue(llvm::UndefValue::get(ret_ty), b_.getInt1(false), {0}));
  }
  fn_ = outer;
  b_.restoreIP(ip);
  return result;
}

V Codegen::fork_body(Node* n, const std::vector<Node*>& calls, const std::vector<Spec*>& callees, const Type* t,
                     bool recursive, BasicBlock* declined) {
  Node* e = n->a[0];
  llvm::Value* frontier = recursive ? b_.CreateConstInBoundsGEP1_64(i8_, fn_->ctx, 64)
                                    : static_cast<llvm::Value*>(llvm::ConstantPointerNull::get(ptr_));
  std::vector<V> args;
  std::vector<llvm::Constant*> nargs, keys, entries;
  for (size_t i = 0; i < calls.size(); ++i) {
    for (Node* a : calls[i]->a)
      args.push_back(expr(a));
    nargs.push_back(b_.getInt64(calls[i]->a.size()));
    keys.push_back(llvm::cast<llvm::Constant>(b_.CreateGlobalStringPtr(callees[i]->fn->qualname)));
    entries.push_back(generic_fns_.at(callees[i]));
  }
  auto const_array = [&](llvm::Type* ty, const std::vector<llvm::Constant*>& items) {
    auto* at = llvm::ArrayType::get(ty, items.size());
    return new llvm::GlobalVariable(m_, at, true, llvm::GlobalValue::PrivateLinkage, llvm::ConstantArray::get(at, items));
  };
  std::vector<llvm::Constant*> envs(calls.size(), llvm::ConstantPointerNull::get(ptr_));
  // the arguments and results live in collected memory, not in the frame
  auto* out_ty = llvm::ArrayType::get(val_ty_, calls.size());
  auto heap_vals = [&](size_t count) {
    return b_.CreateCall(rt("shoal_rt_alloc", ptr_, {i64_}), {c64(int64_t(16 * std::max<size_t>(count, 1)))});
  };
  llvm::Value* out = heap_vals(calls.size());
  llvm::Value* arg_vals = heap_vals(args.size());
  for (size_t i = 0; i < args.size(); ++i)
    b_.CreateStore(box(args[i]).v, b_.CreateConstInBoundsGEP1_64(val_ty_, arg_vals, i));
  b_.CreateStore(fn_->depth, b_.CreateConstInBoundsGEP1_64(i8_, fn_->ctx, 8)); // Ctx::depth for the pieces
  llvm::Value* forked = b_.CreateCall(
      rt("shoal_rt_fork", i64_, {ptr_, i64_, ptr_, ptr_, ptr_, ptr_, ptr_, ptr_, i64_, ptr_, i64_}),
      {fn_->ctx, c64(int64_t(calls.size())), const_array(ptr_, keys), const_array(ptr_, entries),
       const_array(ptr_, envs), arg_vals, const_array(i64_, nargs), out, c64(n->line), frontier, fn_->depth});
  BasicBlock* got = block("fork.done");
  b_.CreateCondBr(b_.CreateICmpNE(forked, c64(0)), got, declined);
  b_.SetInsertPoint(got);
  check_exc();
  for (size_t i = 0; i < calls.size(); ++i) {
    llvm::Value* r = b_.CreateLoad(val_ty_, b_.CreateConstInBoundsGEP2_64(out_ty, out, 0, i));
    overrides_[calls[i]] = convert(unbox(r, callees[i]->ret), fn_->spec->types.at(calls[i]));
  }
  V a = convert(expr(e), t);
  for (Node* c : calls)
    overrides_.erase(c);
  return a;
}

} // namespace shoal::compiler
