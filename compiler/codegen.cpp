// Functions, variables, statements, loops and exception flow.
#include "compiler/codegen.hpp"

#include "runtime/object.hpp"

#include <llvm/IR/MDBuilder.h>
#include <llvm/IR/Verifier.h>

namespace shoal::compiler {

using T = Type::T;
using llvm::BasicBlock;

namespace {
constexpr unsigned ctx_limit = 2, ctx_handling = 5; // Ctx field indices

} // namespace

Codegen::Codegen(llvm::LLVMContext& ctx, llvm::Module& mod, Infer& infer, Types& types)
    : c_(ctx), m_(mod), infer_(infer), types_(types), b_(ctx) {
  i1_ = b_.getInt1Ty();
  i8_ = b_.getInt8Ty();
  i32_ = b_.getInt32Ty();
  i64_ = b_.getInt64Ty();
  f64_ = b_.getDoubleTy();
  ptr_ = b_.getPtrTy();
  val_ty_ = llvm::StructType::get(c_, {i64_, i64_});
}

llvm::Type* Codegen::rep(const Type* t) {
  switch (t->t) {
  case T::Bool: return i1_;
  case T::Int: return i64_;
  case T::Float: return f64_;
  case T::Str:
  case T::Func:
  case T::Exc:
  case T::List:
  case T::Dict:
  case T::Set:
  case T::Obj: return ptr_;
  case T::Dyn: return val_ty_;
  case T::Tuple: {
    std::vector<llvm::Type*> elts;
    for (auto* e : t->elts)
      elts.push_back(rep(e));
    return llvm::StructType::get(c_, elts);
  }
  default: return i8_;
  }
}

llvm::FunctionType* Codegen::fn_type(const Spec* s) {
  std::vector<llvm::Type*> params{ptr_, i64_}; // the context, then this call's depth
  for (auto* a : s->args)
    params.push_back(rep(a));
  params.push_back(ptr_);
  return llvm::FunctionType::get(rep(s->ret), params, false);
}

void Codegen::declare(Spec* s) {
  std::string name = "py." + s->fn->qualname + "." + std::to_string(s->id);
  s->llfn = llvm::Function::Create(fn_type(s), llvm::Function::InternalLinkage, name, m_);
}

void Codegen::emit_all(Spec* entry, const std::string& wrapper_name) {
  for (auto& s : infer_.specs())
    declare(s.get());
  std::vector<Spec*> boxed_entries;
  for (auto& [t, s] : infer_.generics())
    boxed_entries.push_back(s);
  boxed_entries.insert(boxed_entries.end(), infer_.entries().begin(), infer_.entries().end());
  for (Spec* s : boxed_entries)
    if (!generic_fns_.count(s)) {
      auto* ty = llvm::FunctionType::get(val_ty_, {ptr_, i64_, ptr_, i64_, ptr_}, false);
      generic_fns_[s] = llvm::Function::Create(ty, llvm::Function::InternalLinkage,
                                               "gen." + s->fn->qualname + "." + std::to_string(s->id), m_);
    }
  for (auto& s : infer_.specs())
    define(s.get());
  for (auto& [s, f] : generic_fns_)
    generic_wrapper(const_cast<Spec*>(s));
  wrapper(entry, wrapper_name);
}

BasicBlock* Codegen::block(const char* name) { return BasicBlock::Create(c_, name, fn_->f); }
llvm::Value* Codegen::entry_alloca(llvm::Type* t) {
  llvm::IRBuilder<> e(&fn_->f->getEntryBlock(), fn_->f->getEntryBlock().begin());
  return e.CreateAlloca(t);
}

bool Codegen::terminated() { return b_.GetInsertBlock()->getTerminator() != nullptr; }
void Codegen::dead_block() { b_.SetInsertPoint(block("dead")); }
llvm::Value* Codegen::c64(int64_t x) { return b_.getInt64(uint64_t(x)); }
llvm::Value* Codegen::c32(int32_t x) { return b_.getInt32(uint32_t(x)); }

void Codegen::define(Spec* s) {
  Fn fn;
  fn.spec = s;
  fn.f = s->llfn;
  fn_ = &fn;
  b_.SetInsertPoint(BasicBlock::Create(c_, "entry", fn.f));
  prologue(s);
  if (s->fn->node->kind == K::Lambda) {
    set_line(s->fn->node->line);
    V v = convert(expr(s->fn->node->y), s->ret);
    if (!terminated()) {
      b_.CreateStore(v.v, fn.ret_slot);
      jump(Exit::Return, 0);
    }
  } else {
    stmts(s->fn->node->a);
    if (!terminated() && !falls_through(s->fn->node->a)) {
      b_.CreateUnreachable();
    } else if (!terminated()) {
      b_.CreateStore(convert({b_.getInt8(0), types_.none()}, s->ret).v, fn.ret_slot);
      jump(Exit::Return, 0);
    }
  }
  fn_ = nullptr;
}

void Codegen::prologue(Spec* s) {
  Fn& fn = *fn_;
  fn.ctx = fn.f->getArg(0);
  fn.env = fn.f->getArg(fn.f->arg_size() - 1);
  fn.line = b_.CreateAlloca(i64_);
  b_.CreateStore(c64(s->fn->node->line), fn.line);
  fn.ret_slot = b_.CreateAlloca(rep(s->ret));
  if (s->fn->generator)
    generator_begin();
  // the exception exit: record this frame in the traceback, leave
  BasicBlock* here = b_.GetInsertBlock();
  BasicBlock* exc_exit = block("exc.exit");
  fn.unwind.push_back(exc_exit);
  // the call depth travels as an argument: no memory traffic on the recursion's critical path
  auto* ctx_ty = llvm::StructType::get(c_, {ptr_, i64_, i64_});
  fn.depth = fn.f->getArg(1);
  llvm::Value* limit = b_.CreateLoad(i64_, b_.CreateStructGEP(ctx_ty, fn.ctx, ctx_limit));
  BasicBlock* deep = block("too.deep");
  BasicBlock* body = block("body");
  b_.CreateCondBr(b_.CreateICmpSGT(fn.depth, limit), deep, body,
                  llvm::MDBuilder(c_).createBranchWeights(1, 100000));
  b_.SetInsertPoint(deep);
  b_.CreateCall(rt("shoal_rt_recursion", b_.getVoidTy(), {ptr_}), {fn.ctx});
  b_.CreateBr(exc_exit);
  b_.SetInsertPoint(exc_exit);
  b_.CreateCall(rt("shoal_rt_tb_push", b_.getVoidTy(), {ptr_, ptr_, ptr_, i64_}),
                {fn.ctx, b_.CreateGlobalStringPtr(s->fn->file), b_.CreateGlobalStringPtr(s->fn->qualname),
                 b_.CreateLoad(i64_, fn.line)});
  if (fn.gen.state)
    b_.CreateBr(fn.gen.final_bb);
  else
    b_.CreateRet(llvm::UndefValue::get(rep(s->ret)));
  (void)here;
  b_.SetInsertPoint(body);
  bind_params(s);
}

void Codegen::bind_params(Spec* s) {
  FuncInfo* fi = s->fn;
  for (auto& name : fi->locals) {
    auto it = s->vars.find(name);
    const Type* t = it != s->vars.end() && it->second ? it->second : types_.never();
    Var v;
    v.type = t;
    if (fi->cells.count(name)) {
      v.cell = true;
      auto* cell_ty = llvm::StructType::get(c_, {i1_, rep(t)});
      llvm::Value* cell = b_.CreateCall(rt("shoal_rt_alloc", ptr_, {i64_}),
                                        {c64(int64_t(m_.getDataLayout().getTypeAllocSize(cell_ty)))});
      b_.CreateStore(b_.getInt1(false), b_.CreateStructGEP(cell_ty, cell, 0));
      v.slot = entry_alloca(ptr_);
      b_.CreateStore(cell, v.slot);
    } else {
      v.slot = entry_alloca(rep(t));
      v.defined = entry_alloca(i1_);
      b_.CreateStore(b_.getInt1(false), v.defined);
    }
    fn_->vars[name] = v;
  }
  auto names = param_names(*fi->params);
  for (size_t i = 0; i < s->args.size(); ++i)
    store_var(names[i], {fn_->f->getArg(unsigned(i + 2)), s->args[i]});
}

llvm::Function* Codegen::wrapper(Spec* entry, const std::string& name) {
  auto* ty = llvm::FunctionType::get(b_.getVoidTy(), {ptr_, ptr_, ptr_}, false);
  auto* w = llvm::Function::Create(ty, llvm::Function::ExternalLinkage, name, m_);
  Fn fn;
  fn.spec = entry;
  fn.f = w;
  fn.ctx = w->getArg(0);
  fn.depth = c64(0);
  fn_ = &fn;
  b_.SetInsertPoint(BasicBlock::Create(c_, "entry", w));
  BasicBlock* fail = block("fail");
  fn.unwind.push_back(fail);
  std::vector<llvm::Value*> args{fn.ctx, c64(1)};
  for (size_t i = 0; i < entry->args.size(); ++i) {
    llvm::Value* slot = b_.CreateInBoundsGEP(val_ty_, w->getArg(1), {c64(int64_t(i))});
    llvm::Value* boxed = b_.CreateLoad(val_ty_, slot);
    args.push_back(unbox(boxed, entry->args[i]).v);
  }
  args.push_back(llvm::ConstantPointerNull::get(ptr_));
  llvm::Value* r = b_.CreateCall(entry->llfn, args);
  b_.CreateStore(box({r, entry->ret}).v, w->getArg(2));
  b_.CreateRetVoid();
  b_.SetInsertPoint(fail);
  b_.CreateRetVoid();
  fn_ = nullptr;
  return w;
}

void Codegen::generic_wrapper(Spec* s) {
  llvm::Function* w = generic_fns_.at(s);
  Fn fn;
  fn.spec = s;
  fn.f = w;
  fn.ctx = w->getArg(0);
  fn.depth = w->getArg(1);
  fn_ = &fn;
  b_.SetInsertPoint(BasicBlock::Create(c_, "entry", w));
  BasicBlock* fail = block("fail");
  fn.unwind.push_back(fail);
  FuncInfo* fi = s->fn;
  const Params& p = *fi->params;
  size_t npos = p.names.size();
  size_t ndefaults = fi->top_level() ? fi->defaults.size() : p.defaults.size();
  size_t required = npos - ndefaults;
  llvm::Value* n = w->getArg(3);
  BasicBlock* bad = block("arity.bad");
  BasicBlock* ok = block("arity.ok");
  llvm::Value* too_many = p.vararg.empty() ? b_.CreateICmpSGT(n, c64(int64_t(npos))) : b_.getInt1(false);
  b_.CreateCondBr(b_.CreateOr(b_.CreateICmpSLT(n, c64(int64_t(required))), too_many), bad, ok);
  b_.SetInsertPoint(bad);
  b_.CreateCall(rt("shoal_rt_arity_error", b_.getVoidTy(), {ptr_, ptr_, i64_, i64_, i64_}),
                {fn.ctx, b_.CreateGlobalStringPtr(fi->name), c64(int64_t(required)), c64(int64_t(npos)), n});
  b_.CreateBr(fail);
  b_.SetInsertPoint(ok);
  std::vector<llvm::Value*> args{fn.ctx, w->getArg(1)};
  for (size_t i = 0; i < s->args.size(); ++i) {
    auto load = [&] {
      return b_.CreateLoad(val_ty_, b_.CreateInBoundsGEP(val_ty_, w->getArg(2), {c64(int64_t(i))}));
    };
    if (i < required) {
      args.push_back(convert({load(), types_.dyn()}, s->args[i]).v);
      continue;
    }
    size_t nparams = npos + p.kwonly.size();
    if (i >= nparams) {
      if (i == nparams && !p.vararg.empty()) { // *args: the positional arguments beyond the named ones
        llvm::Value* extra = b_.CreateSelect(b_.CreateICmpSGT(n, c64(int64_t(npos))), b_.CreateSub(n, c64(int64_t(npos))), c64(0));
        llvm::Value* tup = b_.CreateCall(rt("shoal_rt_tuple_new", ptr_, {ptr_, i64_, ptr_}),
                                         {fn.ctx, extra, b_.CreateInBoundsGEP(val_ty_, w->getArg(2), {c64(int64_t(npos))})});
        args.push_back(convert({make_val(uint64_t(rt::Tag::Tuple), b_.CreatePtrToInt(tup, i64_)), types_.dyn()}, s->args[i]).v);
      } else { // **kwargs: a call through a generic entry passes no keywords
        args.push_back(convert({new_container(K::Dict, 0, llvm::ConstantPointerNull::get(ptr_)), types_.dict()}, s->args[i]).v);
      }
      continue;
    }
    BasicBlock* given = block("arg.given");
    BasicBlock* dflt = block("arg.default");
    BasicBlock* join = block("arg.join");
    b_.CreateCondBr(i < npos ? b_.CreateICmpSLT(c64(int64_t(i)), n) : b_.getInt1(false), given, dflt);
    b_.SetInsertPoint(given);
    llvm::Value* a = load();
    BasicBlock* given_end = b_.GetInsertBlock();
    b_.CreateBr(join);
    b_.SetInsertPoint(dflt);
    V d;
    if (i >= npos) {
      const std::string& name = p.kwonly[i - npos];
      if (fi->top_level() && fi->kwdefaults.count(name))
        d = const_value(fi->kwdefaults.at(name), types_.dyn());
      else if (!fi->top_level() && p.kw_defaults[i - npos])
        d = saved_default(fi, w->getArg(4), int(p.defaults.size() + i - npos), types_.dyn());
      else
        d = box(undef(types_.none()));
    } else if (fi->top_level()) {
      d = const_value(fi->defaults[i - required], types_.dyn());
    } else {
      d = saved_default(fi, w->getArg(4), int(i - required), types_.dyn());
    }
    BasicBlock* dflt_end = b_.GetInsertBlock();
    b_.CreateBr(join);
    b_.SetInsertPoint(join);
    auto* phi = b_.CreatePHI(val_ty_, 2);
    phi->addIncoming(a, given_end);
    phi->addIncoming(d.v, dflt_end);
    args.push_back(convert({phi, types_.dyn()}, s->args[i]).v);
  }
  args.push_back(w->getArg(4));
  llvm::Value* r = b_.CreateCall(s->llfn, args);
  check_exc();
  b_.CreateRet(box({r, s->ret}).v);
  b_.SetInsertPoint(fail);
  b_.CreateRet(llvm::UndefValue::get(val_ty_));
  fn_ = nullptr;
}

void Codegen::jump(Exit e, size_t loop) {
  for (auto it = fn_->finallies.rbegin(); it != fn_->finallies.rend(); ++it) {
    Finally& fin = **it;
    if (e != Exit::Return && fin.loop_depth <= loop)
      break;
    size_t code = 0;
    for (; code < fin.exits.size(); ++code)
      if (fin.exits[code] == std::make_pair(e, loop))
        break;
    if (code == fin.exits.size())
      fin.exits.emplace_back(e, loop);
    b_.CreateStore(c32(int32_t(code + 2)), fin.state);
    b_.CreateBr(fin.entry);
    return;
  }
  switch (e) {
  case Exit::Return: {
    if (fn_->gen.state)
      b_.CreateBr(fn_->gen.final_bb);
    else
      b_.CreateRet(b_.CreateLoad(rep(fn_->spec->ret), fn_->ret_slot));
    return;
  }
  case Exit::Break: b_.CreateBr(fn_->loops[loop].brk); return;
  case Exit::Continue: b_.CreateBr(fn_->loops[loop].cont); return;
  }
}

// ---- exceptions ------------------------------------------------------------------------------

llvm::Value* Codegen::load_exc() { return b_.CreateLoad(ptr_, fn_->ctx); }

void Codegen::check_exc() {
  llvm::Value* raised = b_.CreateICmpNE(load_exc(), llvm::ConstantPointerNull::get(ptr_));
  BasicBlock* ok = block("ok");
  b_.CreateCondBr(raised, fn_->unwind.back(), ok, llvm::MDBuilder(c_).createBranchWeights(1, 100000));
  b_.SetInsertPoint(ok);
}

void Codegen::raise_static(rt::ExcKind kind, const std::string& msg) {
  b_.CreateCall(rt("shoal_rt_raise", b_.getVoidTy(), {ptr_, i32_, ptr_}),
                {fn_->ctx, c32(int32_t(kind)), b_.CreateGlobalStringPtr(msg)});
  b_.CreateBr(fn_->unwind.back());
  dead_block();
}

void Codegen::raise_if(llvm::Value* cond, rt::ExcKind kind, const std::string& msg) {
  BasicBlock* bad = block("raise");
  BasicBlock* ok = block("ok");
  b_.CreateCondBr(cond, bad, ok, llvm::MDBuilder(c_).createBranchWeights(1, 100000));
  b_.SetInsertPoint(bad);
  raise_static(kind, msg);
  b_.CreateBr(ok);
  b_.SetInsertPoint(ok);
}

void Codegen::deopt_if(llvm::Value* cond) {
  BasicBlock* over = block("int.deopt");
  BasicBlock* ok = block("int.ok");
  b_.CreateCondBr(cond, over, ok, llvm::MDBuilder(c_).createBranchWeights(1, 100000));
  b_.SetInsertPoint(over);
  b_.CreateCall(rt("shoal_rt_deopt", b_.getVoidTy(), {ptr_}), {fn_->ctx});
  b_.CreateBr(fn_->unwind.back());
  b_.SetInsertPoint(ok);
}

void Codegen::raise_value(V exc) {
  V boxed = box(exc);
  llvm::Value* tag = b_.CreateExtractValue(boxed.v, 0);
  llvm::Value* bits = b_.CreateExtractValue(boxed.v, 1);
  b_.CreateCall(rt("shoal_rt_raise_exc", b_.getVoidTy(), {ptr_, i64_, i64_}), {fn_->ctx, tag, bits});
  b_.CreateBr(fn_->unwind.back());
  dead_block();
}

// ---- variables -------------------------------------------------------------------------------

Codegen::Var& Codegen::var(const std::string& name) { return fn_->vars.at(name); }

/// The heap cell of a captured variable: this function's own, or one reached through env.
llvm::Value* Codegen::cell_ptr(const std::string& name) {
  auto it = fn_->vars.find(name);
  if (it != fn_->vars.end())
    return b_.CreateLoad(ptr_, it->second.slot);
  int k = fn_->spec->fn->free_index(name);
  return b_.CreateLoad(ptr_, b_.CreateInBoundsGEP(ptr_, fn_->env, {c64(k)}));
}

void Codegen::store_var(const std::string& name, V v) {
  auto it = fn_->vars.find(name);
  if (it != fn_->vars.end() && !it->second.cell) {
    b_.CreateStore(convert(v, it->second.type).v, it->second.slot);
    b_.CreateStore(b_.getInt1(true), it->second.defined);
    return;
  }
  const Type* t = infer_.var_type(fn_->spec, name);
  auto* cell_ty = llvm::StructType::get(c_, {i1_, rep(t)});
  llvm::Value* cell = cell_ptr(name);
  b_.CreateStore(convert(v, t).v, b_.CreateStructGEP(cell_ty, cell, 1));
  b_.CreateStore(b_.getInt1(true), b_.CreateStructGEP(cell_ty, cell, 0));
}

V Codegen::load_var(Node* n) {
  const std::string& name = n->s;
  auto it = fn_->vars.find(name);
  const Type* t;
  llvm::Value *defined, *value_ptr;
  if (it != fn_->vars.end() && !it->second.cell) {
    t = it->second.type;
    defined = b_.CreateLoad(i1_, it->second.defined);
    value_ptr = it->second.slot;
  } else {
    t = infer_.var_type(fn_->spec, name);
    auto* cell_ty = llvm::StructType::get(c_, {i1_, rep(t)});
    llvm::Value* cell = cell_ptr(name);
    defined = b_.CreateLoad(i1_, b_.CreateStructGEP(cell_ty, cell, 0));
    value_ptr = b_.CreateStructGEP(cell_ty, cell, 1);
  }
  BasicBlock* unbound = block("unbound");
  BasicBlock* ok = block("bound");
  b_.CreateCondBr(defined, ok, unbound, llvm::MDBuilder(c_).createBranchWeights(100000, 1));
  b_.SetInsertPoint(unbound);
  std::string shown = name.substr(0, name.find('#'));
  if (NameKind(n->op) == NameKind::Free)
    b_.CreateCall(rt("shoal_rt_raise", b_.getVoidTy(), {ptr_, i32_, ptr_}),
                  {fn_->ctx, c32(int32_t(rt::ExcKind::NameError)),
                   b_.CreateGlobalStringPtr("cannot access free variable '" + shown +
                                            "' where it is not associated with a value in enclosing scope")});
  else
    b_.CreateCall(rt("shoal_rt_unbound", b_.getVoidTy(), {ptr_, ptr_}),
                  {fn_->ctx, b_.CreateGlobalStringPtr(shown)});
  b_.CreateBr(fn_->unwind.back());
  b_.SetInsertPoint(ok);
  return {b_.CreateLoad(rep(t), value_ptr), t};
}

void Codegen::assign(Node* target, V v) {
  if (target->kind == K::Name) {
    store_var(target->s, v);
    return;
  }
  if (target->kind == K::Subscript) {
    store_subscript(target, v);
    return;
  }
  if (target->kind == K::Attribute) {
    store_attribute(target, v);
    return;
  }
  for (auto* e : target->a)
    if (e->kind == K::Starred) {
      unpack_starred(target, v);
      return;
    }
  size_t n = target->a.size();
  if (v.t->is(T::Tuple)) {
    if (v.t->elts.size() != n) {
      size_t have = v.t->elts.size();
      raise_static(rt::ExcKind::ValueError,
                   have > n ? "too many values to unpack (expected " + std::to_string(n) + ")"
                            : "not enough values to unpack (expected " + std::to_string(n) + ", got " +
                                  std::to_string(have) + ")");
      return;
    }
    for (size_t i = 0; i < n; ++i)
      assign(target->a[i], {b_.CreateExtractValue(v.v, {unsigned(i)}), v.t->elts[i]});
    return;
  }
  // unpack at run time: a tuple or list of the right length is read inline
  V boxed = box(v);
  auto* arr_ty = llvm::ArrayType::get(val_ty_, n);
  llvm::Value* out = entry_alloca(arr_ty);
  llvm::Value* tag = b_.CreateExtractValue(boxed.v, 0);
  llvm::Value* obj = b_.CreateIntToPtr(b_.CreateExtractValue(boxed.v, 1), ptr_);
  BasicBlock* tuple = block("unpack.tuple");
  BasicBlock* slow = block("unpack.slow");
  BasicBlock* done = block("unpack.done");
  BasicBlock* check = block("unpack.len");
  b_.CreateCondBr(b_.CreateICmpEQ(tag, c64(int64_t(rt::Tag::Tuple))), check, slow);
  b_.SetInsertPoint(check);
  b_.CreateCondBr(b_.CreateICmpEQ(b_.CreateLoad(i64_, obj), c64(int64_t(n))), tuple, slow);
  b_.SetInsertPoint(tuple);
  for (size_t i = 0; i < n; ++i)
    b_.CreateStore(b_.CreateLoad(val_ty_, b_.CreateConstInBoundsGEP1_64(i8_, obj, 8 + 16 * i)),
                   b_.CreateConstInBoundsGEP2_64(arr_ty, out, 0, i));
  b_.CreateBr(done);
  b_.SetInsertPoint(slow);
  b_.CreateCall(rt("shoal_rt_unpack", i32_, {ptr_, i64_, i64_, i64_, ptr_}),
                {fn_->ctx, tag, b_.CreateExtractValue(boxed.v, 1), c64(int64_t(n)), out});
  check_exc();
  b_.CreateBr(done);
  b_.SetInsertPoint(done);
  for (size_t i = 0; i < n; ++i) {
    llvm::Value* item = b_.CreateLoad(val_ty_, b_.CreateConstInBoundsGEP2_64(llvm::ArrayType::get(val_ty_, n), out, 0, i));
    const Type* et = v.t->is(T::Str) ? types_.str() : types_.dyn();
    assign(target->a[i], unbox(item, et));
  }
}

} // namespace shoal::compiler
