#include "runtime/iterables.hpp"

#include "runtime/containers_detail.hpp"

namespace shoal::rt {

using namespace detail;

List* list_of(Ctx* c, Val iterable) {
  List* l = list_new(0);
  return list_extend(c, l, iterable) ? l : nullptr;
}

Val tuple_of_iterable(Ctx* c, Val iterable) {
  if (iterable.tag == Tag::Tuple)
    return iterable;
  List* l = list_of(c, iterable);
  return l ? tuple_new(l->n, l->items) : none();
}

Table* set_of(Ctx* c, Val iterable) {
  Table* s = set_new(0);
  return set_update_internal(c, s, iterable) ? s : nullptr;
}

Val frozenset_of(Ctx* c, Val iterable) {
  if (iterable.tag == Tag::FrozenSet)
    return iterable;
  Table* s = set_of(c, iterable);
  return s ? box_ptr(Tag::FrozenSet, s) : none();
}

Table* dict_of(Ctx* c, Val iterable) {
  if (iterable.tag == Tag::Dict)
    return dict_copy(as<Table>(iterable));
  Table* d = dict_new(0);
  return dict_update(c, d, iterable) ? d : nullptr;
}

List* sorted_of(Ctx* c, Val iterable, Val key, bool reverse) {
  List* l = list_of(c, iterable);
  if (l)
    list_sort(c, l, key, reverse);
  return c->exc ? nullptr : l;
}

Val min_max(Ctx* c, bool is_max, int64_t n, const Val* args, Val key, const Val* dflt) {
  const char* name = is_max ? "max" : "min";
  if (n == 0) {
    raise(c, ExcKind::TypeError, std::string(name) + " expected at least 1 argument, got 0");
    return none();
  }
  if (n > 1 && dflt) {
    raise(c, ExcKind::TypeError,
          std::string("Cannot specify a default for ") + name + "() with multiple positional arguments");
    return none();
  }
  Iter* it = iter_of(c, n == 1 ? args[0] : tuple_new(n, args));
  if (!it)
    return none();
  bool have = false;
  Val best = none(), best_key = none(), v;
  while (iter_next(c, it, &v)) {
    Val k = key.tag == Tag::None ? v : call_value(c, key, 1, &v);
    if (c->exc)
      return none();
    if (have) {
      int r = dyn_compare(c, is_max ? CmpOp::Gt : CmpOp::Lt, k, best_key);
      if (r < 0)
        return none();
      if (!r)
        continue;
    }
    have = true;
    best = v;
    best_key = k;
  }
  if (c->exc)
    return none();
  if (have)
    return best;
  if (dflt)
    return *dflt;
  raise(c, ExcKind::ValueError, std::string(name) + "() arg is an empty sequence");
  return none();
}

Val sum_of(Ctx* c, Val iterable, Val start) {
  if (start.tag == Tag::Str) {
    raise(c, ExcKind::TypeError, "sum() can't sum strings [use ''.join(seq) instead]");
    return none();
  }
  Iter* it = iter_of(c, iterable);
  if (!it)
    return none();
  Val acc = start, v;
  while (iter_next(c, it, &v)) {
    int64_t r;
    if (acc.tag == Tag::Int && (v.tag == Tag::Int || v.tag == Tag::Bool) &&
        !__builtin_add_overflow(int64_t(acc.bits), int64_t(v.bits), &r))
      acc = box_int(r);
    else if (acc.tag == Tag::Float && v.tag == Tag::Float)
      acc = box_float(unbox_float(acc) + unbox_float(v));
    else
      acc = dyn_binop(c, BinOp::Add, acc, v);
    if (c->exc)
      return none();
  }
  return c->exc ? none() : acc;
}

namespace {
int any_all(Ctx* c, Val iterable, bool want) {
  Iter* it = iter_of(c, iterable);
  if (!it)
    return -1;
  Val v;
  while (iter_next(c, it, &v))
    if (dyn_truthy(v) == want)
      return want;
  return c->exc ? -1 : !want;
}
} // namespace

int any_of(Ctx* c, Val iterable) { return any_all(c, iterable, true); }
int all_of(Ctx* c, Val iterable) { return any_all(c, iterable, false); }

} // namespace shoal::rt
