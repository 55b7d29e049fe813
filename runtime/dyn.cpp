#include "runtime/dyn.hpp"

#include "runtime/format.hpp"
#include "runtime/methods.hpp"

#include <cstring>
#include <string>

namespace shoal::rt {

namespace {
bool is_int(Val v) { return v.tag == Tag::Int || v.tag == Tag::Big || v.tag == Tag::Bool; }
bool is_num(Val v) { return is_int(v) || v.tag == Tag::Float; }
Val str_val(const std::string& s) { return box_ptr(Tag::Str, str_new(s)); }

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

int compare_tuple(Ctx* c, CmpOp op, const Tuple* a, const Tuple* b) {
  int64_t n = a->n < b->n ? a->n : b->n;
  for (int64_t i = 0; i < n; ++i) {
    if (dyn_equal(a->items[i], b->items[i]))
      continue;
    if (op == CmpOp::Eq)
      return 0;
    if (op == CmpOp::Ne)
      return 1;
    return dyn_compare(c, op, a->items[i], b->items[i]);
  }
  return compare_bool(op, a->n < b->n ? -1 : a->n > b->n);
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

bool dyn_equal(Val a, Val b) {
  if (is_num(a) && is_num(b))
    return compare_numbers(CmpOp::Eq, a, b);
  if (a.tag != b.tag)
    return false;
  switch (a.tag) {
  case Tag::None: return true;
  case Tag::Str: return compare_str(CmpOp::Eq, as<Str>(a), as<Str>(b));
  case Tag::Tuple: {
    const Tuple* x = as<Tuple>(a);
    const Tuple* y = as<Tuple>(b);
    if (x->n != y->n)
      return false;
    for (int64_t i = 0; i < x->n; ++i)
      if (!dyn_equal(x->items[i], y->items[i]))
        return false;
    return true;
  }
  default: return a.bits == b.bits;
  }
}

int dyn_compare(Ctx* c, CmpOp op, Val a, Val b) {
  if (is_num(a) && is_num(b))
    return compare_numbers(op, a, b);
  if (op == CmpOp::Eq)
    return dyn_equal(a, b);
  if (op == CmpOp::Ne)
    return !dyn_equal(a, b);
  if (a.tag == Tag::Str && b.tag == Tag::Str)
    return compare_str(op, as<Str>(a), as<Str>(b));
  if (a.tag == Tag::Tuple && b.tag == Tag::Tuple)
    return compare_tuple(c, op, as<Tuple>(a), as<Tuple>(b));
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
  default: return true;
  }
}

Val dyn_neg(Ctx* c, Val a) {
  if (is_int(a))
    return int_neg(c, a);
  if (a.tag == Tag::Float)
    return box_float(-unbox_float(a));
  raise(c, ExcKind::TypeError, std::string("bad operand type for unary -: '") + type_name(a) + "'");
  return none();
}

Val dyn_pos(Ctx* c, Val a) {
  if (a.tag == Tag::Bool)
    return box_int(int64_t(a.bits));
  if (is_num(a))
    return a;
  raise(c, ExcKind::TypeError, std::string("bad operand type for unary +: '") + type_name(a) + "'");
  return none();
}

Val dyn_invert(Ctx* c, Val a) {
  if (is_int(a))
    return int_invert(c, a);
  raise(c, ExcKind::TypeError, std::string("bad operand type for unary ~: '") + type_name(a) + "'");
  return none();
}

int dyn_contains(Ctx* c, Val container, Val item) {
  if (container.tag == Tag::Tuple) {
    const Tuple* t = as<Tuple>(container);
    for (int64_t i = 0; i < t->n; ++i)
      if (dyn_equal(t->items[i], item))
        return 1;
    return 0;
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
  if (v.tag == Tag::Str)
    return as<Str>(v)->ncp;
  if (v.tag == Tag::Tuple)
    return as<Tuple>(v)->n;
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
  if (seq.tag != Tag::Str && seq.tag != Tag::Tuple) {
    raise(c, ExcKind::TypeError, std::string("'") + type_name(seq) + "' object is not subscriptable");
    return none();
  }
  if (!is_int(index)) {
    raise(c, ExcKind::TypeError, std::string(type_name(seq)) + " indices must be integers or slices, not " +
                                     type_name(index));
    return none();
  }
  int64_t n = seq.tag == Tag::Str ? as<Str>(seq)->ncp : as<Tuple>(seq)->n;
  int64_t i = index.tag == Tag::Big ? INT64_MAX : int64_t(index.bits);
  if (index.tag == Tag::Big && mpz_sgn(as<BigInt>(index)->z) < 0)
    i = INT64_MIN;
  if (i < 0 && i != INT64_MIN)
    i += n;
  if (i < 0 || i >= n) {
    raise(c, ExcKind::IndexError, seq.tag == Tag::Str ? "string index out of range" : "tuple index out of range");
    return none();
  }
  if (seq.tag == Tag::Tuple)
    return as<Tuple>(seq)->items[i];
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
