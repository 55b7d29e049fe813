// Iteration (range, tuples, strings, boxed sequences), generator expressions and the
// reductions sum/min/max/any/all over them.
#include "compiler/codegen.hpp"

#include <llvm/IR/Intrinsics.h>
#include <llvm/IR/MDBuilder.h>

namespace shoal::compiler {

using T = Type::T;
using llvm::BasicBlock;

namespace {
/// Iterations per strip of a versioned loop: the strip's bound check (a few dozen int128
/// operations) then costs well under 1% of even a one-instruction loop body, while strips stay
/// short enough that an accumulator near the int64 limit loses the fast path only at the end.
constexpr int64_t strip_iterations = 4096;
} // namespace

// ---- iteration --------------------------------------------------------------------------------

void Codegen::range_loop(Node* iter, const std::function<void(V, BasicBlock*)>& body, BasicBlock* done) {
  std::vector<llvm::Value*> a;
  std::vector<V> boxed;
  std::vector<V> values;
  for (auto* arg : iter->a) // every argument is evaluated before range() looks at any
    values.push_back(expr(arg));
  for (V v : values) {
    if (types_.wide) {
      boxed.push_back(box(v));
      continue;
    }
    if (v.t->is(T::Never)) {
      b_.CreateBr(done);
      return;
    }
    if (v.t->is(T::Float) || v.t->is(T::Str) || v.t->is(T::Tuple) || v.t->is(T::None)) {
      raise_static(rt::ExcKind::TypeError,
                   "'" + std::string(v.t->is(T::Float) ? "float" : v.t->is(T::Str) ? "str" : v.t->is(T::None) ? "NoneType" : "tuple") +
                       "' object cannot be interpreted as an integer");
      b_.CreateBr(done);
      return;
    }
    if (v.t->is(T::Dyn)) {
      a.push_back(b_.CreateCall(rt("shoal_rt_range_arg", i64_, {ptr_, i64_, i64_}),
                                {fn_->ctx, b_.CreateExtractValue(v.v, 0), b_.CreateExtractValue(v.v, 1)}));
      check_exc();
    } else {
      a.push_back(to_i64(v));
    }
  }
  if (types_.wide)
    return boxed_range_loop(boxed, body, done);
  llvm::Value* start = a.size() == 1 ? c64(0) : a[0];
  llvm::Value* stop = a.size() == 1 ? a[0] : a[1];
  llvm::Value* step = a.size() == 3 ? a[2] : c64(1);
  range_loop_with(start, stop, step, body, done);
}

void Codegen::range_loop_with(llvm::Value* start, llvm::Value* stop, llvm::Value* step,
                              const std::function<void(V, BasicBlock*)>& body, BasicBlock* done) {
  auto* cstep = llvm::dyn_cast<llvm::ConstantInt>(step);
  if (!cstep || cstep->isZero()) {
    raise_if(b_.CreateICmpEQ(step, c64(0)), rt::ExcKind::ValueError, "range() arg 3 must not be zero");
  }
  BasicBlock* pre = b_.GetInsertBlock();
  BasicBlock* header = block("range.head");
  BasicBlock* bodyb = block("range.body");
  BasicBlock* next = block("range.next");
  b_.CreateBr(header);
  b_.SetInsertPoint(header);
  auto* i = b_.CreatePHI(i64_, 2);
  i->addIncoming(start, pre);
  llvm::Value* up = b_.CreateICmpSLT(i, stop);
  llvm::Value* down = b_.CreateICmpSGT(i, stop);
  llvm::Value* go = cstep ? (cstep->isNegative() ? down : up) : b_.CreateSelect(b_.CreateICmpSGT(step, c64(0)), up, down);
  b_.CreateCondBr(go, bodyb, done);
  b_.SetInsertPoint(bodyb);
  body(types_.wide ? V{make_val(uint64_t(rt::Tag::Int), i), types_.dyn()} : V{i, types_.integer()}, next);
  b_.SetInsertPoint(next);
  llvm::Value* inc = b_.CreateBinaryIntrinsic(llvm::Intrinsic::sadd_with_overflow, i, step);
  BasicBlock* back = block("range.back");
  b_.CreateCondBr(b_.CreateExtractValue(inc, 1), done, back);
  b_.SetInsertPoint(back);
  i->addIncoming(b_.CreateExtractValue(inc, 0), back);
  b_.CreateBr(header);
}

void Codegen::boxed_range_loop(std::vector<V>& args, const std::function<void(V, BasicBlock*)>& body,
                               BasicBlock* done) {
  const Type* dyn = types_.dyn();
  V zero{make_val(uint64_t(rt::Tag::Int), c64(0)), dyn};
  V start = args.size() == 1 ? zero : args[0];
  V stop = args.size() == 1 ? args[0] : args[1];
  V step = args.size() == 3 ? args[2] : V{make_val(uint64_t(rt::Tag::Int), c64(1)), dyn};
  // every argument must be an int: as CPython, TypeError otherwise
  for (V& v : args) {
    llvm::Value* tag = b_.CreateExtractValue(v.v, 0);
    llvm::Value* is_int = b_.CreateOr(b_.CreateICmpEQ(tag, c64(int64_t(rt::Tag::Int))),
                                      b_.CreateOr(b_.CreateICmpEQ(tag, c64(int64_t(rt::Tag::Big))),
                                                  b_.CreateICmpEQ(tag, c64(int64_t(rt::Tag::Bool)))));
    BasicBlock* bad = block("range.type");
    BasicBlock* ok = block("range.int");
    b_.CreateCondBr(is_int, ok, bad);
    b_.SetInsertPoint(bad);
    b_.CreateCall(rt("shoal_rt_as_index", i64_, {ptr_, i64_, i64_}), {fn_->ctx, tag, b_.CreateExtractValue(v.v, 1)});
    b_.CreateBr(fn_->unwind.back());
    b_.SetInsertPoint(ok);
  }
  llvm::Value* positive = compare_pair("Gt", step, zero);
  llvm::Value* is_zero = compare_pair("Eq", step, zero);
  raise_if(is_zero, rt::ExcKind::ValueError, "range() arg 3 must not be zero");
  BasicBlock* pre = b_.GetInsertBlock();
  BasicBlock* header = block("range.head");
  BasicBlock* bodyb = block("range.body");
  BasicBlock* next = block("range.next");
  b_.CreateBr(header);
  b_.SetInsertPoint(header);
  auto* i = b_.CreatePHI(val_ty_, 2);
  i->addIncoming(start.v, pre);
  V cur{i, dyn};
  llvm::Value* up = compare_pair("Lt", cur, stop);
  llvm::Value* down = compare_pair("Gt", cur, stop);
  b_.CreateCondBr(b_.CreateSelect(positive, up, down), bodyb, done);
  b_.SetInsertPoint(bodyb);
  body(cur, next);
  b_.SetInsertPoint(next);
  V inc = dyn_binop(int(rt::BinOp::Add), cur, step, dyn);
  i->addIncoming(inc.v, b_.GetInsertBlock());
  b_.CreateBr(header);
}

void Codegen::for_each(Node* iter, const Type* elem, const std::function<void(V, BasicBlock*)>& body,
                       BasicBlock* done) {
  const Type* it = fn_->spec->types.at(iter);
  if (it->is(T::Builtin) && it->name == "range") {
    range_loop(iter, body, done);
    return;
  }
  V seq = expr(iter);
  if (seq.t->is(T::Never) || (seq.t->is(T::Tuple) && seq.t->elts.empty())) {
    b_.CreateBr(done);
    return;
  }
  if (seq.t->is(T::List)) {
    list_loop(seq, elem, body, done);
    return;
  }
  if (!seq.t->is(T::Tuple) && !seq.t->is(T::Str)) {
    iter_loop(seq, elem, body, done);
    return;
  }
  llvm::Value* n;
  llvm::Value* arr = nullptr;
  llvm::ArrayType* arr_ty = nullptr;
  V boxed;
  if (seq.t->is(T::Tuple)) {
    n = c64(int64_t(seq.t->elts.size()));
    arr_ty = llvm::ArrayType::get(rep(elem), seq.t->elts.size());
    arr = entry_alloca(arr_ty);
    for (size_t k = 0; k < seq.t->elts.size(); ++k)
      b_.CreateStore(convert({b_.CreateExtractValue(seq.v, {unsigned(k)}), seq.t->elts[k]}, elem).v,
                     b_.CreateConstInBoundsGEP2_64(arr_ty, arr, 0, k));
  } else {
    boxed = box(seq);
    n = b_.CreateCall(rt("shoal_rt_len", i64_, {ptr_, i64_, i64_}),
                      {fn_->ctx, b_.CreateExtractValue(boxed.v, 0), b_.CreateExtractValue(boxed.v, 1)});
    check_exc();
  }
  index_loop([&] { return n; },
             [&](llvm::Value* i) -> V {
               if (arr)
                 return {b_.CreateLoad(rep(elem), b_.CreateInBoundsGEP(arr_ty, arr, {c64(0), i})), elem};
               llvm::Value* r = b_.CreateCall(rt("shoal_rt_index", val_ty_, {ptr_, i64_, i64_, i64_, i64_}),
                                              {fn_->ctx, b_.CreateExtractValue(boxed.v, 0),
                                               b_.CreateExtractValue(boxed.v, 1), c64(int64_t(rt::Tag::Int)), i});
               check_exc();
               return unbox(r, elem);
             },
             body, done);
}

void Codegen::index_loop(const std::function<llvm::Value*()>& bound, const std::function<V(llvm::Value* i)>& item,
                         const std::function<void(V, BasicBlock*)>& body, BasicBlock* done) {
  BasicBlock* pre = b_.GetInsertBlock();
  BasicBlock* header = block("idx.head");
  BasicBlock* bodyb = block("idx.body");
  BasicBlock* next = block("idx.next");
  b_.CreateBr(header);
  b_.SetInsertPoint(header);
  auto* i = b_.CreatePHI(i64_, 2);
  i->addIncoming(c64(0), pre);
  b_.CreateCondBr(b_.CreateICmpSLT(i, bound()), bodyb, done);
  b_.SetInsertPoint(bodyb);
  body(item(i), next);
  b_.SetInsertPoint(next);
  i->addIncoming(b_.CreateAdd(i, c64(1)), next);
  b_.CreateBr(header);
}

void Codegen::list_loop(V list, const Type* elem, const std::function<void(V, BasicBlock*)>& body,
                        BasicBlock* done) {
  // the length is read on every step: the body may append to the list (as CPython's iterator sees)
  index_loop([&] { return b_.CreateLoad(i64_, list.v); },
             [&](llvm::Value* i) -> V {
               llvm::Value* items = b_.CreateLoad(ptr_, b_.CreateConstInBoundsGEP1_64(i8_, list.v, 16)); // List::items
               return unbox(b_.CreateLoad(val_ty_, b_.CreateInBoundsGEP(val_ty_, items, i)), elem);
             },
             body, done);
}

void Codegen::iter_loop(V seq, const Type* elem, const std::function<void(V, BasicBlock*)>& body,
                        BasicBlock* done) {
  V boxed = box(seq);
  llvm::Value* it = b_.CreateCall(rt("shoal_rt_iter", ptr_, {ptr_, i64_, i64_}),
                                  {fn_->ctx, tag_of(boxed), bits_of(boxed)});
  check_exc();
  llvm::Value* slot = entry_alloca(val_ty_);
  BasicBlock* header = block("iter.head");
  BasicBlock* got = block("iter.item");
  BasicBlock* ended = block("iter.end");
  b_.CreateBr(header);
  b_.SetInsertPoint(header);
  llvm::Value* r = b_.CreateCall(rt("shoal_rt_iter_next", i32_, {ptr_, ptr_, ptr_}), {fn_->ctx, it, slot});
  b_.CreateCondBr(b_.CreateICmpSGT(r, c32(0)), got, ended);
  b_.SetInsertPoint(ended);
  check_exc(); // the iterator raised (not just ended)
  b_.CreateBr(done);
  b_.SetInsertPoint(got);
  body(unbox(b_.CreateLoad(val_ty_, slot), elem), header);
}

void Codegen::comprehension(Node* g, size_t level, const std::function<void(V, BasicBlock*)>& body,
                            BasicBlock* done) {
  Node* comp = g->a[level];
  for_each(
      comp->y, fn_->spec->types.at(comp->x),
      [&](V e, BasicBlock* next) {
        assign(comp->x, e);
        for (auto* cond : comp->a) {
          BasicBlock* pass = block("genexp.if");
          b_.CreateCondBr(truthy(expr(cond)), pass, next);
          b_.SetInsertPoint(pass);
        }
        if (level + 1 < g->a.size())
          comprehension(g, level + 1, body, next);
        else
          body(expr(g->x), next);
      },
      done);
}

bool Codegen::interval_ok(const Node* e, const std::string& x, const std::set<std::string>& varying) {
  auto it = fn_->spec->types.find(e);
  if (it == fn_->spec->types.end() || !it->second->is(T::Int))
    return false;
  switch (e->kind) {
  case K::Const: return e->cv.t == ConstVal::T::Int;
  case K::Name:
    return e->s == x || ((NameKind(e->op) == NameKind::Local || NameKind(e->op) == NameKind::Free) && !varying.count(e->s));
  case K::UnaryOp: return e->s == "USub" && interval_ok(e->x, x, varying);
  case K::BinOp: {
    auto op = rt::BinOp(e->op);
    return (op == rt::BinOp::Add || op == rt::BinOp::Sub || op == rt::BinOp::Mul) && interval_ok(e->x, x, varying) &&
           interval_ok(e->y, x, varying);
  }
  default: return false;
  }
}

void Codegen::interval(Node* e, const std::string& x, llvm::Value* lo, llvm::Value* hi, llvm::Value*& l,
                       llvm::Value*& h, llvm::Value*& bad) {
  llvm::Type* i128 = b_.getInt128Ty();
  auto fits = [&](llvm::Value* v) {
    llvm::Value* big = b_.CreateOr(b_.CreateICmpSLT(v, llvm::ConstantInt::get(i128, INT64_MIN, true)),
                                   b_.CreateICmpSGT(v, llvm::ConstantInt::get(i128, INT64_MAX, true)));
    bad = b_.CreateOr(bad, big);
  };
  switch (e->kind) {
  case K::Const: l = h = llvm::ConstantInt::get(i128, e->cv.i, true); return;
  case K::Name:
    if (e->s == x)
      l = lo, h = hi;
    else
      l = h = b_.CreateSExt(load_var(e).v, i128);
    return;
  case K::UnaryOp: {
    llvm::Value *a, *b;
    interval(e->x, x, lo, hi, a, b, bad);
    l = b_.CreateNeg(b), h = b_.CreateNeg(a);
    fits(l), fits(h);
    return;
  }
  default: {
    llvm::Value *al, *ah, *bl, *bh;
    auto op = rt::BinOp(e->op);
    interval(e->x, x, lo, hi, al, ah, bad);
    interval(e->y, x, lo, hi, bl, bh, bad);
    if (op == rt::BinOp::Add) {
      l = b_.CreateAdd(al, bl), h = b_.CreateAdd(ah, bh);
    } else if (op == rt::BinOp::Sub) {
      l = b_.CreateSub(al, bh), h = b_.CreateSub(ah, bl);
    } else {
      llvm::Value* p[] = {b_.CreateMul(al, bl), b_.CreateMul(al, bh), b_.CreateMul(ah, bl), b_.CreateMul(ah, bh)};
      l = h = p[0];
      for (int i = 1; i < 4; ++i) {
        l = b_.CreateSelect(b_.CreateICmpSLT(p[i], l), p[i], l);
        h = b_.CreateSelect(b_.CreateICmpSGT(p[i], h), p[i], h);
      }
    }
    fits(l), fits(h);
  }
  }
}

bool Codegen::versioned_range_loop(Node* range_call, const std::string& x, const std::vector<Accumulation>& accs,
                                   const std::function<void(V, BasicBlock*, bool)>& body, BasicBlock* done) {
  if (types_.wide)
    return false;
  std::set<std::string> varying;
  for (auto& acc : accs)
    varying.insert(acc.name);
  for (auto* arg : range_call->a)
    if (!fn_->spec->types.at(arg)->int_like())
      return false;
  for (auto& acc : accs)
    for (Node* term : acc.terms)
      if (!interval_ok(term, x, varying))
        return false;
  std::vector<llvm::Value*> a;
  for (auto* arg : range_call->a)
    a.push_back(to_i64(expr(arg)));
  llvm::Value* start = a.size() == 1 ? c64(0) : a[0];
  llvm::Value* stop = a.size() == 1 ? a[0] : a[1];
  llvm::Value* step = a.size() == 3 ? a[2] : c64(1);
  if (a.size() == 3) {
    raise_if(b_.CreateICmpEQ(step, c64(0)), rt::ExcKind::ValueError, "range() arg 3 must not be zero");
  }
  llvm::Type* i128 = b_.getInt128Ty();
  auto k128 = [&](int64_t v) { return llvm::ConstantInt::get(i128, v, true); };
  auto abs128 = [&](llvm::Value* v) { return b_.CreateSelect(b_.CreateICmpSLT(v, k128(0)), b_.CreateNeg(v), v); };
  auto min128 = [&](llvm::Value* p, llvm::Value* q) { return b_.CreateSelect(b_.CreateICmpSLT(p, q), p, q); };
  auto max128 = [&](llvm::Value* p, llvm::Value* q) { return b_.CreateSelect(b_.CreateICmpSGT(p, q), p, q); };
  // the number of iterations, as CPython's range computes it
  llvm::Value* s128 = b_.CreateSExt(start, i128);
  llvm::Value* st128 = b_.CreateSExt(step, i128);
  llvm::Value* span = b_.CreateSub(b_.CreateSExt(stop, i128), s128);
  llvm::Value* up = b_.CreateICmpSGT(st128, k128(0));
  llvm::Value* mag = b_.CreateSelect(up, span, b_.CreateNeg(span));
  llvm::Value* smag = abs128(st128);
  llvm::Value* n = b_.CreateSelect(b_.CreateICmpSGT(mag, k128(0)),
                                   b_.CreateSDiv(b_.CreateAdd(mag, b_.CreateSub(smag, k128(1))), smag), k128(0));
  // strips of iterations, each run unchecked when its bound is proved, checked otherwise
  BasicBlock* pre = b_.GetInsertBlock();
  BasicBlock* strip = block("strip.head");
  BasicBlock* strip_body = block("strip.body");
  BasicBlock* strip_next = block("strip.next");
  b_.CreateBr(strip);
  b_.SetInsertPoint(strip);
  auto* j0 = b_.CreatePHI(i128, 2);
  j0->addIncoming(k128(0), pre);
  b_.CreateCondBr(b_.CreateICmpSLT(j0, n), strip_body, done);
  b_.SetInsertPoint(strip_body);
  llvm::Value* j1 = min128(b_.CreateAdd(j0, k128(strip_iterations)), n);
  llvm::Value* first = b_.CreateAdd(s128, b_.CreateMul(st128, j0));
  llvm::Value* last = b_.CreateAdd(s128, b_.CreateMul(st128, b_.CreateSub(j1, k128(1))));
  llvm::Value* lo = min128(first, last);
  llvm::Value* hi = max128(first, last);
  llvm::Value* count = b_.CreateSub(j1, j0);
  llvm::Value* bad = b_.getInt1(false);
  for (auto& acc : accs) {
    // |acc| + count * sum(max |term|) must fit int64 (count <= strip_iterations: no int128 wrap)
    llvm::Value* total = abs128(b_.CreateSExt(acc.initial(), i128));
    for (Node* term : acc.terms) {
      llvm::Value *l, *h;
      interval(term, x, lo, hi, l, h, bad);
      llvm::Value* m = max128(abs128(l), abs128(h));
      bad = b_.CreateOr(bad, b_.CreateICmpSGT(m, k128(INT64_MAX)));
      total = b_.CreateAdd(total, b_.CreateMul(count, b_.CreateSelect(bad, k128(0), m)));
    }
    bad = b_.CreateOr(bad, b_.CreateICmpSGT(total, k128(INT64_MAX)));
    if (acc.undefined)
      bad = b_.CreateOr(bad, acc.undefined());
  }
  llvm::Value* from = b_.CreateTrunc(first, i64_);
  llvm::Value* iterations = b_.CreateTrunc(count, i64_);
  BasicBlock* fast = block("strip.unchecked");
  BasicBlock* slow = block("strip.checked");
  b_.CreateCondBr(bad, slow, fast);
  for (bool checked : {false, true}) {
    b_.SetInsertPoint(checked ? slow : fast);
    BasicBlock* entry = b_.GetInsertBlock();
    BasicBlock* head = block("strip.loop");
    BasicBlock* loop_body = block("strip.iter");
    BasicBlock* next = block("strip.step");
    b_.CreateBr(head);
    b_.SetInsertPoint(head);
    auto* k = b_.CreatePHI(i64_, 2);
    auto* i = b_.CreatePHI(i64_, 2);
    k->addIncoming(c64(0), entry);
    i->addIncoming(from, entry);
    b_.CreateCondBr(b_.CreateICmpSLT(k, iterations), loop_body, strip_next);
    b_.SetInsertPoint(loop_body);
    body({i, types_.integer()}, next, checked);
    b_.SetInsertPoint(next);
    k->addIncoming(b_.CreateAdd(k, c64(1)), next);
    i->addIncoming(b_.CreateAdd(i, step), next); // wraps only after the last iteration
    b_.CreateBr(head);
  }
  b_.SetInsertPoint(strip_next);
  j0->addIncoming(j1, strip_next);
  b_.CreateBr(strip);
  return true;
}

bool Codegen::range_sum(Node* n, V start_value, llvm::Value* acc, BasicBlock* done) {
  Node* g = n->a[0];
  if (g->kind != K::GenExp || g->a.size() != 1 || !fn_->spec->types.at(n)->is(T::Int) || !start_value.t->is(T::Int))
    return false;
  Node* comp = g->a[0];
  const Type* it = fn_->spec->types.at(comp->y);
  if (!(it->is(T::Builtin) && it->name == "range") || comp->x->kind != K::Name)
    return false;
  Accumulation sum{"", {g->x}, [&] { return b_.CreateLoad(i64_, acc); }, nullptr};
  return versioned_range_loop(comp->y, comp->x->s, {sum}, [&](V e, BasicBlock* next, bool checked) {
    assign(comp->x, e);
    for (auto* cond : comp->a) {
      BasicBlock* pass = block("genexp.if");
      b_.CreateCondBr(truthy(expr(cond)), pass, next);
      b_.SetInsertPoint(pass);
    }
    unchecked_ints_ = !checked;
    V cur{b_.CreateLoad(i64_, acc), types_.integer()};
    b_.CreateStore(binop(int(rt::BinOp::Add), cur, expr(g->x), types_.integer()).v, acc);
    unchecked_ints_ = false;
    b_.CreateBr(next);
  }, done);
}

bool Codegen::accumulating_for(Node* n, BasicBlock* else_bb) {
  // for x in range(...): acc += E; acc2 -= E2 ...  with E of +, -, * over x and invariant ints
  const Type* it = fn_->spec->types.at(n->y);
  if (!(it->is(T::Builtin) && it->name == "range") || n->x->kind != K::Name || !n->b.empty() || n->a.empty())
    return false;
  std::vector<Accumulation> accs;
  for (Node* s : n->a) {
    if (s->kind != K::AugAssign || s->x->kind != K::Name ||
        (s->op != int(rt::BinOp::Add) && s->op != int(rt::BinOp::Sub)))
      return false;
    auto v = fn_->vars.find(s->x->s);
    if (v == fn_->vars.end() || v->second.cell || !v->second.type->is(T::Int) || s->x->s == n->x->s)
      return false;
    auto same = std::find_if(accs.begin(), accs.end(), [&](auto& a) { return a.name == s->x->s; });
    if (same != accs.end()) {
      same->terms.push_back(s->y);
      continue;
    }
    Var* var = &v->second;
    accs.push_back({s->x->s, {s->y}, [this, var] { return b_.CreateLoad(i64_, var->slot); },
                    [this, var] { return b_.CreateNot(b_.CreateLoad(i1_, var->defined)); }});
  }
  return versioned_range_loop(n->y, n->x->s, accs, [&](V e, BasicBlock* next, bool checked) {
    set_line(n->line);
    assign(n->x, e);
    for (Node* s : n->a) {
      unchecked_ints_ = !checked;
      stmt(s);
      unchecked_ints_ = false;
    }
    b_.CreateBr(next);
  }, else_bb);
}

V Codegen::reduction(Node* n, const std::string& name) {
  const Type* t = fn_->spec->types.at(n);
  Node* src = n->a[0];
  const Type* elem;
  if (src->kind == K::GenExp) {
    elem = fn_->spec->types.at(src);
  } else {
    const Type* st = fn_->spec->types.at(src);
    elem = types_.never();
    if (st->is(T::Tuple))
      for (auto* e : st->elts)
        elem = types_.join(elem, e);
    else
      elem = st->is(T::Builtin) ? types_.integer() : st->is(T::Str) ? types_.str() : types_.dyn();
  }
  auto iterate = [&](const std::function<void(V, BasicBlock*)>& body, BasicBlock* done) {
    if (src->kind == K::GenExp)
      comprehension(src, 0, body, done);
    else
      for_each(src, elem, body, done);
  };
  BasicBlock* done = block("reduce.done");
  if (name == "any" || name == "all") {
    bool any = name == "any";
    llvm::Value* acc = entry_alloca(i1_);
    b_.CreateStore(b_.getInt1(!any), acc);
    iterate(
        [&](V v, BasicBlock* next) {
          BasicBlock* hit = block("reduce.hit");
          llvm::Value* c = truthy(v);
          b_.CreateCondBr(any ? c : b_.CreateNot(c), hit, next);
          b_.SetInsertPoint(hit);
          b_.CreateStore(b_.getInt1(any), acc);
          b_.CreateBr(done);
        },
        done);
    b_.SetInsertPoint(done);
    return {b_.CreateLoad(i1_, acc), t};
  }
  if (name == "sum") {
    V start{nullptr, types_.integer()};
    for (auto* kw : n->b)
      if (kw->s == "start")
        start = expr(kw->x);
    if (!start.v)
      start = types_.wide ? V{make_val(uint64_t(rt::Tag::Int), c64(0)), types_.dyn()} : V{c64(0), types_.integer()};
    // floats summed from the int 0: a float accumulator, and the int start only if nothing was added
    bool float_from_int = elem->is(T::Float) && !start.t->is(T::Float);
    const Type* acc_t = float_from_int ? types_.flt() : t;
    llvm::Value* acc = entry_alloca(rep(acc_t));
    llvm::Value* seen = entry_alloca(i1_);
    b_.CreateStore(b_.getInt1(false), seen);
    b_.CreateStore(float_from_int ? llvm::ConstantFP::get(f64_, 0.0) : convert(start, acc_t).v, acc);
    if (!float_from_int && range_sum(n, start, acc, done)) {
      b_.SetInsertPoint(done);
      return convert({b_.CreateLoad(rep(acc_t), acc), acc_t}, t);
    }
    iterate(
        [&](V v, BasicBlock* next) {
          V cur{b_.CreateLoad(rep(acc_t), acc), acc_t};
          V r = binop(int(rt::BinOp::Add), cur, v, acc_t);
          b_.CreateStore(convert(r, acc_t).v, acc);
          b_.CreateStore(b_.getInt1(true), seen);
          b_.CreateBr(next);
        },
        done);
    b_.SetInsertPoint(done);
    V total{b_.CreateLoad(rep(acc_t), acc), acc_t};
    if (!float_from_int)
      return convert(total, t);
    V a = convert(total, t), s = convert(start, t);
    return {b_.CreateSelect(b_.CreateLoad(i1_, seen), a.v, s.v), t};
  }
  // min / max
  llvm::Value* acc = entry_alloca(rep(t));
  llvm::Value* seen = entry_alloca(i1_);
  b_.CreateStore(b_.getInt1(false), seen);
  iterate(
      [&](V v, BasicBlock* next) {
        V cand = convert(v, t);
        BasicBlock* first = block("minmax.first");
        BasicBlock* later = block("minmax.later");
        BasicBlock* take = block("minmax.take");
        b_.CreateCondBr(b_.CreateLoad(i1_, seen), later, first);
        b_.SetInsertPoint(first);
        b_.CreateBr(take);
        b_.SetInsertPoint(later);
        llvm::Value* better = compare_pair(name == "min" ? "Lt" : "Gt", cand, {b_.CreateLoad(rep(t), acc), t});
        b_.CreateCondBr(better, take, next);
        b_.SetInsertPoint(take);
        b_.CreateStore(cand.v, acc);
        b_.CreateStore(b_.getInt1(true), seen);
        b_.CreateBr(next);
      },
      done);
  b_.SetInsertPoint(done);
  BasicBlock* empty = block("minmax.empty");
  BasicBlock* result = block("minmax.result");
  llvm::Value* has = b_.CreateLoad(i1_, seen);
  Node* dflt = nullptr;
  for (auto* kw : n->b)
    if (kw->s == "default")
      dflt = kw->x;
  b_.CreateCondBr(has, result, empty);
  b_.SetInsertPoint(empty);
  if (dflt) {
    b_.CreateStore(convert(expr(dflt), t).v, acc);
    b_.CreateBr(result);
  } else {
    raise_static(rt::ExcKind::ValueError, name + "() arg is an empty sequence");
    b_.CreateBr(result);
  }
  b_.SetInsertPoint(result);
  return {b_.CreateLoad(rep(t), acc), t};
}

} // namespace shoal::compiler
