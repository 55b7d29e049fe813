/// Integer arithmetic with CPython semantics: an int64 fast path that detects overflow with the
/// __builtin_*_overflow intrinsics, and GMP for everything beyond int64.

#include "runtime/numeric_detail.hpp"

namespace shoal::rt {
using namespace detail;

// ---- boxing ---------------------------------------------------------------------------------

Val int_from_mpz(const mpz_t z) {
  if (mpz_fits_slong_p(z)) return box_int(mpz_get_si(z));
  auto* b = static_cast<BigInt*>(gc_alloc(sizeof(BigInt)));
  mpz_init_set(b->z, z);
  return box_ptr(Tag::Big, b);
}

void int_to_mpz(Val v, mpz_t z) {
  if (v.tag == Tag::Big)
    mpz_set(z, as<BigInt>(v)->z);
  else
    mpz_set_si(z, static_cast<long>(v.bits));
}

namespace detail {

Val take_mpz(Mpz& r) {
  if (mpz_fits_slong_p(r.z)) return box_int(mpz_get_si(r.z));
  auto* b = static_cast<BigInt*>(gc_alloc(sizeof(BigInt)));
  mpz_init(b->z);
  mpz_swap(b->z, r.z);
  return box_ptr(Tag::Big, b);
}

bool over_memory_limit(Ctx* c, double bits) {
  constexpr double gmp_max_bits = 0x1p36; // beyond what one mpz can hold
  bool over_limit = c->memory_limit > 0 && bits / 8.0 > static_cast<double>(c->memory_limit);
  if (!over_limit && bits <= gmp_max_bits) return false;
  raise(c, ExcKind::MemoryError, nullptr);
  return true;
}

} // namespace detail

namespace {

const char* k_div_zero = "integer division or modulo by zero";
const char* k_mod_zero = "integer modulo by zero";
const char* k_neg_shift = "negative shift count";

/// Number of bits of |v| (0 for 0).
double bit_length(Val v) {
  if (v.tag == Tag::Big) return static_cast<double>(mpz_sizeinbase(as<BigInt>(v)->z, 2));
  int64_t x = small_val(v);
  uint64_t u = x < 0 ? 0 - static_cast<uint64_t>(x) : static_cast<uint64_t>(x);
  return u == 0 ? 0.0 : static_cast<double>(64 - __builtin_clzll(u));
}

int sign_of(Val v) {
  if (v.tag == Tag::Big) return mpz_sgn(as<BigInt>(v)->z);
  int64_t x = small_val(v);
  return (x > 0) - (x < 0);
}

/// Python's floor division of int64s; false when it overflows (INT64_MIN // -1).
bool small_floordiv(int64_t x, int64_t y, int64_t* q) {
  if (x == INT64_MIN && y == -1) return false;
  *q = x / y;
  if (x % y != 0 && ((x < 0) != (y < 0))) --*q;
  return true;
}

/// Python's modulo of int64s: the result takes the sign of y.
int64_t small_mod(int64_t x, int64_t y) {
  if (y == -1) return 0;
  int64_t r = x % y;
  if (r != 0 && ((r < 0) != (y < 0))) r += y;
  return r;
}

/// x ** y for y >= 0 by repeated squaring; false on int64 overflow.
bool small_pow(int64_t x, int64_t y, int64_t* out) {
  int64_t result = 1, base = x;
  while (true) {
    if ((y & 1) && __builtin_mul_overflow(result, base, &result)) return false;
    y >>= 1;
    if (y == 0) break;
    if (__builtin_mul_overflow(base, base, &base)) return false;
  }
  *out = result;
  return true;
}

/// x << y for y >= 0; false when the result leaves int64.
bool small_lshift(int64_t x, int64_t y, int64_t* out) {
  if (x == 0) {
    *out = 0;
    return true;
  }
  if (y >= 64 || __builtin_clrsbll(x) < y) return false;
  *out = static_cast<int64_t>(static_cast<uint64_t>(x) << y);
  return true;
}

/// int ** negative int: CPython hands it to float pow.
Val pow_negative_exponent(Ctx* c, Val a, Val b) {
  double x = int_to_double(c, a);
  if (c->exc) return box_float(0.0);
  double y = int_to_double(c, b);
  if (c->exc) return box_float(0.0);
  return box_float(float_pow(c, x, y));
}

/// The int64 fast path; returns false (without raising) when the result needs GMP.
bool small_binop(Ctx* c, BinOp op, int64_t x, int64_t y, Val* out) {
  int64_t r = 0;
  switch (op) {
  case BinOp::Add: if (__builtin_add_overflow(x, y, &r)) return false; break;
  case BinOp::Sub: if (__builtin_sub_overflow(x, y, &r)) return false; break;
  case BinOp::Mul: if (__builtin_mul_overflow(x, y, &r)) return false; break;
  case BinOp::TrueDiv: {
    constexpr int64_t lim = int64_t{1} << 53;
    if (y == 0) {
      raise(c, ExcKind::ZeroDivisionError, "division by zero");
    } else if (x > lim || x < -lim || y > lim || y < -lim) {
      return false;
    }
    *out = box_float(y == 0 ? 0.0 : static_cast<double>(x) / static_cast<double>(y));
    return true;
  }
  case BinOp::FloorDiv:
    if (y == 0) raise(c, ExcKind::ZeroDivisionError, k_div_zero);
    else if (!small_floordiv(x, y, &r)) return false;
    break;
  case BinOp::Mod:
    if (y == 0) raise(c, ExcKind::ZeroDivisionError, k_mod_zero);
    else r = small_mod(x, y);
    break;
  case BinOp::Pow:
    if (y < 0) {
      *out = pow_negative_exponent(c, box_int(x), box_int(y));
      return true;
    }
    if (!small_pow(x, y, &r)) return false;
    break;
  case BinOp::LShift:
    if (y < 0) raise(c, ExcKind::ValueError, k_neg_shift);
    else if (!small_lshift(x, y, &r)) return false;
    break;
  case BinOp::RShift:
    if (y < 0) raise(c, ExcKind::ValueError, k_neg_shift);
    else r = y >= 64 ? (x < 0 ? -1 : 0) : (x >> y);
    break;
  case BinOp::BitAnd: r = x & y; break;
  case BinOp::BitOr: r = x | y; break;
  case BinOp::BitXor: r = x ^ y; break;
  }
  *out = box_int(r);
  return true;
}

/// a ** b for b >= 0 with GMP, refusing results beyond the memory limit.
Val big_pow(Ctx* c, Val a, Val b) {
  MpzView x(a);
  if (mpz_cmpabs_ui(x.get(), 1) <= 0) { // 0, 1, -1: no growth
    if (mpz_sgn(x.get()) == 0) return box_int(sign_of(b) == 0 ? 1 : 0);
    if (mpz_sgn(x.get()) > 0) return box_int(1);
    MpzView y(b);
    return box_int(mpz_odd_p(y.get()) ? -1 : 1);
  }
  if (b.tag == Tag::Big || over_memory_limit(c, bit_length(a) * static_cast<double>(small_val(b)))) {
    if (!c->exc) raise(c, ExcKind::MemoryError, nullptr);
    return box_int(0);
  }
  Mpz r;
  mpz_pow_ui(r, x.get(), static_cast<unsigned long>(small_val(b)));
  return take_mpz(r);
}

/// a << b (b >= 0 checked by the caller) with GMP.
Val big_lshift(Ctx* c, Val a, Val b) {
  if (sign_of(a) == 0) return box_int(0);
  if (b.tag == Tag::Big) {
    raise(c, ExcKind::MemoryError, nullptr);
    return box_int(0);
  }
  if (over_memory_limit(c, bit_length(a) + static_cast<double>(small_val(b)))) return box_int(0);
  MpzView x(a);
  Mpz r;
  mpz_mul_2exp(r, x.get(), static_cast<mp_bitcnt_t>(small_val(b)));
  return take_mpz(r);
}

/// a >> b (b >= 0 checked by the caller) with GMP: floor semantics.
Val big_rshift(Val a, Val b) {
  if (b.tag == Tag::Big) return box_int(sign_of(a) < 0 ? -1 : 0);
  MpzView x(a);
  Mpz r;
  mpz_fdiv_q_2exp(r, x.get(), static_cast<mp_bitcnt_t>(small_val(b)));
  return take_mpz(r);
}

/// a / b for ints beyond the exact-double fast path.
Val big_truediv(Ctx* c, Val a, Val b) {
  if (sign_of(b) == 0) {
    raise(c, ExcKind::ZeroDivisionError, "division by zero");
    return box_float(0.0);
  }
  MpzView x(a), y(b);
  double d = 0.0;
  if (!mpz_true_divide(x.get(), y.get(), &d))
    raise(c, ExcKind::OverflowError, "integer division result too large for a float");
  return box_float(d);
}

/// Ops whose result is an mpz function of both operands (after the zero checks).
Val big_simple(Ctx* c, BinOp op, Val a, Val b) {
  if ((op == BinOp::FloorDiv || op == BinOp::Mod) && sign_of(b) == 0) {
    raise(c, ExcKind::ZeroDivisionError, op == BinOp::Mod ? k_mod_zero : k_div_zero);
    return box_int(0);
  }
  if (op == BinOp::Mul && over_memory_limit(c, bit_length(a) + bit_length(b))) return box_int(0);
  MpzView x(a), y(b);
  Mpz r;
  switch (op) {
  case BinOp::Add: mpz_add(r, x.get(), y.get()); break;
  case BinOp::Sub: mpz_sub(r, x.get(), y.get()); break;
  case BinOp::Mul: mpz_mul(r, x.get(), y.get()); break;
  case BinOp::FloorDiv: mpz_fdiv_q(r, x.get(), y.get()); break;
  case BinOp::Mod: mpz_fdiv_r(r, x.get(), y.get()); break;
  case BinOp::BitAnd: mpz_and(r, x.get(), y.get()); break;
  case BinOp::BitOr: mpz_ior(r, x.get(), y.get()); break;
  case BinOp::BitXor: mpz_xor(r, x.get(), y.get()); break;
  default: break;
  }
  return take_mpz(r);
}

/// The GMP path for any operator.
Val big_binop(Ctx* c, BinOp op, Val a, Val b) {
  switch (op) {
  case BinOp::TrueDiv: return big_truediv(c, a, b);
  case BinOp::Pow:
    if (sign_of(b) < 0) return pow_negative_exponent(c, a, b);
    return big_pow(c, a, b);
  case BinOp::LShift:
  case BinOp::RShift:
    if (sign_of(b) < 0) {
      raise(c, ExcKind::ValueError, k_neg_shift);
      return box_int(0);
    }
    return op == BinOp::LShift ? big_lshift(c, a, b) : big_rshift(a, b);
  default: return big_simple(c, op, a, b);
  }
}

} // namespace

/// bool & bool (and |, ^) stay bool, as in CPython; every other result is an int or a float.
Val int_binop(Ctx* c, BinOp op, Val a, Val b) {
  if (a.tag == Tag::Bool && b.tag == Tag::Bool) {
    if (op == BinOp::BitAnd) return box_bool(a.bits & b.bits);
    if (op == BinOp::BitOr) return box_bool(a.bits | b.bits);
    if (op == BinOp::BitXor) return box_bool(a.bits ^ b.bits);
  }
  Val r;
  if (is_small(a) && is_small(b) && small_binop(c, op, small_val(a), small_val(b), &r)) return r;
  return big_binop(c, op, a, b);
}

Val int_neg(Ctx*, Val a) {
  if (is_small(a) && small_val(a) != INT64_MIN) return box_int(-small_val(a));
  MpzView x(a);
  Mpz r;
  mpz_neg(r, x.get());
  return take_mpz(r);
}

Val int_invert(Ctx*, Val a) {
  if (is_small(a)) return box_int(~small_val(a));
  Mpz r;
  mpz_com(r, as<BigInt>(a)->z);
  return take_mpz(r);
}

Val int_abs(Ctx* c, Val a) {
  if (sign_of(a) < 0) return int_neg(c, a);
  return a.tag == Tag::Bool ? box_int(small_val(a)) : a;
}

} // namespace shoal::rt
