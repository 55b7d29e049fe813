// Statements: assignment, if/while/for, raise/assert, try/except/else/finally.
#include "compiler/codegen.hpp"

#include "runtime/object.hpp"

#include <llvm/IR/MDBuilder.h>

namespace shoal::compiler {

using T = Type::T;
using llvm::BasicBlock;

namespace {
constexpr unsigned ctx_handling = 5; // Ctx::handling

} // namespace

// ---- statements ------------------------------------------------------------------------------

void Codegen::set_line(int line) { b_.CreateStore(c64(line), fn_->line); }

void Codegen::stmts(const std::vector<Node*>& list) {
  for (auto* s : list) {
    if (terminated())
      dead_block();
    stmt(s);
  }
}

void Codegen::stmt(Node* n) {
  set_line(n->line);
  switch (n->kind) {
  case K::FunctionDef: function_def(n); return;
  case K::Return: {
    V v = n->x ? expr(n->x) : V{b_.getInt8(0), types_.none()};
    if (terminated())
      return;
    b_.CreateStore(convert(v, fn_->spec->ret).v, fn_->ret_slot);
    jump(Exit::Return, 0);
    return;
  }
  case K::Assign: {
    V v = expr(n->x);
    for (auto* t : n->a)
      assign(t, v);
    return;
  }
  case K::AugAssign: {
    if (n->x->kind == K::Subscript || n->x->kind == K::Attribute) {
      aug_assign_item(n);
      return;
    }
    V cur = expr(n->x);
    V r = expr(n->y);
    const Type* result = binop_type(types_, n->op, cur.t, r.t, n->y);
    inplace_ = true;
    V v = binop(n->op, cur, r, result);
    inplace_ = false;
    assign(n->x, v);
    return;
  }
  case K::ExprStmt: expr(n->x); return;
  case K::If: if_stmt(n); return;
  case K::While: while_stmt(n); return;
  case K::For: for_stmt(n); return;
  case K::Break:
  case K::Continue:
    if (fn_->loops.empty())
      unsupported(fn_->spec->fn->file, n->line, "'break' outside a loop");
    jump(n->kind == K::Break ? Exit::Break : Exit::Continue, fn_->loops.size() - 1);
    return;
  case K::Pass:
  case K::Global:
  case K::Nonlocal: return;
  case K::Raise: raise_stmt(n); return;
  case K::Try: try_stmt(n); return;
  case K::Assert: assert_stmt(n); return;
  case K::Delete: delete_stmt(n); return;
  default: unsupported(fn_->spec->fn->file, n->line, "this statement");
  }
}

void Codegen::function_def(Node* n) {
  FuncInfo* fi = nullptr;
  for (auto* child : fn_->spec->fn->children)
    if (child->node == n)
      fi = child;
  store_var(n->s, make_function(n, fi));
}

void Codegen::if_stmt(Node* n) {
  llvm::Value* c = truthy(expr(n->x));
  BasicBlock* then_bb = block("if.then");
  BasicBlock* else_bb = block("if.else");
  BasicBlock* after = block("if.end");
  b_.CreateCondBr(c, then_bb, else_bb);
  b_.SetInsertPoint(then_bb);
  stmts(n->a);
  if (!terminated())
    b_.CreateBr(after);
  b_.SetInsertPoint(else_bb);
  stmts(n->b);
  if (!terminated())
    b_.CreateBr(after);
  b_.SetInsertPoint(after);
}

void Codegen::while_stmt(Node* n) {
  BasicBlock* cond = block("while.cond");
  BasicBlock* body = block("while.body");
  BasicBlock* else_bb = block("while.else");
  BasicBlock* after = block("while.end");
  b_.CreateBr(cond);
  b_.SetInsertPoint(cond);
  set_line(n->line);
  b_.CreateCondBr(truthy(expr(n->x)), body, else_bb);
  b_.SetInsertPoint(body);
  fn_->loops.push_back({after, cond, fn_->finallies.size()});
  stmts(n->a);
  fn_->loops.pop_back();
  if (!terminated())
    b_.CreateBr(cond);
  b_.SetInsertPoint(else_bb);
  stmts(n->b);
  if (!terminated())
    b_.CreateBr(after);
  b_.SetInsertPoint(after);
}

void Codegen::for_stmt(Node* n) {
  BasicBlock* else_bb = block("for.else");
  BasicBlock* after = block("for.end");
  const Type* elem = fn_->spec->types.at(n->x);
  if (accumulating_for(n, else_bb)) {
    b_.SetInsertPoint(else_bb);
    b_.CreateBr(after);
    b_.SetInsertPoint(after);
    return;
  }
  for_each(
      n->y, elem,
      [&](V e, BasicBlock* next) {
        set_line(n->line);
        assign(n->x, e);
        fn_->loops.push_back({after, next, fn_->finallies.size()});
        stmts(n->a);
        fn_->loops.pop_back();
        if (!terminated())
          b_.CreateBr(next);
      },
      else_bb);
  b_.SetInsertPoint(else_bb);
  stmts(n->b);
  if (!terminated())
    b_.CreateBr(after);
  b_.SetInsertPoint(after);
}

void Codegen::raise_stmt(Node* n) {
  if (!n->x) {
    b_.CreateCall(rt("shoal_rt_reraise", b_.getVoidTy(), {ptr_}), {fn_->ctx});
    b_.CreateBr(fn_->unwind.back());
    dead_block();
    return;
  }
  V e = expr(n->x);
  if (e.t->is(T::Builtin) && is_exception_name(e.t->name)) {
    b_.CreateCall(rt("shoal_rt_raise", b_.getVoidTy(), {ptr_, i32_, ptr_}),
                  {fn_->ctx, c32(int32_t(rt::exc_by_name(e.t->name))), llvm::ConstantPointerNull::get(ptr_)});
    b_.CreateBr(fn_->unwind.back());
    dead_block();
    return;
  }
  if (e.t->is(T::Exc) || e.t->is(T::Dyn) || (e.t->is(T::Obj) && e.t->cls->is_exception()) ||
      (e.t->is(T::Class) && e.t->cls->is_exception())) {
    raise_value(box(e));
    return;
  }
  raise_static(rt::ExcKind::TypeError, "exceptions must derive from BaseException");
}

void Codegen::assert_stmt(Node* n) {
  BasicBlock* fail = block("assert.fail");
  BasicBlock* ok = block("assert.ok");
  b_.CreateCondBr(truthy(expr(n->x)), ok, fail);
  b_.SetInsertPoint(fail);
  std::vector<V> args;
  if (n->y)
    args.push_back(box(expr(n->y)));
  llvm::Value* e = b_.CreateCall(rt("shoal_rt_exc_new", ptr_, {ptr_, i32_, i64_, ptr_}),
                                 {fn_->ctx, c32(int32_t(rt::ExcKind::AssertionError)), c64(int64_t(args.size())),
                                  val_array(args)});
  raise_value({e, types_.exc()});
  b_.CreateBr(ok);
  b_.SetInsertPoint(ok);
}

void Codegen::try_stmt(Node* n) {
  BasicBlock* after = block("try.end");
  BasicBlock* outer = fn_->unwind.back();
  if (n->d.empty()) {
    try_except(n, after, outer);
    b_.SetInsertPoint(after);
    return;
  }
  Finally fin{block("finally"), entry_alloca(i32_), entry_alloca(ptr_), fn_->loops.size(), {}};
  BasicBlock* exc_entry = block("finally.exc");
  BasicBlock* normal = block("finally.normal");
  fn_->finallies.push_back(&fin);
  fn_->unwind.push_back(exc_entry);
  try_except(n, normal, exc_entry);
  fn_->unwind.pop_back();
  fn_->finallies.pop_back();
  b_.SetInsertPoint(normal);
  b_.CreateStore(c32(0), fin.state);
  b_.CreateBr(fin.entry);
  b_.SetInsertPoint(exc_entry);
  // leaving the int64 fast path skips finally blocks: the call reruns from the start, and a
  // `return` in the finally block must not swallow the rerun (the block runs then, for real)
  llvm::Value* pending = load_exc();
  BasicBlock* run_finally = block("finally.run");
  b_.CreateCondBr(b_.CreateICmpEQ(b_.CreateLoad(i32_, pending), c32(int32_t(rt::ExcKind::Deopt))), outer, run_finally);
  b_.SetInsertPoint(run_finally);
  b_.CreateStore(pending, fin.saved_exc);
  b_.CreateStore(llvm::ConstantPointerNull::get(ptr_), fn_->ctx);
  b_.CreateStore(c32(1), fin.state);
  b_.CreateBr(fin.entry);
  b_.SetInsertPoint(fin.entry);
  stmts(n->d);
  if (!terminated())
    finish_finally(fin, after, outer);
  b_.SetInsertPoint(after);
}

void Codegen::finish_finally(Finally& fin, BasicBlock* after, BasicBlock* outer) {
  llvm::Value* state = b_.CreateLoad(i32_, fin.state);
  auto* sw = b_.CreateSwitch(state, after, unsigned(fin.exits.size() + 1));
  BasicBlock* reraise = block("finally.reraise");
  sw->addCase(b_.getInt32(1), reraise);
  b_.SetInsertPoint(reraise);
  b_.CreateStore(b_.CreateLoad(ptr_, fin.saved_exc), fn_->ctx);
  b_.CreateBr(outer);
  for (size_t i = 0; i < fin.exits.size(); ++i) {
    BasicBlock* bb = block("finally.exit");
    sw->addCase(b_.getInt32(uint32_t(i + 2)), bb);
    b_.SetInsertPoint(bb);
    jump(fin.exits[i].first, fin.exits[i].second);
  }
}

void Codegen::try_except(Node* n, BasicBlock* after, BasicBlock* outer) {
  if (n->b.empty()) {
    stmts(n->a);
    if (!terminated())
      b_.CreateBr(after);
    return;
  }
  BasicBlock* dispatch = block("except.dispatch");
  fn_->unwind.push_back(dispatch);
  stmts(n->a);
  fn_->unwind.pop_back();
  if (!terminated()) {
    stmts(n->c);
    if (!terminated())
      b_.CreateBr(after);
  }
  b_.SetInsertPoint(dispatch);
  llvm::Value* exc = load_exc();
  auto* ctx_ty = llvm::StructType::get(c_, {ptr_, i64_, i64_, i64_, ptr_, ptr_});
  for (Node* h : n->b) {
    std::vector<std::string> kinds;
    std::vector<ClassInfo*> classes;
    if (!h->x) {
      kinds.push_back("BaseException");
    } else {
      const Type* t = fn_->spec->types.at(h->x);
      std::vector<const Type*> ts = t->is(T::Tuple) ? t->elts : std::vector<const Type*>{t};
      for (auto* k : ts) {
        if (k->is(T::Class) && k->cls->is_exception()) {
          classes.push_back(k->cls);
          continue;
        }
        if (!k->is(T::Builtin) || !is_exception_name(k->name))
          unsupported(fn_->spec->fn->file, h->line, "catching " + k->str());
        kinds.push_back(k->name);
      }
    }
    llvm::Value* match = b_.getInt1(false);
    for (ClassInfo* ci : classes) {
      llvm::Value* m = b_.CreateCall(rt("shoal_rt_exc_is_class", i32_, {ptr_, ptr_}), {exc, class_object(ci)});
      match = b_.CreateOr(match, b_.CreateICmpNE(m, c32(0)));
    }
    for (auto& k : kinds) {
      llvm::Value* m = b_.CreateCall(rt("shoal_rt_exc_matches", i32_, {ptr_, i32_}),
                                     {exc, c32(int32_t(rt::exc_by_name(k)))});
      match = b_.CreateOr(match, b_.CreateICmpNE(m, c32(0)));
    }
    BasicBlock* body = block("except.body");
    BasicBlock* next = block("except.next");
    b_.CreateCondBr(match, body, next);
    b_.SetInsertPoint(body);
    set_line(h->line);
    b_.CreateStore(llvm::ConstantPointerNull::get(ptr_), fn_->ctx);
    llvm::Value* handling_ptr = b_.CreateStructGEP(ctx_ty, fn_->ctx, ctx_handling);
    llvm::Value* old = b_.CreateLoad(ptr_, handling_ptr);
    b_.CreateStore(exc, handling_ptr);
    if (!h->s.empty())
      store_var(h->s, {exc, types_.exc()});
    BasicBlock* cleanup = block("except.cleanup");
    fn_->unwind.push_back(cleanup);
    stmts(h->a);
    fn_->unwind.pop_back();
    if (!terminated()) {
      b_.CreateStore(old, handling_ptr);
      b_.CreateBr(after);
    }
    b_.SetInsertPoint(cleanup);
    b_.CreateStore(old, handling_ptr);
    b_.CreateBr(outer);
    b_.SetInsertPoint(next);
  }
  b_.CreateBr(outer);
}

} // namespace shoal::compiler
