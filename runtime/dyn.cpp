#include "runtime/dyn.hpp"
#include "runtime/objects.hpp"

#include "runtime/containers_detail.hpp"
#include "runtime/format.hpp"
#include "runtime/methods.hpp"

#include <cstring>
#include <string>

namespace shoal::rt {

using namespace detail;

namespace {
bool is_num(Val v) { return is_int(v) || v.tag == Tag::Float; }

double num_to_double(Ctx* c, Val v) { return v.tag == Tag::Float ? unbox_float(v) : int_to_double(c, v); }

Val type_error_binop(Ctx* c, BinOp op, Val a, Val b, bool inplace) {
  static const char* inplace_symbols[] = {"+=", "-=", "*=", "/=", "//=", "%=", "**=", "<<=", ">>=", "&=", "|=", "^="};
  raise(c, ExcKind::TypeError, std::string("unsupported operand type(s) for ") +
                                   (inplace ? inplace_symbols[int(op)] : binop_symbol(op)) + ": '" + type_name(a) +
                                   "' and '" + type_name(b) + "'");
  return none();
}

Val repeat(Ctx* c, Val seq, Val count) {
  if (count.tag == Tag::Big) {
    raise(c, ExcKind::OverflowError, "cannot fit 'int' into an index-sized integer");
    return none();
  }
  int64_t k = int64_t(count.bits);
  if (k < 0)
    k = 0;
  if (seq.tag == Tag::Str) {
    const Str* s = as<Str>(seq);
    if (s->len && k > c->memory_limit / s->len) {
      raise(c, ExcKind::MemoryError, nullptr);
      return none();
    }
    std::string out;
    out.reserve(size_t(s->len * k));
    for (int64_t i = 0; i < k; ++i)
      out.append(s->data, size_t(s->len));
    return str_val(out);
  }
  const Tuple* t = as<Tuple>(seq);
  if (t->n && k > c->memory_limit / (t->n * int64_t(sizeof(Val)))) {
    raise(c, ExcKind::MemoryError, nullptr);
    return none();
  }
  std::string dummy;
  auto* r = static_cast<Tuple*>(gc_alloc(sizeof(Tuple) + sizeof(Val) * size_t(t->n * k)));
  r->n = t->n * k;
  for (int64_t i = 0; i < r->n; ++i)
    r->items[i] = t->items[i % t->n];
  return box_ptr(Tag::Tuple, r);
}

Val concat(Ctx* c, Val a, Val b) {
  if (a.tag != b.tag) {
    const char* what = a.tag == Tag::Str ? "str" : "tuple";
    raise(c, ExcKind::TypeError, std::string("can only concatenate ") + what + " (not \"" + type_name(b) +
                                     "\") to " + what);
    return none();
  }
  if (a.tag == Tag::Str) {
    Str* r = str_concat(c, as<Str>(a), as<Str>(b));
    return r ? box_ptr(Tag::Str, r) : none();
  }
  const Tuple* x = as<Tuple>(a);
  const Tuple* y = as<Tuple>(b);
  auto* r = static_cast<Tuple*>(gc_alloc(sizeof(Tuple) + sizeof(Val) * size_t(x->n + y->n)));
  r->n = x->n + y->n;
  std::memcpy(r->items, x->items, sizeof(Val) * size_t(x->n));
  std::memcpy(r->items + x->n, y->items, sizeof(Val) * size_t(y->n));
  return box_ptr(Tag::Tuple, r);
}

bool is_seq(Val v) { return v.tag == Tag::Str || v.tag == Tag::Tuple; }

int compare_bool(CmpOp op, int r) {
  switch (op) {
  case CmpOp::Eq: return r == 0;
  case CmpOp::Ne: return r != 0;
  case CmpOp::Lt: return r < 0;
  case CmpOp::Le: return r <= 0;
  case CmpOp::Gt: return r > 0;
  case CmpOp::Ge: return r >= 0;
  }
  return 0;
}

int compare_numbers(CmpOp op, Val a, Val b) {
  if (a.tag == Tag::Float && b.tag == Tag::Float) {
    double x = unbox_float(a), y = unbox_float(b);
    switch (op) {
    case CmpOp::Eq: return x == y;
    case CmpOp::Ne: return x != y;
    case CmpOp::Lt: return x < y;
    case CmpOp::Le: return x <= y;
    case CmpOp::Gt: return x > y;
    case CmpOp::Ge: return x >= y;
    }
  }
  if (a.tag == Tag::Float || b.tag == Tag::Float) {
    bool flip = a.tag == Tag::Float;
    int r = flip ? int_float_cmp(b, unbox_float(a)) : int_float_cmp(a, unbox_float(b));
    if (r == 2)
      return op == CmpOp::Ne;
    return compare_bool(op, flip ? -r : r);
  }
  return compare_bool(op, int_cmp(a, b));
}

int compare_str(CmpOp op, const Str* a, const Str* b) {
  int64_t n = a->len < b->len ? a->len : b->len;
  int r = std::memcmp(a->data, b->data, size_t(n));
  if (r == 0)
    r = a->len < b->len ? -1 : a->len > b->len;
  return compare_bool(op, r < 0 ? -1 : r > 0);
}

/// Lexicographic comparison of two sequences (tuples, lists), as CPython's tuple/list richcompare.
int compare_seq(Ctx* c, CmpOp op, const Val* a, int64_t na, const Val* b, int64_t nb) {
  if ((op == CmpOp::Eq || op == CmpOp::Ne) && na != nb)
    return op == CmpOp::Ne;
  DepthGuard guard(c);
  if (!guard.ok)
    return -1;
  int64_t n = na < nb ? na : nb;
  for (int64_t i = 0; i < n; ++i) {
    int r = eq_item(c, a[i], b[i]);
    if (r < 0)
      return -1;
    if (r)
      continue;
    if (op == CmpOp::Eq)
      return 0;
    if (op == CmpOp::Ne)
      return 1;
    return dyn_compare(c, op, a[i], b[i]);
  }
  return compare_bool(op, na < nb ? -1 : na > nb);
}

bool seq_items(Val v, const Val** items, int64_t* n) {
  if (v.tag == Tag::Tuple) {
    *items = as<Tuple>(v)->items;
    *n = as<Tuple>(v)->n;
    return true;
  }
  if (v.tag == Tag::List) {
    *items = as<List>(v)->items;
    *n = as<List>(v)->n;
    return true;
  }
  return false;
}

bool is_setlike(Val v) { return is_anyset(v) || is_setview(v); }

int64_t setlike_len(Val v) { return v.tag == Tag::View ? view_len(as<DictView>(v)) : as<Table>(v)->n; }

/// Every item of a is in b (CPython's all_contained_in for dict views).
int all_contained_in(Ctx* c, Val a, Val b) {
  Iter* it = iter_of(c, a);
  Val x;
  while (iter_next(c, it, &x)) {
    int r = dyn_contains(c, b, x);
    if (r <= 0)
      return r;
  }
  return c->exc ? -1 : 1;
}

/// Comparisons where a dict view meets a set-like operand, as CPython's dictview_richcompare.
int compare_setlike(Ctx* c, CmpOp op, Val a, Val b) {
  int64_t na = setlike_len(a), nb = setlike_len(b);
  int r = 0;
  switch (op) {
  case CmpOp::Eq:
  case CmpOp::Ne:
    r = na == nb ? all_contained_in(c, a, b) : 0;
    return r < 0 || op == CmpOp::Eq ? r : !r;
  case CmpOp::Lt: return na < nb ? all_contained_in(c, a, b) : 0;
  case CmpOp::Le: return na <= nb ? all_contained_in(c, a, b) : 0;
  case CmpOp::Gt: return na > nb ? all_contained_in(c, b, a) : 0;
  case CmpOp::Ge: return na >= nb ? all_contained_in(c, b, a) : 0;
  }
  return 0;
}

int compare_dicts(Ctx* c, const Table* a, const Table* b) {
  if (a->n != b->n)
    return 0;
  DepthGuard guard(c);
  if (!guard.ok)
    return -1;
  int64_t pos = 0;
  while (Entry* e = dict_next(a, &pos)) {
    Val key = e->key, value = e->value; // the comparisons below may run user code
    int64_t ix = dict_find(c, b, key, e->hash);
    if (ix < 0)
      return ix == -1 ? 0 : -1;
    int r = eq_item(c, value, b->entries[ix].value);
    if (r <= 0)
      return r;
  }
  return 1;
}

int compare_ranges(const RangeObj* a, const RangeObj* b) {
  uint64_t n = range_len(a);
  if (n != range_len(b))
    return 0;
  return n == 0 || (a->start == b->start && (n == 1 || a->step == b->step));
}

/// | & - ^ where both operands are sets/frozensets, or one is a keys/items view.
Val binop_setlike(Ctx* c, BinOp op, Val a, Val b, bool inplace) {
  if (is_anyset(a) && is_anyset(b)) {
    if (inplace && a.tag == Tag::Set)
      return set_inplace(c, op, as<Table>(a), b) ? a : none();
    return set_binop(c, op, a, b);
  }
  // a dict view on either side: set(view) op other for any iterable other (CPython's dictviews_*)
  Val self = a, other = b;
  if (op == BinOp::BitAnd && !is_setview(self))
    std::swap(self, other);
  Val r = new_set(Tag::Set);
  Table* t = as<Table>(r);
  bool ok;
  switch (op) {
  case BinOp::BitOr: ok = set_update_internal(c, t, self) && set_update_internal(c, t, other); break;
  case BinOp::BitAnd: {
    Iter* it = iter_of(c, other);
    Val x;
    ok = it != nullptr;
    while (ok && iter_next(c, it, &x)) {
      int in = view_contains(c, as<DictView>(self), x);
      ok = in >= 0 && (!in || set_add(c, t, x));
    }
    ok = ok && !c->exc;
    break;
  }
  case BinOp::Sub: ok = set_update_internal(c, t, self) && set_difference_update(c, t, 1, &other); break;
  default: ok = set_update_internal(c, t, self) && set_symmetric_difference_update(c, t, other); break;
  }
  return ok ? r : none();
}
} // namespace

const char* binop_symbol(BinOp op) {
  static const char* symbols[] = {"+", "-", "*", "/", "//", "%", "** or pow()", "<<", ">>", "&", "|", "^"};
  return symbols[int(op)];
}

const char* cmpop_symbol(CmpOp op) {
  static const char* symbols[] = {"==", "!=", "<", "<=", ">", ">="};
  return symbols[int(op)];
}

Val dyn_binop(Ctx* c, BinOp op, Val a, Val b, bool inplace) {
  if (instance_of(a) || instance_of(b)) {
    Val out;
    if (instance_binop(c, op, a, b, inplace, &out))
      return c->exc ? none() : out;
  }
  if (is_int(a) && is_int(b))
    return int_binop(c, op, a, b);
  if (is_num(a) && is_num(b)) {
    if (op >= BinOp::LShift)
      return type_error_binop(c, op, a, b, inplace);
    double x = num_to_double(c, a);
    if (c->exc)
      return none();
    double y = num_to_double(c, b);
    if (c->exc)
      return none();
    return box_float(float_binop(c, op, x, y));
  }
  if (a.tag == Tag::List) {
    List* l = as<List>(a);
    if (op == BinOp::Add) {
      if (inplace)
        return list_extend(c, l, b) ? a : none();
      return list_concat(c, l, b);
    }
    if (op == BinOp::Mul && is_int(b))
      return list_repeat(c, l, b, inplace);
  }
  if (op == BinOp::Mul && is_int(a) && b.tag == Tag::List)
    return list_repeat(c, as<List>(b), a, false);
  if (op == BinOp::Mul && (a.tag == Tag::List || (b.tag == Tag::List && !is_seq(a)))) {
    raise(c, ExcKind::TypeError,
          std::string("can't multiply sequence by non-int of type '") + type_name(a.tag == Tag::List ? b : a) + "'");
    return none();
  }
  bool setop = op == BinOp::BitOr || op == BinOp::BitAnd || op == BinOp::Sub || op == BinOp::BitXor;
  if (setop && ((is_anyset(a) && is_anyset(b)) || is_setview(a) || is_setview(b)))
    return binop_setlike(c, op, a, b, inplace);
  if (op == BinOp::BitOr && a.tag == Tag::Dict && b.tag == Tag::Dict) {
    Table* r = inplace ? as<Table>(a) : dict_copy(as<Table>(a));
    return dict_update(c, r, b) ? box_ptr(Tag::Dict, r) : none();
  }
  if (op == BinOp::BitOr && inplace && a.tag == Tag::Dict) // d |= pairs accepts any pairs, as dict.update
    return dict_update(c, as<Table>(a), b) ? a : none();
  if (op == BinOp::Mod && a.tag == Tag::Str) {
    Str* r = str_percent(c, as<Str>(a), b);
    return r ? box_ptr(Tag::Str, r) : none();
  }
  if (op == BinOp::Add && is_seq(a))
    return concat(c, a, b);
  if (op == BinOp::Mul && is_seq(a) && is_int(b))
    return repeat(c, a, b);
  if (op == BinOp::Mul && is_int(a) && is_seq(b))
    return repeat(c, b, a);
  if (op == BinOp::Mul && (is_seq(a) || is_seq(b))) {
    raise(c, ExcKind::TypeError,
          std::string("can't multiply sequence by non-int of type '") + type_name(is_seq(a) ? b : a) + "'");
    return none();
  }
  return type_error_binop(c, op, a, b, inplace);
}

int eq(Ctx* c, Val a, Val b) {
  if (instance_of(a) || instance_of(b))
    return instance_compare(c, CmpOp::Eq, a, b);
  if (is_num(a) && is_num(b))
    return compare_numbers(CmpOp::Eq, a, b);
  if (same(a, b))
    return 1;
  const Val *x, *y;
  int64_t nx, ny;
  if (a.tag == b.tag && seq_items(a, &x, &nx) && seq_items(b, &y, &ny))
    return compare_seq(c, CmpOp::Eq, x, nx, y, ny);
  if (is_anyset(a) && is_anyset(b))
    return set_compare(c, CmpOp::Eq, a, b);
  if ((is_setview(a) && is_setlike(b)) || (is_setview(b) && is_setlike(a)))
    return compare_setlike(c, CmpOp::Eq, a, b);
  if (a.tag != b.tag)
    return 0;
  switch (a.tag) {
  case Tag::Str: return compare_str(CmpOp::Eq, as<Str>(a), as<Str>(b));
  case Tag::Dict: return compare_dicts(c, as<Table>(a), as<Table>(b));
  case Tag::Range: return compare_ranges(as<RangeObj>(a), as<RangeObj>(b));
  default: return 0; // identity, tested above
  }
}

bool dyn_equal(Val a, Val b) {
  Ctx scratch{};
  scratch.depth_limit = 1000;
  return eq(&scratch, a, b) == 1;
}

int dyn_compare(Ctx* c, CmpOp op, Val a, Val b) {
  if (instance_of(a) || instance_of(b)) {
    int r = instance_compare(c, op, a, b);
    if (r != -2)
      return r;
  }
  if (is_num(a) && is_num(b))
    return compare_numbers(op, a, b);
  if (op == CmpOp::Eq || op == CmpOp::Ne) {
    int r = eq(c, a, b);
    return r < 0 || op == CmpOp::Eq ? r : !r;
  }
  if (a.tag == Tag::Str && b.tag == Tag::Str)
    return compare_str(op, as<Str>(a), as<Str>(b));
  const Val *x, *y;
  int64_t nx, ny;
  if (a.tag == b.tag && seq_items(a, &x, &nx) && seq_items(b, &y, &ny))
    return compare_seq(c, op, x, nx, y, ny);
  if (is_anyset(a) && is_anyset(b))
    return set_compare(c, op, a, b);
  if ((is_setview(a) && is_setlike(b)) || (is_setview(b) && is_setlike(a)))
    return compare_setlike(c, op, a, b);
  raise(c, ExcKind::TypeError, std::string("'") + cmpop_symbol(op) + "' not supported between instances of '" +
                                   type_name(a) + "' and '" + type_name(b) + "'");
  return -1;
}

bool dyn_truthy(Val v) {
  switch (v.tag) {
  case Tag::None: return false;
  case Tag::Bool:
  case Tag::Int: return v.bits != 0;
  case Tag::Float: return unbox_float(v) != 0.0;
  case Tag::Big: return true;
  case Tag::Str: return as<Str>(v)->len != 0;
  case Tag::Tuple: return as<Tuple>(v)->n != 0;
  case Tag::List: return as<List>(v)->n != 0;
  case Tag::Dict:
  case Tag::Set:
  case Tag::FrozenSet: return as<Table>(v)->n != 0;
  case Tag::Range: return range_len(as<RangeObj>(v)) != 0;
  case Tag::View: return view_len(as<DictView>(v)) != 0;
  default: return true;
  }
}

Val dyn_neg(Ctx* c, Val a) {
  if (instance_of(a)) {
    Val r;
    if (call_dunder(c, a, "__neg__", 0, nullptr, &r))
      return c->exc ? none() : r;
  }
  if (is_int(a))
    return int_neg(c, a);
  if (a.tag == Tag::Float)
    return box_float(-unbox_float(a));
  raise(c, ExcKind::TypeError, std::string("bad operand type for unary -: '") + type_name(a) + "'");
  return none();
}

Val dyn_pos(Ctx* c, Val a) {
  if (instance_of(a)) {
    Val r;
    if (call_dunder(c, a, "__pos__", 0, nullptr, &r))
      return c->exc ? none() : r;
  }
  if (a.tag == Tag::Bool)
    return box_int(int64_t(a.bits));
  if (is_num(a))
    return a;
  raise(c, ExcKind::TypeError, std::string("bad operand type for unary +: '") + type_name(a) + "'");
  return none();
}

Val dyn_invert(Ctx* c, Val a) {
  if (instance_of(a)) {
    Val r;
    if (call_dunder(c, a, "__invert__", 0, nullptr, &r))
      return c->exc ? none() : r;
  }
  if (is_int(a))
    return int_invert(c, a);
  raise(c, ExcKind::TypeError, std::string("bad operand type for unary ~: '") + type_name(a) + "'");
  return none();
}

int dyn_contains(Ctx* c, Val container, Val item) {
  if (instance_of(container)) {
    Val r;
    if (call_dunder(c, container, "__contains__", 1, &item, &r))
      return c->exc ? -1 : dyn_truthy(r);
    Iter* it = instance_iter(c, container);
    Val x;
    while (it && iter_next(c, it, &x)) {
      int e = eq(c, x, item);
      if (e != 0)
        return e;
    }
    return c->exc ? -1 : 0;
  }
  if (container.tag == Tag::List) {
    const List* l = as<List>(container);
    for (int64_t i = 0; i < l->n; ++i) // l->n re-read: a comparison may change the list
      if (int r = eq_item(c, l->items[i], item))
        return r;
    return 0;
  }
  if (container.tag == Tag::Tuple) {
    const Tuple* t = as<Tuple>(container);
    for (int64_t i = 0; i < t->n; ++i)
      if (int r = eq_item(c, t->items[i], item))
        return r;
    return 0;
  }
  switch (container.tag) {
  case Tag::Dict: {
    Val ignored;
    return dict_get(c, as<Table>(container), item, &ignored);
  }
  case Tag::Set:
  case Tag::FrozenSet: return set_contains(c, as<Table>(container), item);
  case Tag::View: return view_contains(c, as<DictView>(container), item);
  case Tag::Range: {
    const RangeObj* r = as<RangeObj>(container);
    __int128 x;
    if (item.tag == Tag::Int || item.tag == Tag::Bool) {
      x = int64_t(item.bits);
    } else if (item.tag == Tag::Float) { // CPython compares each item with ==
      double d = unbox_float(item);
      if (!(d >= -9223372036854775808.0 && d < 9223372036854775808.0) || d != double(int64_t(d)))
        return 0;
      x = int64_t(d);
    } else {
      return 0; // a big int is outside every int64 range; other types equal no int
    }
    if (r->step > 0 ? (x < r->start || x >= r->stop) : (x > r->start || x <= r->stop))
      return 0;
    return (x - r->start) % r->step == 0;
  }
  default: break;
  }
  if (container.tag == Tag::Str) {
    if (item.tag != Tag::Str) {
      raise(c, ExcKind::TypeError,
            std::string("'in <string>' requires string as left operand, not ") + type_name(item));
      return -1;
    }
    return str_contains(as<Str>(container), as<Str>(item));
  }
  raise(c, ExcKind::TypeError, std::string("argument of type '") + type_name(container) + "' is not iterable");
  return -1;
}

int64_t dyn_len(Ctx* c, Val v) {
  if (instance_of(v)) {
    Val r;
    if (call_dunder(c, v, "__len__", 0, nullptr, &r)) {
      if (c->exc)
        return -1;
      if (r.tag != Tag::Int && r.tag != Tag::Bool) {
        raise(c, ExcKind::TypeError, std::string("'") + type_name(r) + "' object cannot be interpreted as an integer");
        return -1;
      }
      if (int64_t(r.bits) < 0) {
        raise(c, ExcKind::ValueError, "__len__() should return >= 0");
        return -1;
      }
      return int64_t(r.bits);
    }
  }
  if (v.tag == Tag::Str)
    return as<Str>(v)->ncp;
  switch (v.tag) {
  case Tag::Tuple: return as<Tuple>(v)->n;
  case Tag::List: return as<List>(v)->n;
  case Tag::Dict:
  case Tag::Set:
  case Tag::FrozenSet: return as<Table>(v)->n;
  case Tag::View: return view_len(as<DictView>(v));
  case Tag::Range: {
    uint64_t n = range_len(as<RangeObj>(v));
    if (n <= uint64_t(INT64_MAX))
      return int64_t(n);
    raise(c, ExcKind::OverflowError, "Python int too large to convert to C ssize_t");
    return -1;
  }
  default: break;
  }
  raise(c, ExcKind::TypeError, std::string("object of type '") + type_name(v) + "' has no len()");
  return -1;
}

int64_t dyn_as_index(Ctx* c, Val v) {
  if (v.tag == Tag::Int || v.tag == Tag::Bool)
    return int64_t(v.bits);
  if (v.tag == Tag::Big)
    raise(c, ExcKind::OverflowError, "Python int too large to convert to C ssize_t");
  else
    raise(c, ExcKind::TypeError, std::string("'") + type_name(v) + "' object cannot be interpreted as an integer");
  return 0;
}

/// Byte offset of code point i in UTF-8 text (ASCII fast path).
static int64_t utf8_offset(const Str* s, int64_t i) {
  if (s->ncp == s->len)
    return i;
  int64_t off = 0;
  for (int64_t k = 0; k < i; ++k) {
    ++off;
    while (off < s->len && (static_cast<unsigned char>(s->data[off]) & 0xC0) == 0x80)
      ++off;
  }
  return off;
}

Val dyn_index(Ctx* c, Val seq, Val index) {
  if (instance_of(seq)) {
    Val r;
    if (call_dunder(c, seq, "__getitem__", 1, &index, &r))
      return c->exc ? none() : r;
  }
  if (seq.tag == Tag::Dict) {
    Val out;
    int r = dict_get(c, as<Table>(seq), index, &out);
    if (r == 0)
      raise_key_error(c, index);
    return r > 0 ? out : none();
  }
  if (seq.tag != Tag::Str && seq.tag != Tag::Tuple && seq.tag != Tag::List && seq.tag != Tag::Range) {
    raise(c, ExcKind::TypeError, std::string("'") + type_name(seq) + "' object is not subscriptable");
    return none();
  }
  if (!is_int(index)) {
    raise(c, ExcKind::TypeError, std::string(type_name(seq)) + " indices must be integers or slices, not " +
                                     type_name(index));
    return none();
  }
  static const char* const out_of_range[] = {"string index out of range", "tuple index out of range",
                                             "list index out of range", "range object index out of range"};
  const char* msg = out_of_range[seq.tag == Tag::Str ? 0 : seq.tag == Tag::Tuple ? 1 : seq.tag == Tag::List ? 2 : 3];
  if (index.tag == Tag::Big) {
    raise(c, ExcKind::IndexError, seq.tag == Tag::Range ? msg : "cannot fit 'int' into an index-sized integer");
    return none();
  }
  int64_t i = int64_t(index.bits);
  if (seq.tag == Tag::Range) {
    const RangeObj* r = as<RangeObj>(seq);
    __int128 n = range_len(r), k = i < 0 ? i + n : i;
    if (k < 0 || k >= n) {
      raise(c, ExcKind::IndexError, msg);
      return none();
    }
    return box_int(int64_t(r->start + k * r->step));
  }
  int64_t n = seq.tag == Tag::Str ? as<Str>(seq)->ncp : seq.tag == Tag::Tuple ? as<Tuple>(seq)->n : as<List>(seq)->n;
  if (i < 0)
    i += n;
  if (i < 0 || i >= n) {
    raise(c, ExcKind::IndexError, msg);
    return none();
  }
  if (seq.tag == Tag::Tuple)
    return as<Tuple>(seq)->items[i];
  if (seq.tag == Tag::List)
    return as<List>(seq)->items[i];
  const Str* s = as<Str>(seq);
  int64_t b = utf8_offset(s, i);
  int64_t e = b + 1;
  while (e < s->len && (static_cast<unsigned char>(s->data[e]) & 0xC0) == 0x80)
    ++e;
  return box_ptr(Tag::Str, str_new(s->data + b, e - b));
}

Val dyn_to_int(Ctx* c, Val v) {
  switch (v.tag) {
  case Tag::Bool: return box_int(int64_t(v.bits));
  case Tag::Int:
  case Tag::Big: return v;
  case Tag::Float: return int_from_double(c, unbox_float(v));
  case Tag::Str: return int_from_string(c, str_of(v));
  default:
    raise(c, ExcKind::TypeError, std::string("int() argument must be a string, a bytes-like object or a real "
                                             "number, not '") + type_name(v) + "'");
    return none();
  }
}

double dyn_to_float(Ctx* c, Val v) {
  switch (v.tag) {
  case Tag::Bool:
  case Tag::Int:
  case Tag::Big: return int_to_double(c, v);
  case Tag::Float: return unbox_float(v);
  case Tag::Str: return float_from_string(c, str_of(v));
  default:
    raise(c, ExcKind::TypeError,
          std::string("float() argument must be a string or a real number, not '") + type_name(v) + "'");
    return 0.0;
  }
}

} // namespace shoal::rt
