// Expressions: constants, names, operators, comparisons, tuples, calls, boxing.
#include "compiler/codegen.hpp"

#include "runtime/containers.hpp"
#include "runtime/objects.hpp"

#include "runtime/object.hpp"

#include <llvm/IR/Intrinsics.h>

#include <cmath>
#include <llvm/IR/MDBuilder.h>

namespace shoal::compiler {

using T = Type::T;
using llvm::BasicBlock;

llvm::FunctionCallee Codegen::rt(const char* name, llvm::Type* ret, std::vector<llvm::Type*> args) {
  return m_.getOrInsertFunction(name, llvm::FunctionType::get(ret, args, false));
}

V Codegen::undef(const Type* t) { return {llvm::UndefValue::get(rep(t)), t}; }

llvm::Value* Codegen::make_val(uint64_t tag, llvm::Value* bits) {
  llvm::Value* v = llvm::UndefValue::get(val_ty_);
  v = b_.CreateInsertValue(v, b_.getInt64(tag), {0});
  return b_.CreateInsertValue(v, bits, {1});
}

llvm::Value* Codegen::str_const(const std::string& s) {
  auto* data = llvm::ConstantDataArray::getString(c_, s, true);
  auto* ty = llvm::StructType::get(c_, {i64_, i64_, i64_, data->getType()});
  int64_t ncp = 0;
  for (unsigned char ch : s)
    ncp += (ch & 0xC0) != 0x80;
  int64_t hash = rt::str_hash_of(s.data(), int64_t(s.size())); // constant strings arrive hashed
  auto* init = llvm::ConstantStruct::get(ty, {llvm::ConstantInt::get(i64_, s.size()),
                                              llvm::ConstantInt::get(i64_, uint64_t(ncp)),
                                              llvm::ConstantInt::get(i64_, uint64_t(hash)), data});
  auto* g = new llvm::GlobalVariable(m_, ty, true, llvm::GlobalValue::PrivateLinkage, init, "str");
  g->setAlignment(llvm::Align(8));
  return g;
}

llvm::Value* Codegen::val_array(const std::vector<V>& vs) {
  if (vs.empty())
    return llvm::ConstantPointerNull::get(ptr_);
  auto* arr_ty = llvm::ArrayType::get(val_ty_, vs.size());
  llvm::Value* arr = entry_alloca(arr_ty);
  for (size_t i = 0; i < vs.size(); ++i)
    b_.CreateStore(box(vs[i]).v, b_.CreateConstInBoundsGEP2_64(arr_ty, arr, 0, i));
  return arr;
}

// ---- boxing ------------------------------------------------------------------------------------

V Codegen::box(V v) {
  const Type* dyn = types_.dyn();
  switch (v.t->t) {
  case T::Dyn: return v;
  case T::Never: return {llvm::UndefValue::get(val_ty_), dyn};
  case T::None: return {make_val(uint64_t(rt::Tag::None), c64(0)), dyn};
  case T::Bool: return {make_val(uint64_t(rt::Tag::Bool), b_.CreateZExt(v.v, i64_)), dyn};
  case T::Int: return {make_val(uint64_t(rt::Tag::Int), v.v), dyn};
  case T::Float: return {make_val(uint64_t(rt::Tag::Float), b_.CreateBitCast(v.v, i64_)), dyn};
  case T::Str: return {make_val(uint64_t(rt::Tag::Str), b_.CreatePtrToInt(v.v, i64_)), dyn};
  case T::Func: {
    // a closure object {generic entry, env}: callable where only the run time knows the function
    llvm::Value* obj = b_.CreateCall(rt("shoal_rt_alloc", ptr_, {i64_}), {c64(16)});
    Spec* g = infer_.generic(v.t);
    llvm::Value* entry = g && generic_fns_.count(g) ? static_cast<llvm::Value*>(generic_fns_.at(g))
                                                    : llvm::ConstantPointerNull::get(ptr_);
    b_.CreateStore(entry, obj);
    b_.CreateStore(v.v, b_.CreateConstInBoundsGEP1_64(ptr_, obj, 1));
    return {make_val(uint64_t(rt::Tag::Func), b_.CreatePtrToInt(obj, i64_)), dyn};
  }
  case T::Exc: return {make_val(uint64_t(rt::Tag::Exc), b_.CreatePtrToInt(v.v, i64_)), dyn};
  case T::List: return {make_val(uint64_t(rt::Tag::List), b_.CreatePtrToInt(v.v, i64_)), dyn};
  case T::Dict: return {make_val(uint64_t(rt::Tag::Dict), b_.CreatePtrToInt(v.v, i64_)), dyn};
  case T::Set: return {make_val(uint64_t(rt::Tag::Set), b_.CreatePtrToInt(v.v, i64_)), dyn};
  case T::Obj:
    return {make_val(uint64_t(v.t->cls->is_exception() ? rt::Tag::Exc : rt::Tag::Instance),
                     b_.CreatePtrToInt(v.v, i64_)),
            dyn};
  case T::Class:
    return {make_val(uint64_t(rt::Tag::Class), b_.CreatePtrToInt(class_object(v.t->cls), i64_)), dyn};
  case T::Module: return {make_val(uint64_t(rt::Tag::Module), c64(0)), dyn};
  case T::Builtin:
    if (is_exception_name(v.t->name))
      return {make_val(uint64_t(rt::Tag::ExcType), c64(int64_t(rt::exc_by_name(v.t->name)))), dyn};
    return {make_val(uint64_t(rt::Tag::Builtin), c64(int64_t(reinterpret_cast<intptr_t>(rt::builtin_name(v.t->name.c_str()))))),
            dyn};
  case T::Tuple: {
    std::vector<V> items;
    for (size_t i = 0; i < v.t->elts.size(); ++i)
      items.push_back({b_.CreateExtractValue(v.v, {unsigned(i)}), v.t->elts[i]});
    llvm::Value* t = b_.CreateCall(rt("shoal_rt_tuple_new", ptr_, {ptr_, i64_, ptr_}),
                                   {fn_->ctx, c64(int64_t(items.size())), val_array(items)});
    return {make_val(uint64_t(rt::Tag::Tuple), b_.CreatePtrToInt(t, i64_)), dyn};
  }
  }
  return v;
}

llvm::Value* Codegen::unbox_int(llvm::Value* val) {
  llvm::Value* tag = b_.CreateExtractValue(val, 0);
  deopt_if(b_.CreateICmpUGT(tag, c64(int64_t(rt::Tag::Int)))); // a big int leaves the int64 fast path
  return b_.CreateExtractValue(val, 1);
}

V Codegen::unbox(llvm::Value* val, const Type* t) {
  llvm::Value* bits = nullptr;
  auto payload = [&] { return bits ? bits : bits = b_.CreateExtractValue(val, 1); };
  switch (t->t) {
  case T::Dyn: return {val, t};
  case T::Int: return {unbox_int(val), t};
  case T::Float: return {b_.CreateBitCast(payload(), f64_), t};
  case T::Bool: return {b_.CreateICmpNE(payload(), c64(0)), t};
  case T::Str:
  case T::Exc:
  case T::List:
  case T::Dict:
  case T::Set:
  case T::Obj:
  case T::Func: return {b_.CreateIntToPtr(payload(), ptr_), t};
  case T::Class: return {b_.getInt8(0), t};
  case T::Tuple: {
    llvm::Value* obj = b_.CreateIntToPtr(payload(), ptr_);
    llvm::Value* out = llvm::UndefValue::get(rep(t));
    for (size_t i = 0; i < t->elts.size(); ++i) {
      llvm::Value* item = b_.CreateLoad(val_ty_, b_.CreateConstInBoundsGEP1_64(i8_, obj, 8 + 16 * i));
      out = b_.CreateInsertValue(out, unbox(item, t->elts[i]).v, {unsigned(i)});
    }
    return {out, t};
  }
  default: return {llvm::UndefValue::get(rep(t)), t};
  }
}

V Codegen::convert(V v, const Type* to) {
  if (v.t == to)
    return v;
  if (to->is(T::Dyn))
    return box(v);
  if (v.t->is(T::Never))
    return undef(to);
  if (to->is(T::Tuple) && v.t->is(T::Tuple) && to->elts.size() == v.t->elts.size()) {
    llvm::Value* out = llvm::UndefValue::get(rep(to));
    for (size_t i = 0; i < to->elts.size(); ++i) {
      V e = convert({b_.CreateExtractValue(v.v, {unsigned(i)}), v.t->elts[i]}, to->elts[i]);
      out = b_.CreateInsertValue(out, e.v, {unsigned(i)});
    }
    return {out, to};
  }
  if (v.t->is(T::Dyn))
    return unbox(v.v, to);
  if (to->is(T::Exc) && v.t->is(T::Obj) && v.t->cls->is_exception())
    return {v.v, to};
  if (to->is(T::Never))
    return undef(to);
  throw CompileError("UnsupportedError", fn_->spec->fn->file, 0,
                     "internal: cannot convert " + v.t->str() + " to " + to->str());
}

llvm::Value* Codegen::truthy(V v) {
  switch (v.t->t) {
  case T::Bool: return v.v;
  case T::Int: return b_.CreateICmpNE(v.v, c64(0));
  case T::Float: return b_.CreateFCmpUNE(v.v, llvm::ConstantFP::get(f64_, 0.0));
  case T::None:
  case T::Never: return b_.getInt1(false);
  case T::Str: return b_.CreateICmpNE(b_.CreateLoad(i64_, v.v), c64(0));
  case T::Tuple: return b_.getInt1(!v.t->elts.empty());
  case T::List: return b_.CreateICmpNE(b_.CreateLoad(i64_, v.v), c64(0));
  case T::Dict:
  case T::Set:
  case T::Obj:
  case T::Dyn: {
    V boxed = box(v);
    llvm::Value* r = b_.CreateCall(rt("shoal_rt_truth", i32_, {ptr_, i64_, i64_}),
                                   {fn_->ctx, tag_of(boxed), bits_of(boxed)});
    check_exc();
    return b_.CreateICmpSGT(r, c32(0));
  }
  default: return b_.getInt1(true);
  }
}

llvm::Value* Codegen::to_double(V v) {
  switch (v.t->t) {
  case T::Float: return v.v;
  case T::Int: return b_.CreateSIToFP(v.v, f64_);
  case T::Bool: return b_.CreateUIToFP(v.v, f64_);
  default: {
    V boxed = box(v);
    llvm::Value* r = b_.CreateCall(rt("shoal_rt_to_float", f64_, {ptr_, i64_, i64_}),
                                   {fn_->ctx, b_.CreateExtractValue(boxed.v, 0), b_.CreateExtractValue(boxed.v, 1)});
    check_exc();
    return r;
  }
  }
}

llvm::Value* Codegen::to_i64(V v) {
  switch (v.t->t) {
  case T::Int: return v.v;
  case T::Bool: return b_.CreateZExt(v.v, i64_);
  default: {
    V boxed = box(v);
    llvm::Value* r = b_.CreateCall(rt("shoal_rt_as_index", i64_, {ptr_, i64_, i64_}),
                                   {fn_->ctx, b_.CreateExtractValue(boxed.v, 0), b_.CreateExtractValue(boxed.v, 1)});
    check_exc();
    return r;
  }
  }
}

// ---- expressions -------------------------------------------------------------------------------

V Codegen::expr(Node* n) { return expr_impl(n); }

V Codegen::constant(Node* n) {
  const ConstVal& cv = n->cv;
  const Type* t = fn_->spec->types.at(n);
  switch (cv.t) {
  case ConstVal::T::None: return {b_.getInt8(0), t};
  case ConstVal::T::Bool: return {b_.getInt1(cv.i != 0), t};
  case ConstVal::T::Int:
    if (t->is(T::Dyn))
      return {make_val(uint64_t(rt::Tag::Int), c64(cv.i)), t};
    return {c64(cv.i), t};
  case ConstVal::T::Float: return {llvm::ConstantFP::get(f64_, cv.f), t};
  case ConstVal::T::Str: return {str_const(cv.s), t};
  case ConstVal::T::BigInt: {
    PyConst big;
    big.t = PyConst::T::BigInt;
    big.s = cv.s;
    return const_value(big, t);
  }
  default: unsupported(fn_->spec->fn->file, n->line, "this constant");
  }
}

V Codegen::const_value(const PyConst& c, const Type* t) {
  switch (c.t) {
  case PyConst::T::None: return convert({b_.getInt8(0), types_.none()}, t);
  case PyConst::T::Bool: return convert({b_.getInt1(c.i != 0), types_.boolean()}, t);
  case PyConst::T::Int:
    if (t->is(T::Dyn))
      return {make_val(uint64_t(rt::Tag::Int), c64(c.i)), t};
    return {c64(c.i), t};
  case PyConst::T::BigInt: {
    llvm::Value* v = b_.CreateCall(rt("shoal_rt_big", val_ty_, {ptr_, ptr_}),
                                   {fn_->ctx, b_.CreateGlobalStringPtr(c.s)});
    return convert({v, types_.dyn()}, t);
  }
  case PyConst::T::Float: return convert({llvm::ConstantFP::get(f64_, c.f), types_.flt()}, t);
  case PyConst::T::Str: return convert({str_const(c.s), types_.str()}, t);
  case PyConst::T::Tuple: {
    std::vector<const Type*> elts;
    std::vector<V> items;
    for (size_t i = 0; i < c.items.size(); ++i) {
      const Type* et = const_type(types_, c.items[i], fn_->spec->fn->file, 0);
      items.push_back(const_value(c.items[i], et));
      elts.push_back(et);
    }
    const Type* tt = types_.tuple(elts);
    llvm::Value* out = llvm::UndefValue::get(rep(tt));
    for (size_t i = 0; i < items.size(); ++i)
      out = b_.CreateInsertValue(out, items[i].v, {unsigned(i)});
    return convert({out, tt}, t);
  }
  case PyConst::T::Function: return convert({llvm::ConstantPointerNull::get(ptr_), types_.func(c.fn, nullptr)}, t);
  case PyConst::T::Module:
  case PyConst::T::Builtin: return {b_.getInt8(0), t};
  case PyConst::T::Unsupported: break;
  case PyConst::T::Class: return convert({b_.getInt8(0), types_.cls(c.cls)}, t);
  case PyConst::T::List:
  case PyConst::T::Dict:
  case PyConst::T::Set:
  case PyConst::T::FrozenSet:
  case PyConst::T::Instance: {
    // a container or instance from the client (a global): built once, frozen (the client's object
    // is shared state no call may change), and kept in a cell the collector scans, so that every
    // read sees the same object
    llvm::GlobalVariable*& cell_ptr = global_cells_[&c];
    if (!cell_ptr)
      cell_ptr = new llvm::GlobalVariable(m_, ptr_, false, llvm::GlobalValue::PrivateLinkage,
                                          llvm::ConstantPointerNull::get(ptr_), "global.cell");
    llvm::Value* cell = b_.CreateLoad(ptr_, cell_ptr);
    BasicBlock* have = block("global.have");
    BasicBlock* build = block("global.build");
    BasicBlock* entry = b_.GetInsertBlock();
    b_.CreateCondBr(b_.CreateICmpEQ(cell, llvm::ConstantPointerNull::get(ptr_)), build, have);
    b_.SetInsertPoint(build);
    V made = client_value(c);
    llvm::Value* fresh = b_.CreateCall(rt("shoal_rt_root_cell", ptr_, {i64_, i64_}), {tag_of(made), bits_of(made)});
    b_.CreateStore(fresh, cell_ptr);
    BasicBlock* build_end = b_.GetInsertBlock();
    b_.CreateBr(have);
    b_.SetInsertPoint(have);
    auto* p = b_.CreatePHI(ptr_, 2);
    p->addIncoming(cell, entry);
    p->addIncoming(fresh, build_end);
    return convert({b_.CreateLoad(val_ty_, p), types_.dyn()}, t);
  }
  }
  unsupported(fn_->spec->fn->file, 0, "a value of type '" + c.s + "'");
}

V Codegen::expr_impl(Node* n) {
  Spec* s = fn_->spec;
  switch (n->kind) {
  case K::Const: return constant(n);
  case K::Name:
    switch (NameKind(n->op)) {
    case NameKind::Local:
    case NameKind::Free: return load_var(n);
    case NameKind::Global:
      if (const PyConst* c = s->fn->global(n->s))
        return const_value(*c, s->types.at(n));
      b_.CreateCall(rt("shoal_rt_name_error", b_.getVoidTy(), {ptr_, ptr_}),
                    {fn_->ctx, b_.CreateGlobalStringPtr(n->s)});
      b_.CreateBr(fn_->unwind.back());
      dead_block();
      return undef(s->types.at(n));
    case NameKind::Builtin: return {b_.getInt8(0), s->types.at(n)};
    }
    break;
  case K::BinOp: {
    V l = expr(n->x);
    V r = expr(n->y);
    return binop(n->op, l, r, s->types.at(n));
  }
  case K::UnaryOp: return unary(n);
  case K::BoolOp: return boolop(n);
  case K::Compare: return compare(n);
  case K::Call: return call(n);
  case K::Tuple: return tuple_expr(n);
  case K::IfExp: return ifexp(n);
  case K::Lambda:
  case K::FunctionDef: {
    for (auto* child : s->fn->children)
      if (child->node == n)
        return make_function(n, child);
    break;
  }
  case K::Attribute: return attribute(n);
  case K::Subscript: return subscript(n);
  case K::List:
  case K::Set:
  case K::Dict: return container_literal(n);
  case K::ListComp:
  case K::SetComp:
  case K::DictComp:
  case K::GenExp: return comprehension_expr(n);
  case K::JoinedStr: return joined_str(n);
  case K::Yield: return yield_expr(n);
  case K::FormattedValue: return formatted_value(n);
  default: break;
  }
  unsupported(s->fn->file, n->line, "this expression");
}

V Codegen::make_function(Node* n, FuncInfo* fi) {
  const Type* t = types_.func(fi, fn_->spec);
  (void)n;
  if (fi->env_bytes() == 0)
    return {llvm::ConstantPointerNull::get(ptr_), t};
  llvm::Value* env = b_.CreateCall(rt("shoal_rt_alloc", ptr_, {i64_}), {c64(int64_t(fi->env_bytes()))});
  for (size_t i = 0; i < fi->frees.size(); ++i)
    b_.CreateStore(cell_ptr(fi->frees[i]), b_.CreateConstInBoundsGEP1_64(ptr_, env, i));
  std::vector<Node*> defaults = fi->params->defaults;
  defaults.insert(defaults.end(), fi->params->kw_defaults.begin(), fi->params->kw_defaults.end());
  for (size_t k = 0; k < defaults.size(); ++k) {
    V d = defaults[k] ? box(expr(defaults[k])) : box({b_.getInt8(0), types_.none()});
    b_.CreateStore(d.v, b_.CreateConstInBoundsGEP1_64(i8_, env, fi->env_defaults_offset() + 16 * k));
  }
  return {env, t};
}

V Codegen::saved_default(FuncInfo* fi, llvm::Value* env, int slot, const Type* t) {
  llvm::Value* p = b_.CreateConstInBoundsGEP1_64(i8_, env, fi->env_defaults_offset() + 16 * size_t(slot));
  return unbox(b_.CreateLoad(val_ty_, p), t);
}

V Codegen::tuple_expr(Node* n) {
  const Type* t = fn_->spec->types.at(n);
  std::vector<V> items;
  for (auto* e : n->a)
    items.push_back(expr(e));
  llvm::Value* out = llvm::UndefValue::get(rep(t));
  for (size_t i = 0; i < items.size(); ++i)
    out = b_.CreateInsertValue(out, convert(items[i], t->elts[i]).v, {unsigned(i)});
  return {out, t};
}

V Codegen::ifexp(Node* n) {
  const Type* t = fn_->spec->types.at(n);
  BasicBlock* yes = block("ifexp.then");
  BasicBlock* no = block("ifexp.else");
  BasicBlock* end = block("ifexp.end");
  b_.CreateCondBr(truthy(expr(n->x)), yes, no);
  b_.SetInsertPoint(yes);
  V a = convert(expr(n->y), t);
  BasicBlock* yes_end = b_.GetInsertBlock();
  b_.CreateBr(end);
  b_.SetInsertPoint(no);
  V c = convert(expr(n->z), t);
  BasicBlock* no_end = b_.GetInsertBlock();
  b_.CreateBr(end);
  b_.SetInsertPoint(end);
  auto* phi = b_.CreatePHI(rep(t), 2);
  phi->addIncoming(a.v, yes_end);
  phi->addIncoming(c.v, no_end);
  return {phi, t};
}

V Codegen::boolop(Node* n) {
  const Type* t = fn_->spec->types.at(n);
  bool is_and = n->s == "And";
  BasicBlock* end = block("boolop.end");
  std::vector<std::pair<llvm::Value*, BasicBlock*>> incoming;
  for (size_t i = 0; i < n->a.size(); ++i) {
    V v = expr(n->a[i]);
    if (i + 1 == n->a.size()) {
      incoming.emplace_back(convert(v, t).v, b_.GetInsertBlock());
      b_.CreateBr(end);
      break;
    }
    llvm::Value* c = truthy(v);
    V cv = convert(v, t);
    BasicBlock* next = block("boolop.next");
    incoming.emplace_back(cv.v, b_.GetInsertBlock());
    if (is_and)
      b_.CreateCondBr(c, next, end);
    else
      b_.CreateCondBr(c, end, next);
    b_.SetInsertPoint(next);
  }
  b_.SetInsertPoint(end);
  auto* phi = b_.CreatePHI(rep(t), unsigned(incoming.size()));
  for (auto& [v, bb] : incoming)
    phi->addIncoming(v, bb);
  return {phi, t};
}

V Codegen::unary(Node* n) {
  V v = expr(n->x);
  const Type* t = fn_->spec->types.at(n);
  if (v.t->is(T::Never))
    return undef(t);
  if (n->s == "Not")
    return {b_.CreateNot(truthy(v)), t};
  int code = n->s == "USub" ? 0 : n->s == "UAdd" ? 1 : 2;
  if (v.t->int_like() && t->is(T::Int)) {
    llvm::Value* x = to_i64(v);
    if (code == 1)
      return {x, t};
    if (code == 2)
      return {b_.CreateXor(x, c64(-1)), t};
    return int_binop(int(rt::BinOp::Sub), c64(0), x);
  }
  if (v.t->is(T::Float) && code != 2)
    return {code == 0 ? b_.CreateFNeg(v.v) : v.v, t};
  V boxed = box(v);
  llvm::Value* r = b_.CreateCall(rt("shoal_rt_unary", val_ty_, {ptr_, i32_, i64_, i64_}),
                                 {fn_->ctx, c32(code), b_.CreateExtractValue(boxed.v, 0),
                                  b_.CreateExtractValue(boxed.v, 1)});
  check_exc();
  return unbox(r, t);
}

V Codegen::attribute(Node* n) {
  V base = expr(n->x);
  const Type* t = fn_->spec->types.at(n);
  if (base.t->is(T::Module)) {
    if (t->is(T::Float)) {
      double v = n->s == "pi" ? M_PI : n->s == "e" ? M_E : n->s == "tau" ? 2 * M_PI
               : n->s == "inf" ? HUGE_VAL : std::nan("");
      return {llvm::ConstantFP::get(f64_, v), t};
    }
    return {b_.getInt8(0), t};
  }
  if (base.t->is(T::Exc) && n->s == "args") {
    auto* exc_ty = llvm::StructType::get(c_, {i32_, val_ty_, ptr_});
    return {b_.CreateLoad(val_ty_, b_.CreateStructGEP(exc_ty, base.v, 1)), t};
  }
  if (base.t->is(T::Never))
    return undef(t);
  return object_attribute(n, base);
}

V Codegen::subscript(Node* n) {
  V base = expr(n->x);
  const Type* t = fn_->spec->types.at(n);
  if (n->y->kind == K::Slice || base.t->is(T::List) || base.t->is(T::Dyn))
    return base.t->is(T::Never) ? undef(t) : container_subscript(n, base);
  V idx = expr(n->y);
  if (base.t->is(T::Never) || idx.t->is(T::Never))
    return undef(t);
  if (base.t->is(T::Tuple) && idx.t->int_like()) {
    int64_t len = int64_t(base.t->elts.size());
    if (auto ci = const_int(n->y)) {
      int64_t i = *ci;
      if (i < 0)
        i += len;
      if (i < 0 || i >= len) {
        raise_static(rt::ExcKind::IndexError, "tuple index out of range");
        return undef(t);
      }
      return convert({b_.CreateExtractValue(base.v, {unsigned(i)}), base.t->elts[size_t(i)]}, t);
    }
    auto* arr_ty = llvm::ArrayType::get(rep(t), uint64_t(len));
    llvm::Value* arr = entry_alloca(arr_ty);
    for (int64_t i = 0; i < len; ++i)
      b_.CreateStore(convert({b_.CreateExtractValue(base.v, {unsigned(i)}), base.t->elts[size_t(i)]}, t).v,
                     b_.CreateConstInBoundsGEP2_64(arr_ty, arr, 0, uint64_t(i)));
    llvm::Value* i = to_i64(idx);
    i = b_.CreateSelect(b_.CreateICmpSLT(i, c64(0)), b_.CreateAdd(i, c64(len)), i);
    raise_if(b_.CreateICmpUGE(i, c64(len)), rt::ExcKind::IndexError, "tuple index out of range");
    return {b_.CreateLoad(rep(t), b_.CreateInBoundsGEP(arr_ty, arr, {c64(0), i})), t};
  }
  V bb = box(base);
  V bi = box(idx);
  llvm::Value* r = b_.CreateCall(rt("shoal_rt_index", val_ty_, {ptr_, i64_, i64_, i64_, i64_}),
                                 {fn_->ctx, b_.CreateExtractValue(bb.v, 0), b_.CreateExtractValue(bb.v, 1),
                                  b_.CreateExtractValue(bi.v, 0), b_.CreateExtractValue(bi.v, 1)});
  check_exc();
  return unbox(r, t);
}

V Codegen::call(Node* n) {
  if (auto o = overrides_.find(n); o != overrides_.end())
    return o->second;
  if (n->x->kind == K::Name && n->x->s.rfind("__shoal_", 0) == 0)
    return parallel_call(n);
  if (auto k = fn_->spec->call_kinds.find(n); k != fn_->spec->call_kinds.end()) {
    switch (k->second) {
    case Spec::CallKind::RuntimeBuiltin: return runtime_builtin(n, fn_->spec->types.at(n->x)->name);
    case Spec::CallKind::Construct: return construct(n);
    case Spec::CallKind::StarCall: return star_call(n, expr(n->x));
    default: return method_call(n);
    }
  }
  const Type* ft = fn_->spec->types.at(n->x);
  if (ft->is(T::Builtin))
    return builtin_call(n, ft->name);
  V f = expr(n->x);
  if (f.t->is(T::Func))
    return user_call(n, f);
  if (f.t->is(T::Dyn) || f.t->is(T::Obj))
    return dyn_call(n, box(f));
  for (auto* a : n->a)
    expr(a);
  return undef(fn_->spec->types.at(n));
}

V Codegen::dyn_call(Node* n, V f) {
  std::vector<V> args;
  for (auto* a : n->a)
    args.push_back(expr(a));
  llvm::Value* tag = b_.CreateExtractValue(f.v, 0);
  llvm::Value* bits = b_.CreateExtractValue(f.v, 1);
  llvm::Value* arr = val_array(args);
  BasicBlock* other = block("call.other");
  BasicBlock* ok = block("call.func");
  BasicBlock* end = block("call.end");
  llvm::Value* obj = b_.CreateIntToPtr(bits, ptr_);
  b_.CreateCondBr(b_.CreateICmpEQ(tag, c64(int64_t(rt::Tag::Func))), ok, other);
  // bound methods, classes, built-ins and anything else: the run time calls (or refuses) it
  b_.SetInsertPoint(other);
  llvm::Value* r2 = b_.CreateCall(rt("shoal_rt_call_value", val_ty_, {ptr_, i64_, i64_, i64_, ptr_}),
                                  {fn_->ctx, tag, bits, c64(int64_t(args.size())), arr});
  check_exc();
  BasicBlock* other_end = b_.GetInsertBlock();
  b_.CreateBr(end);
  b_.SetInsertPoint(ok);
  llvm::Value* entry = b_.CreateLoad(ptr_, obj);
  llvm::Value* env = b_.CreateLoad(ptr_, b_.CreateConstInBoundsGEP1_64(ptr_, obj, 1));
  BasicBlock* callable = block("call.entry");
  b_.CreateCondBr(b_.CreateICmpEQ(entry, llvm::ConstantPointerNull::get(ptr_)), other, callable);
  b_.SetInsertPoint(callable);
  auto* ty = llvm::FunctionType::get(val_ty_, {ptr_, i64_, ptr_, i64_, ptr_}, false);
  llvm::Value* r = b_.CreateCall(ty, entry, {fn_->ctx, b_.CreateAdd(fn_->depth, c64(1)), arr,
                                             c64(int64_t(args.size())), env});
  check_exc();
  BasicBlock* call_end = b_.GetInsertBlock();
  b_.CreateBr(end);
  b_.SetInsertPoint(end);
  auto* phi = b_.CreatePHI(val_ty_, 2);
  phi->addIncoming(r2, other_end);
  phi->addIncoming(r, call_end);
  return {phi, types_.dyn()};
}

V Codegen::user_call(Node* n, V f) {
  auto it = fn_->spec->calls.find(n);
  if (it == fn_->spec->calls.end()) {
    std::string error;
    bind_args(f.t->fn, n, error);
    for (auto* a : n->a)
      expr(a);
    for (auto* kw : n->b)
      expr(kw->x);
    if (!error.empty())
      raise_static(rt::ExcKind::TypeError, error);
    return undef(fn_->spec->types.at(n)); // an argument never produced a value: this point is unreachable
  }
  return bound_call(n, it->second, f.v->getType()->isPointerTy() ? f.v : nullptr, {});
}

V Codegen::load_var_named(const std::string& name) {
  Node fake;
  fake.kind = K::Name;
  fake.s = name;
  fake.op = int(NameKind::Local);
  return load_var(&fake);
}

V Codegen::bound_call(Node* n, Spec* callee, llvm::Value* env, std::vector<V> implicit, const Type* result) {
  const Type* t = result ? result : fn_->spec->types.at(n);
  FuncInfo* fi = callee->fn;
  std::map<const Node*, V> values;
  for (auto* a : n->a)
    values[a] = expr(a);
  for (auto* kw : n->b)
    values[kw->x] = expr(kw->x);
  std::string error;
  auto sources = bind_args(fi, n, error, implicit.size());
  if (!error.empty()) {
    raise_static(rt::ExcKind::TypeError, error);
    return undef(t);
  }
  std::vector<llvm::Value*> args{fn_->ctx, b_.CreateAdd(fn_->depth, c64(1))};
  for (size_t i = 0; i < sources.size(); ++i) {
    const ArgSource& src = sources[i];
    V v;
    switch (src.k) {
    case ArgSource::K::Implicit: v = implicit[size_t(src.slot)]; break;
    case ArgSource::K::Default: v = const_value(*src.value, callee->args[i]); break;
    case ArgSource::K::SourceDefault: v = saved_default(fi, env, src.slot, callee->args[i]); break;
    case ArgSource::K::VarArgs: {
      std::vector<V> items;
      for (auto* a : src.rest)
        items.push_back(values.at(a));
      llvm::Value* tup = b_.CreateCall(rt("shoal_rt_tuple_new", ptr_, {ptr_, i64_, ptr_}),
                                       {fn_->ctx, c64(int64_t(items.size())), val_array(items)});
      v = {make_val(uint64_t(rt::Tag::Tuple), b_.CreatePtrToInt(tup, i64_)), types_.dyn()};
      break;
    }
    case ArgSource::K::KwArgs: {
      std::vector<V> items;
      for (auto* kw : src.rest) {
        items.push_back({str_const(kw->s), types_.str()});
        items.push_back(values.at(kw->x));
      }
      v = {new_container(K::Dict, int64_t(src.rest.size()), val_array(items)), types_.dict()};
      break;
    }
    default: v = values.at(src.node);
    }
    args.push_back(convert(v, callee->args[i]).v);
  }
  args.push_back(env ? env : llvm::ConstantPointerNull::get(ptr_));
  llvm::Value* r = b_.CreateCall(callee->llfn, args);
  check_exc();
  return convert({r, callee->ret}, t);
}

} // namespace shoal::compiler
