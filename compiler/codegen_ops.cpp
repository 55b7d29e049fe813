// Arithmetic and comparison operators: int64 fast paths with overflow checks, floats, and the
// runtime for everything else.
#include "compiler/codegen.hpp"

#include "runtime/dyn.hpp"

#include <llvm/IR/Intrinsics.h>
#include <llvm/IR/MDBuilder.h>

namespace shoal::compiler {

using T = Type::T;
using llvm::BasicBlock;
using rt::BinOp;

namespace {
constexpr int64_t exact_double_limit = int64_t(1) << 53; ///< ints below convert to double exactly
} // namespace

V Codegen::binop(int op, V l, V r, const Type* result) {
  BinOp o = BinOp(op);
  if (l.t->is(T::Never) || r.t->is(T::Never) || result->is(T::Never))
    return undef(result);
  if (l.t->int_like() && r.t->int_like()) {
    if (result->is(T::Bool)) {
      llvm::Value* v = o == BinOp::BitAnd ? b_.CreateAnd(l.v, r.v)
                     : o == BinOp::BitOr  ? b_.CreateOr(l.v, r.v)
                                          : b_.CreateXor(l.v, r.v);
      return {v, result};
    }
    if (result->is(T::Int))
      return int_binop(op, to_i64(l), to_i64(r));
    if (o == BinOp::TrueDiv && result->is(T::Float)) {
      llvm::Value* a = to_i64(l);
      llvm::Value* b = to_i64(r);
      raise_if(b_.CreateICmpEQ(b, c64(0)), rt::ExcKind::ZeroDivisionError, "division by zero");
      auto small = [&](llvm::Value* x) {
        llvm::Value* biased = b_.CreateAdd(x, c64(exact_double_limit));
        return b_.CreateICmpULE(biased, c64(2 * exact_double_limit));
      };
      BasicBlock* fast = block("div.fast");
      BasicBlock* slow = block("div.slow");
      BasicBlock* end = block("div.end");
      b_.CreateCondBr(b_.CreateAnd(small(a), small(b)), fast, slow);
      b_.SetInsertPoint(fast);
      llvm::Value* q1 = b_.CreateFDiv(b_.CreateSIToFP(a, f64_), b_.CreateSIToFP(b, f64_));
      b_.CreateBr(end);
      b_.SetInsertPoint(slow);
      llvm::Value* q2 = b_.CreateCall(rt("shoal_rt_int_truediv", f64_, {ptr_, i64_, i64_}), {fn_->ctx, a, b});
      check_exc();
      BasicBlock* slow_end = b_.GetInsertBlock();
      b_.CreateBr(end);
      b_.SetInsertPoint(end);
      auto* phi = b_.CreatePHI(f64_, 2);
      phi->addIncoming(q1, fast);
      phi->addIncoming(q2, slow_end);
      return {phi, result};
    }
  }
  if (result->is(T::Float) && l.t->numeric() && r.t->numeric())
    return float_binop(op, to_double(l), to_double(r));
  if (o == BinOp::Add && l.t->is(T::Tuple) && r.t->is(T::Tuple) && result->is(T::Tuple)) {
    llvm::Value* out = llvm::UndefValue::get(rep(result));
    size_t k = 0;
    for (V part : {l, r})
      for (size_t i = 0; i < part.t->elts.size(); ++i, ++k)
        out = b_.CreateInsertValue(out, b_.CreateExtractValue(part.v, {unsigned(i)}), {unsigned(k)});
    return {out, result};
  }
  return dyn_binop(op, l, r, result);
}

V Codegen::int_binop(int op, llvm::Value* a, llvm::Value* b) {
  const Type* t = types_.integer();
  auto with_overflow = [&](llvm::Intrinsic::ID id) {
    if (unchecked_ints_) {
      llvm::Value* r = id == llvm::Intrinsic::sadd_with_overflow   ? b_.CreateNSWAdd(a, b)
                       : id == llvm::Intrinsic::ssub_with_overflow ? b_.CreateNSWSub(a, b)
                                                                   : b_.CreateNSWMul(a, b);
      return V{r, t};
    }
    llvm::Value* r = b_.CreateBinaryIntrinsic(id, a, b);
    deopt_if(b_.CreateExtractValue(r, 1));
    return V{b_.CreateExtractValue(r, 0), t};
  };
  switch (BinOp(op)) {
  case BinOp::Add: return with_overflow(llvm::Intrinsic::sadd_with_overflow);
  case BinOp::Sub: return with_overflow(llvm::Intrinsic::ssub_with_overflow);
  case BinOp::Mul: return with_overflow(llvm::Intrinsic::smul_with_overflow);
  case BinOp::FloorDiv:
  case BinOp::Mod: {
    bool div = BinOp(op) == BinOp::FloorDiv;
    raise_if(b_.CreateICmpEQ(b, c64(0)), rt::ExcKind::ZeroDivisionError,
             div ? "integer division or modulo by zero" : "integer modulo by zero");
    // INT64_MIN // -1 overflows; x % -1 is 0: route b == -1 around the division
    llvm::Value* minus_one = b_.CreateICmpEQ(b, c64(-1));
    if (div)
      deopt_if(b_.CreateAnd(minus_one, b_.CreateICmpEQ(a, c64(INT64_MIN))));
    llvm::Value* safe_b = b_.CreateSelect(minus_one, c64(1), b);
    llvm::Value* q = b_.CreateSDiv(a, safe_b);
    llvm::Value* r = b_.CreateSRem(a, safe_b);
    llvm::Value* adjust = b_.CreateAnd(b_.CreateICmpNE(r, c64(0)), b_.CreateICmpSLT(b_.CreateXor(r, b), c64(0)));
    if (div) {
      q = b_.CreateSelect(minus_one, b_.CreateNeg(a), q);
      return {b_.CreateSelect(adjust, b_.CreateSub(q, c64(1)), q), t};
    }
    r = b_.CreateSelect(minus_one, c64(0), r);
    return {b_.CreateSelect(b_.CreateAnd(adjust, b_.CreateNot(minus_one)), b_.CreateAdd(r, b), r), t};
  }
  case BinOp::Pow: {
    if (auto* cb = llvm::dyn_cast<llvm::ConstantInt>(b); cb && cb->getSExtValue() == 2)
      return int_binop(int(BinOp::Mul), a, a);
    llvm::Value* r = b_.CreateCall(rt("shoal_rt_int_pow", i64_, {ptr_, i64_, i64_}), {fn_->ctx, a, b});
    check_exc();
    return {r, t};
  }
  case BinOp::LShift: {
    raise_if(b_.CreateICmpSLT(b, c64(0)), rt::ExcKind::ValueError, "negative shift count");
    // a shift of 64 or more, or one that loses bits, leaves int64
    llvm::Value* wide = b_.CreateICmpSGE(b, c64(64));
    llvm::Value* amount = b_.CreateSelect(wide, c64(0), b);
    llvm::Value* r = b_.CreateShl(a, amount);
    llvm::Value* lost = b_.CreateICmpNE(b_.CreateAShr(r, amount), a);
    deopt_if(b_.CreateAnd(b_.CreateOr(wide, lost), b_.CreateICmpNE(a, c64(0))));
    return {b_.CreateSelect(wide, c64(0), r), t};
  }
  case BinOp::RShift: {
    raise_if(b_.CreateICmpSLT(b, c64(0)), rt::ExcKind::ValueError, "negative shift count");
    llvm::Value* amount = b_.CreateSelect(b_.CreateICmpSGE(b, c64(64)), c64(63), b);
    return {b_.CreateAShr(a, amount), t};
  }
  case BinOp::BitAnd: return {b_.CreateAnd(a, b), t};
  case BinOp::BitOr: return {b_.CreateOr(a, b), t};
  case BinOp::BitXor: return {b_.CreateXor(a, b), t};
  case BinOp::TrueDiv: break;
  }
  throw CompileError("UnsupportedError", fn_->spec->fn->file, 0, "internal: int operator");
}

V Codegen::float_binop(int op, llvm::Value* a, llvm::Value* b) {
  const Type* t = types_.flt();
  switch (BinOp(op)) {
  case BinOp::Add: return {b_.CreateFAdd(a, b), t};
  case BinOp::Sub: return {b_.CreateFSub(a, b), t};
  case BinOp::Mul: return {b_.CreateFMul(a, b), t};
  case BinOp::TrueDiv: {
    raise_if(b_.CreateFCmpOEQ(b, llvm::ConstantFP::get(f64_, 0.0)), rt::ExcKind::ZeroDivisionError, "float division by zero");
    return {b_.CreateFDiv(a, b), t};
  }
  default: {
    if (BinOp(op) == BinOp::Pow)
      if (auto* cb = llvm::dyn_cast<llvm::ConstantFP>(b); cb && cb->isExactlyValue(2.0)) {
        // x * x, with pow's OverflowError when a finite x squares to infinity
        llvm::Value* r = b_.CreateFMul(a, a);
        llvm::Value* inf = llvm::ConstantFP::getInfinity(f64_);
        llvm::Value* overflow = b_.CreateAnd(b_.CreateFCmpOEQ(r, inf),
                                             b_.CreateFCmpONE(b_.CreateUnaryIntrinsic(llvm::Intrinsic::fabs, a), inf));
        raise_if(overflow, rt::ExcKind::OverflowError, "(34, 'Numerical result out of range')");
        return {r, t};
      }
    llvm::Value* r =
        b_.CreateCall(rt("shoal_rt_float_binop", f64_, {ptr_, i32_, f64_, f64_}), {fn_->ctx, c32(op), a, b});
    check_exc();
    return {r, t};
  }
  }
}

V Codegen::dyn_binop(int op, V l, V r, const Type* result) {
  V a = box(l);
  V b = box(r);
  llvm::Value* at = b_.CreateExtractValue(a.v, 0);
  llvm::Value* ab = b_.CreateExtractValue(a.v, 1);
  llvm::Value* bt = b_.CreateExtractValue(b.v, 0);
  llvm::Value* bb = b_.CreateExtractValue(b.v, 1);
  BinOp o = BinOp(op);
  bool inline_int = o == BinOp::Add || o == BinOp::Sub || o == BinOp::Mul;
  BasicBlock* slow = block("dyn.slow");
  BasicBlock* end = block("dyn.end");
  std::vector<std::pair<llvm::Value*, BasicBlock*>> incoming;
  if (inline_int) {
    // both small ints: the int64 operation, unless it overflows
    BasicBlock* fast = block("dyn.fast");
    llvm::Value* both = b_.CreateAnd(b_.CreateICmpEQ(at, c64(int64_t(rt::Tag::Int))),
                                     b_.CreateICmpEQ(bt, c64(int64_t(rt::Tag::Int))));
    b_.CreateCondBr(both, fast, slow);
    b_.SetInsertPoint(fast);
    auto id = o == BinOp::Add ? llvm::Intrinsic::sadd_with_overflow
            : o == BinOp::Sub ? llvm::Intrinsic::ssub_with_overflow
                              : llvm::Intrinsic::smul_with_overflow;
    llvm::Value* res = b_.CreateBinaryIntrinsic(id, ab, bb);
    BasicBlock* fast_ok = block("dyn.fast.ok");
    b_.CreateCondBr(b_.CreateExtractValue(res, 1), slow, fast_ok);
    b_.SetInsertPoint(fast_ok);
    incoming.emplace_back(make_val(uint64_t(rt::Tag::Int), b_.CreateExtractValue(res, 0)), fast_ok);
    b_.CreateBr(end);
  } else {
    b_.CreateBr(slow);
  }
  if (inline_int) {
    // both floats: the IEEE operation (the int path branched to slow when it did not apply)
    BasicBlock* fl = block("dyn.float");
    BasicBlock* rest = block("dyn.rest");
    slow->replaceAllUsesWith(fl); // the int path's misses try floats first
    b_.SetInsertPoint(fl);
    llvm::Value* both = b_.CreateAnd(b_.CreateICmpEQ(at, c64(int64_t(rt::Tag::Float))),
                                     b_.CreateICmpEQ(bt, c64(int64_t(rt::Tag::Float))));
    BasicBlock* fdo = block("dyn.float.op");
    b_.CreateCondBr(both, fdo, rest);
    b_.SetInsertPoint(fdo);
    llvm::Value* x = b_.CreateBitCast(ab, f64_);
    llvm::Value* y = b_.CreateBitCast(bb, f64_);
    llvm::Value* r = o == BinOp::Add ? b_.CreateFAdd(x, y) : o == BinOp::Sub ? b_.CreateFSub(x, y) : b_.CreateFMul(x, y);
    incoming.emplace_back(make_val(uint64_t(rt::Tag::Float), b_.CreateBitCast(r, i64_)), fdo);
    b_.CreateBr(end);
    b_.SetInsertPoint(rest);
    b_.CreateBr(slow);
  }
  b_.SetInsertPoint(slow);
  llvm::Value* v = b_.CreateCall(rt("shoal_rt_binop", val_ty_, {ptr_, i32_, i64_, i64_, i64_, i64_}),
                                 {fn_->ctx, c32(inplace_ ? op | rt::inplace_flag : op), at, ab, bt, bb});
  check_exc();
  incoming.emplace_back(v, b_.GetInsertBlock());
  b_.CreateBr(end);
  b_.SetInsertPoint(end);
  auto* phi = b_.CreatePHI(val_ty_, unsigned(incoming.size()));
  for (auto& [val, bb2] : incoming)
    phi->addIncoming(val, bb2);
  return unbox(phi, result);
}

V Codegen::compare(Node* n) {
  V left = expr(n->x);
  BasicBlock* end = block("cmp.end");
  std::vector<std::pair<llvm::Value*, BasicBlock*>> incoming;
  for (size_t i = 0; i < n->a.size(); ++i) {
    V right = expr(n->a[i]);
    llvm::Value* c = compare_pair(n->names[i], left, right);
    if (i + 1 == n->a.size()) {
      incoming.emplace_back(c, b_.GetInsertBlock());
      b_.CreateBr(end);
      break;
    }
    BasicBlock* next = block("cmp.next");
    incoming.emplace_back(b_.getInt1(false), b_.GetInsertBlock());
    b_.CreateCondBr(c, next, end);
    b_.SetInsertPoint(next);
    left = right;
  }
  b_.SetInsertPoint(end);
  auto* phi = b_.CreatePHI(i1_, unsigned(incoming.size()));
  for (auto& [v, bb] : incoming)
    phi->addIncoming(v, bb);
  return {phi, types_.boolean()};
}

llvm::Value* Codegen::compare_pair(const std::string& op, V l, V r) {
  if (l.t->is(T::Never) || r.t->is(T::Never))
    return b_.getInt1(false);
  if (op == "Is" || op == "IsNot") {
    bool neg = op == "IsNot";
    llvm::Value* same;
    if (l.t->is(T::None) && r.t->is(T::None)) {
      same = b_.getInt1(true);
    } else if ((l.t->is(T::None) || r.t->is(T::None)) && !l.t->is(T::Dyn) && !r.t->is(T::Dyn)) {
      same = b_.getInt1(false);
    } else {
      V a = box(l), b = box(r);
      same = b_.CreateAnd(b_.CreateICmpEQ(b_.CreateExtractValue(a.v, 0), b_.CreateExtractValue(b.v, 0)),
                          b_.CreateICmpEQ(b_.CreateExtractValue(a.v, 1), b_.CreateExtractValue(b.v, 1)));
    }
    return neg ? b_.CreateNot(same) : same;
  }
  if (op == "In" || op == "NotIn") {
    V item = box(l), container = box(r);
    llvm::Value* res = b_.CreateCall(rt("shoal_rt_contains", i32_, {ptr_, i64_, i64_, i64_, i64_}),
                                     {fn_->ctx, b_.CreateExtractValue(container.v, 0),
                                      b_.CreateExtractValue(container.v, 1), b_.CreateExtractValue(item.v, 0),
                                      b_.CreateExtractValue(item.v, 1)});
    check_exc();
    llvm::Value* in = b_.CreateICmpSGT(res, c32(0));
    return op == "NotIn" ? b_.CreateNot(in) : in;
  }
  static const std::map<std::string, rt::CmpOp> ops = {{"Eq", rt::CmpOp::Eq}, {"NotEq", rt::CmpOp::Ne},
                                                        {"Lt", rt::CmpOp::Lt}, {"LtE", rt::CmpOp::Le},
                                                        {"Gt", rt::CmpOp::Gt}, {"GtE", rt::CmpOp::Ge}};
  rt::CmpOp c = ops.at(op);
  static const llvm::CmpInst::Predicate ipred[] = {llvm::CmpInst::ICMP_EQ,  llvm::CmpInst::ICMP_NE,
                                                   llvm::CmpInst::ICMP_SLT, llvm::CmpInst::ICMP_SLE,
                                                   llvm::CmpInst::ICMP_SGT, llvm::CmpInst::ICMP_SGE};
  static const llvm::CmpInst::Predicate fpred[] = {llvm::CmpInst::FCMP_OEQ, llvm::CmpInst::FCMP_UNE,
                                                   llvm::CmpInst::FCMP_OLT, llvm::CmpInst::FCMP_OLE,
                                                   llvm::CmpInst::FCMP_OGT, llvm::CmpInst::FCMP_OGE};
  if (l.t->int_like() && r.t->int_like())
    return b_.CreateICmp(ipred[int(c)], to_i64(l), to_i64(r));
  if (l.t->is(T::Float) && r.t->is(T::Float))
    return b_.CreateFCmp(fpred[int(c)], l.v, r.v);
  if ((l.t->int_like() && r.t->is(T::Float)) || (l.t->is(T::Float) && r.t->int_like())) {
    bool flip = l.t->is(T::Float);
    V i = box(flip ? r : l);
    llvm::Value* d = flip ? l.v : r.v;
    llvm::Value* res = b_.CreateCall(rt("shoal_rt_int_float_cmp", i32_, {i64_, i64_, f64_}),
                                     {b_.CreateExtractValue(i.v, 0), b_.CreateExtractValue(i.v, 1), d});
    llvm::Value* unordered = b_.CreateICmpEQ(res, c32(2));
    if (flip)
      res = b_.CreateNeg(res);
    llvm::Value* ok = b_.CreateICmp(ipred[int(c)], res, c32(0));
    return b_.CreateSelect(unordered, b_.getInt1(c == rt::CmpOp::Ne), ok);
  }
  V a = box(l), b = box(r);
  llvm::Value* at = b_.CreateExtractValue(a.v, 0);
  llvm::Value* bt = b_.CreateExtractValue(b.v, 0);
  llvm::Value* ab = b_.CreateExtractValue(a.v, 1);
  llvm::Value* bb = b_.CreateExtractValue(b.v, 1);
  BasicBlock* fast = block("cmp.fast");
  BasicBlock* slow = block("cmp.slow");
  BasicBlock* end = block("cmp.done");
  BasicBlock* not_int = block("cmp.notint");
  BasicBlock* ffast = block("cmp.float");
  llvm::Value* both_int = b_.CreateAnd(b_.CreateICmpEQ(at, c64(int64_t(rt::Tag::Int))),
                                       b_.CreateICmpEQ(bt, c64(int64_t(rt::Tag::Int))));
  b_.CreateCondBr(both_int, fast, not_int);
  b_.SetInsertPoint(fast);
  llvm::Value* quick = b_.CreateICmp(ipred[int(c)], ab, bb);
  b_.CreateBr(end);
  b_.SetInsertPoint(not_int); // both floats: the IEEE comparison
  llvm::Value* both_float = b_.CreateAnd(b_.CreateICmpEQ(at, c64(int64_t(rt::Tag::Float))),
                                         b_.CreateICmpEQ(bt, c64(int64_t(rt::Tag::Float))));
  b_.CreateCondBr(both_float, ffast, slow);
  b_.SetInsertPoint(ffast);
  llvm::Value* fquick = b_.CreateFCmp(fpred[int(c)], b_.CreateBitCast(ab, f64_), b_.CreateBitCast(bb, f64_));
  b_.CreateBr(end);
  b_.SetInsertPoint(slow);
  llvm::Value* res = b_.CreateCall(rt("shoal_rt_compare", i32_, {ptr_, i32_, i64_, i64_, i64_, i64_}),
                                   {fn_->ctx, c32(int32_t(c)), at, ab, bt, bb});
  check_exc();
  llvm::Value* full = b_.CreateICmpSGT(res, c32(0));
  BasicBlock* slow_end = b_.GetInsertBlock();
  b_.CreateBr(end);
  b_.SetInsertPoint(end);
  auto* phi = b_.CreatePHI(i1_, 3);
  phi->addIncoming(quick, fast);
  phi->addIncoming(fquick, ffast);
  phi->addIncoming(full, slow_end);
  return phi;
}

} // namespace shoal::compiler
