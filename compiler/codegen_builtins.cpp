// Built-in calls, the math module, iteration (range, tuples, strings) and reductions over
// generator expressions.
#include "compiler/codegen.hpp"

#include "runtime/abi.hpp"

#include <llvm/IR/Intrinsics.h>
#include <llvm/IR/MDBuilder.h>

namespace shoal::compiler {

using T = Type::T;
using llvm::BasicBlock;

namespace {

const std::map<std::string, rt::Math1>& math1_names() {
  static const std::map<std::string, rt::Math1> m = {
      {"sqrt", rt::Math1::Sqrt},   {"exp", rt::Math1::Exp},         {"log", rt::Math1::Log},
      {"log2", rt::Math1::Log2},   {"log10", rt::Math1::Log10},     {"sin", rt::Math1::Sin},
      {"cos", rt::Math1::Cos},     {"tan", rt::Math1::Tan},         {"asin", rt::Math1::Asin},
      {"acos", rt::Math1::Acos},   {"atan", rt::Math1::Atan},       {"sinh", rt::Math1::Sinh},
      {"cosh", rt::Math1::Cosh},   {"tanh", rt::Math1::Tanh},       {"fabs", rt::Math1::Fabs},
      {"degrees", rt::Math1::Degrees}, {"radians", rt::Math1::Radians}, {"expm1", rt::Math1::Expm1},
      {"log1p", rt::Math1::Log1p}};
  return m;
}
const std::map<std::string, rt::Math2>& math2_names() {
  static const std::map<std::string, rt::Math2> m = {{"atan2", rt::Math2::Atan2}, {"hypot", rt::Math2::Hypot},
                                                     {"pow", rt::Math2::Pow},     {"fmod", rt::Math2::Fmod},
                                                     {"copysign", rt::Math2::Copysign}};
  return m;
}
const std::map<std::string, rt::MathV>& mathv_names() {
  static const std::map<std::string, rt::MathV> m = {
      {"floor", rt::MathV::Floor}, {"ceil", rt::MathV::Ceil},   {"trunc", rt::MathV::Trunc},
      {"gcd", rt::MathV::Gcd},     {"factorial", rt::MathV::Factorial}, {"isqrt", rt::MathV::Isqrt},
      {"comb", rt::MathV::Comb},   {"perm", rt::MathV::Perm}};
  return m;
}
} // namespace

V Codegen::builtin_call(Node* n, const std::string& name) {
  const Type* t = fn_->spec->types.at(n);
  bool reduce = name == "sum" || name == "min" || name == "max" || name == "any" || name == "all";
  if (reduce && n->a.size() == 1)
    return reduction(n, name);
  if (is_exception_name(name))
    return exception_new(n, name);
  if (name == "print")
    return print_call(n);
  std::vector<V> args;
  for (auto* a : n->a)
    args.push_back(expr(a));
  for (auto& a : args)
    if (a.t->is(T::Never))
      return undef(t);
  if (reduce)
    return minmax_args(name, args);
  auto boxed_call = [&](const char* fname, V a) {
    V x = box(a);
    llvm::Value* r = b_.CreateCall(rt(fname, val_ty_, {ptr_, i64_, i64_}),
                                   {fn_->ctx, b_.CreateExtractValue(x.v, 0), b_.CreateExtractValue(x.v, 1)});
    check_exc();
    return unbox(r, t);
  };
  if (name == "abs") {
    V a = args[0];
    if (a.t->is(T::Float))
      return {b_.CreateUnaryIntrinsic(llvm::Intrinsic::fabs, a.v), t};
    if (a.t->int_like() && t->is(T::Int)) {
      llvm::Value* x = to_i64(a);
      V neg = int_binop(int(rt::BinOp::Sub), c64(0), x);
      return {b_.CreateSelect(b_.CreateICmpSLT(x, c64(0)), neg.v, x), t};
    }
    return boxed_call("shoal_rt_abs", a);
  }
  if (name == "int") {
    if (args.empty())
      return convert({c64(0), types_.integer()}, t);
    V a = args[0];
    if (a.t->int_like() && t->is(T::Int))
      return {to_i64(a), t};
    if (a.t->is(T::Float) && t->is(T::Int)) {
      llvm::Value* fits = b_.CreateFCmpOLT(b_.CreateUnaryIntrinsic(llvm::Intrinsic::fabs, a.v),
                                           llvm::ConstantFP::get(f64_, 9.2e18));
      BasicBlock* fast = block("int.fast");
      BasicBlock* slow = block("int.slow");
      BasicBlock* end = block("int.end");
      b_.CreateCondBr(fits, fast, slow);
      b_.SetInsertPoint(fast);
      llvm::Value* q = b_.CreateFPToSI(a.v, i64_);
      b_.CreateBr(end);
      b_.SetInsertPoint(slow);
      llvm::Value* r = b_.CreateCall(rt("shoal_rt_float_to_int", val_ty_, {ptr_, f64_}), {fn_->ctx, a.v});
      check_exc();
      llvm::Value* big = unbox_int(r);
      BasicBlock* slow_end = b_.GetInsertBlock();
      b_.CreateBr(end);
      b_.SetInsertPoint(end);
      auto* phi = b_.CreatePHI(i64_, 2);
      phi->addIncoming(q, fast);
      phi->addIncoming(big, slow_end);
      return {phi, t};
    }
    return boxed_call("shoal_rt_to_int", a);
  }
  if (name == "float")
    return {args.empty() ? llvm::ConstantFP::get(f64_, 0.0) : to_double(args[0]), t};
  if (name == "bool")
    return {args.empty() ? b_.getInt1(false) : truthy(args[0]), t};
  if (name == "str" || name == "repr") {
    if (args.empty())
      return {str_const(""), t};
    if (name == "str" && args[0].t->is(T::Str))
      return args[0];
    V x = box(args[0]);
    llvm::Value* s = b_.CreateCall(rt(name == "str" ? "shoal_rt_to_str" : "shoal_rt_repr", ptr_, {ptr_, i64_, i64_}),
                                   {fn_->ctx, b_.CreateExtractValue(x.v, 0), b_.CreateExtractValue(x.v, 1)});
    return {s, t};
  }
  if (name == "len") {
    llvm::Value* r;
    if (args[0].t->is(T::Tuple)) {
      r = c64(int64_t(args[0].t->elts.size()));
    } else {
      V x = box(args[0]);
      r = b_.CreateCall(rt("shoal_rt_len", i64_, {ptr_, i64_, i64_}),
                        {fn_->ctx, b_.CreateExtractValue(x.v, 0), b_.CreateExtractValue(x.v, 1)});
      check_exc();
    }
    return t->is(T::Int) ? V{r, t} : V{make_val(uint64_t(rt::Tag::Int), r), t};
  }
  if (name == "round")
    return round_call(args);
  if (name == "divmod") {
    if (t->is(T::Tuple) && t->elts[0]->is(T::Int) && args[0].t->int_like() && args[1].t->int_like()) {
      llvm::Value* a = to_i64(args[0]);
      llvm::Value* b = to_i64(args[1]);
      V q = int_binop(int(rt::BinOp::FloorDiv), a, b);
      V r = int_binop(int(rt::BinOp::Mod), a, b);
      llvm::Value* out = llvm::UndefValue::get(rep(t));
      out = b_.CreateInsertValue(out, q.v, {0});
      return {b_.CreateInsertValue(out, r.v, {1}), t};
    }
    V a = box(args[0]), b = box(args[1]);
    llvm::Value* r = b_.CreateCall(rt("shoal_rt_divmod", val_ty_, {ptr_, i64_, i64_, i64_, i64_}),
                                   {fn_->ctx, b_.CreateExtractValue(a.v, 0), b_.CreateExtractValue(a.v, 1),
                                    b_.CreateExtractValue(b.v, 0), b_.CreateExtractValue(b.v, 1)});
    check_exc();
    return unbox(r, t);
  }
  if (name == "pow")
    return binop(int(rt::BinOp::Pow), args[0], args[1], t);
  if (name == "isinstance")
    return isinstance_call(n, args);
  if (name.rfind("math.", 0) == 0)
    return math_call(n, name.substr(5), args);
  unsupported(fn_->spec->fn->file, n->line, "the built-in " + name + "()");
}

V Codegen::exception_new(Node* n, const std::string& name) {
  std::vector<V> args;
  for (auto* a : n->a)
    args.push_back(expr(a));
  llvm::Value* e = b_.CreateCall(rt("shoal_rt_exc_new", ptr_, {ptr_, i32_, i64_, ptr_}),
                                 {fn_->ctx, c32(int32_t(rt::exc_by_name(name))), c64(int64_t(args.size())),
                                  val_array(args)});
  return {e, types_.exc()};
}

V Codegen::print_call(Node* n) {
  std::vector<V> args;
  for (auto* a : n->a)
    args.push_back(expr(a));
  llvm::Value* sep = llvm::ConstantPointerNull::get(ptr_);
  llvm::Value* end = sep;
  for (auto* kw : n->b) {
    V v = expr(kw->x);
    if (v.t->is(T::Str))
      (kw->s == "sep" ? sep : end) = v.v;
    else if (!v.t->is(T::None))
      raise_static(rt::ExcKind::TypeError,
                   kw->s + " must be None or a string, not " + (v.t->is(T::Int) ? "int" : v.t->str()));
  }
  b_.CreateCall(rt("shoal_rt_print", b_.getVoidTy(), {ptr_, i64_, ptr_, ptr_, ptr_}),
                {fn_->ctx, c64(int64_t(args.size())), val_array(args), sep, end});
  return {b_.getInt8(0), types_.none()};
}

V Codegen::round_call(std::vector<V>& args) {
  const Type* t = types_.integer();
  if (args.size() == 2 && args[1].t->is(T::None))
    args.pop_back(); // round(x, None) is round(x)
  V x = args[0];
  if (args.size() == 1 && x.t->is(T::Float) && t->is(T::Int)) {
    llvm::Value* r = b_.CreateCall(rt("shoal_rt_round", val_ty_, {ptr_, f64_}), {fn_->ctx, x.v});
    check_exc();
    return {unbox_int(r), t};
  }
  if (args.size() == 1 && x.t->int_like() && t->is(T::Int))
    return {to_i64(x), t};
  if (args.size() == 2 && x.t->is(T::Float) && args[1].t->int_like()) {
    llvm::Value* r = b_.CreateCall(rt("shoal_rt_round_n", f64_, {f64_, i64_}), {x.v, to_i64(args[1])});
    return {r, types_.flt()};
  }
  V a = box(x);
  V nd = args.size() == 2 ? box(args[1]) : box({b_.getInt8(0), types_.none()});
  llvm::Value* r = b_.CreateCall(rt("shoal_rt_round_any", val_ty_, {ptr_, i64_, i64_, i64_, i64_}),
                                 {fn_->ctx, b_.CreateExtractValue(a.v, 0), b_.CreateExtractValue(a.v, 1),
                                  b_.CreateExtractValue(nd.v, 0), b_.CreateExtractValue(nd.v, 1)});
  check_exc();
  const Type* result = args.size() == 1 ? t : x.t->is(T::Float) ? types_.flt() : x.t->int_like() ? t : types_.dyn();
  return unbox(r, result);
}

V Codegen::isinstance_call(Node* n, std::vector<V>& args) {
  const Type* cls = args[1].t;
  std::vector<std::string> names;
  for (auto* c : cls->is(T::Tuple) ? cls->elts : std::vector<const Type*>{cls}) {
    if (!c->is(T::Builtin))
      unsupported(fn_->spec->fn->file, n->line, "isinstance() with " + c->str());
    names.push_back(c->name);
  }
  V x = box(args[0]);
  llvm::Value* tag = b_.CreateExtractValue(x.v, 0);
  llvm::Value* r = b_.getInt1(false);
  auto tag_is = [&](rt::Tag tg) { return b_.CreateICmpEQ(tag, c64(int64_t(tg))); };
  for (auto& name : names) {
    if (name == "int")
      r = b_.CreateOr(r, b_.CreateOr(tag_is(rt::Tag::Int), b_.CreateOr(tag_is(rt::Tag::Big), tag_is(rt::Tag::Bool))));
    else if (name == "bool")
      r = b_.CreateOr(r, tag_is(rt::Tag::Bool));
    else if (name == "float")
      r = b_.CreateOr(r, tag_is(rt::Tag::Float));
    else if (name == "str")
      r = b_.CreateOr(r, tag_is(rt::Tag::Str));
    else if (name == "tuple")
      r = b_.CreateOr(r, tag_is(rt::Tag::Tuple));
    else if (is_exception_name(name)) {
      BasicBlock* is_exc = block("isinst.exc");
      BasicBlock* done = block("isinst.done");
      BasicBlock* here = b_.GetInsertBlock();
      b_.CreateCondBr(tag_is(rt::Tag::Exc), is_exc, done);
      b_.SetInsertPoint(is_exc);
      llvm::Value* m = b_.CreateCall(rt("shoal_rt_exc_matches", i32_, {ptr_, i32_}),
                                     {b_.CreateIntToPtr(b_.CreateExtractValue(x.v, 1), ptr_),
                                      c32(int32_t(rt::exc_by_name(name)))});
      llvm::Value* mm = b_.CreateOr(r, b_.CreateICmpNE(m, c32(0)));
      b_.CreateBr(done);
      b_.SetInsertPoint(done);
      auto* phi = b_.CreatePHI(i1_, 2);
      phi->addIncoming(r, here);
      phi->addIncoming(mm, is_exc);
      r = phi;
    } else {
      unsupported(fn_->spec->fn->file, n->line, "isinstance() with " + name);
    }
  }
  return {r, types_.boolean()};
}

V Codegen::math_call(Node* n, const std::string& name, std::vector<V>& args) {
  const Type* t = fn_->spec->types.at(n);
  if (name == "sqrt") {
    llvm::Value* x = to_double(args[0]);
    raise_if(b_.CreateFCmpOLT(x, llvm::ConstantFP::get(f64_, 0.0)), rt::ExcKind::ValueError, "math domain error");
    return {b_.CreateUnaryIntrinsic(llvm::Intrinsic::sqrt, x), t};
  }
  bool logarithm = name == "log" || name == "log2" || name == "log10";
  if (logarithm && (args.size() == 2 || args[0].t->is(T::Dyn))) {
    // big ints have logarithms beyond the float range, as in CPython: the runtime takes the Val
    V x = box(args[0]);
    V base = args.size() == 2 ? box(args[1]) : box({b_.getInt8(0), types_.none()});
    int32_t which = name == "log" ? 0 : name == "log2" ? 1 : 2;
    llvm::Value* r = b_.CreateCall(rt("shoal_rt_math_log", f64_, {ptr_, i32_, i64_, i64_, i64_, i64_}),
                                   {fn_->ctx, c32(which), b_.CreateExtractValue(x.v, 0), b_.CreateExtractValue(x.v, 1),
                                    b_.CreateExtractValue(base.v, 0), b_.CreateExtractValue(base.v, 1)});
    check_exc();
    return {r, t};
  }
  if (auto it = math1_names().find(name); it != math1_names().end()) {
    llvm::Value* r = b_.CreateCall(rt("shoal_rt_math1", f64_, {ptr_, i32_, f64_}),
                                   {fn_->ctx, c32(int32_t(it->second)), to_double(args[0])});
    check_exc();
    return {r, t};
  }
  if (auto it = math2_names().find(name); it != math2_names().end()) {
    llvm::Value* r = b_.CreateCall(rt("shoal_rt_math2", f64_, {ptr_, i32_, f64_, f64_}),
                                   {fn_->ctx, c32(int32_t(it->second)), to_double(args[0]), to_double(args[1])});
    check_exc();
    return {r, t};
  }
  if (name == "isnan" || name == "isinf" || name == "isfinite") {
    llvm::Value* x = to_double(args[0]);
    if (name == "isnan")
      return {b_.CreateFCmpUNO(x, x), t};
    llvm::Value* mag = b_.CreateUnaryIntrinsic(llvm::Intrinsic::fabs, x);
    llvm::Value* inf = llvm::ConstantFP::getInfinity(f64_);
    return {name == "isinf" ? b_.CreateFCmpOEQ(mag, inf) : b_.CreateFCmpOLT(mag, inf), t};
  }
  if (auto it = mathv_names().find(name); it != mathv_names().end()) {
    if (args[0].t->int_like() && t->is(T::Int) && (name == "floor" || name == "ceil" || name == "trunc"))
      return {to_i64(args[0]), t};
    V a = box(args[0]);
    V b = args.size() > 1 ? box(args[1]) : box({b_.getInt8(0), types_.none()});
    llvm::Value* r = b_.CreateCall(rt("shoal_rt_mathv", val_ty_, {ptr_, i32_, i64_, i64_, i64_, i64_}),
                                   {fn_->ctx, c32(int32_t(it->second)), b_.CreateExtractValue(a.v, 0),
                                    b_.CreateExtractValue(a.v, 1), b_.CreateExtractValue(b.v, 0),
                                    b_.CreateExtractValue(b.v, 1)});
    check_exc();
    return unbox(r, t);
  }
  unsupported(fn_->spec->fn->file, n->line, "math." + name + "()");
}

V Codegen::minmax_args(const std::string& name, std::vector<V>& args) {
  const Type* t = types_.never();
  for (auto& a : args)
    t = types_.join(t, a.t);
  V best = convert(args[0], t);
  for (size_t i = 1; i < args.size(); ++i) {
    V cand = convert(args[i], t);
    llvm::Value* better = compare_pair(name == "min" ? "Lt" : "Gt", cand, best);
    best = {b_.CreateSelect(better, cand.v, best.v), t};
  }
  return best;
}

} // namespace shoal::compiler
