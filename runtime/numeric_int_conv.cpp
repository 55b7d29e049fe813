/// Integer comparisons, conversions to and from float and str, hashing and round(int, n), as
/// CPython 3.11 does them.

#include "runtime/numeric_detail.hpp"

#include <cfloat>
#include <charconv>
#include <cmath>
#include <cstring>

namespace shoal::rt {
using namespace detail;

namespace {

constexpr uint64_t k_hash_modulus = (uint64_t{1} << 61) - 1;
constexpr int64_t k_max_str_digits = 4300; // sys.get_int_max_str_digits() default

int sign3(int x) { return (x > 0) - (x < 0); }

/// CPython's ASCII isspace (Py_ISSPACE).
bool py_isspace(char ch) { return ch == ' ' || (ch >= '\t' && ch <= '\r'); }

} // namespace

// ---- true division --------------------------------------------------------------------------

namespace detail {

/// Port of CPython's long_true_divide: scale a so that a/b has DBL_MANT_DIG + 2 or + 3 bits,
/// divide, fold the remainder into a sticky bit, round half-even by hand, then ldexp.
bool mpz_true_divide(mpz_srcptr a, mpz_srcptr b, double* out) {
  bool negate = (mpz_sgn(a) < 0) != (mpz_sgn(b) < 0);
  long a_bits = static_cast<long>(mpz_sizeinbase(a, 2));
  long b_bits = static_cast<long>(mpz_sizeinbase(b, 2));
  if (mpz_sgn(a) == 0 || a_bits - b_bits < DBL_MIN_EXP - DBL_MANT_DIG - 1) {
    *out = negate ? -0.0 : 0.0;
    return true;
  }
  if (a_bits <= DBL_MANT_DIG && b_bits <= DBL_MANT_DIG) { // both exact: one rounding
    *out = mpz_get_d(a) / mpz_get_d(b);
    return true;
  }
  long diff = a_bits - b_bits;
  if (diff > DBL_MAX_EXP) return false;
  long shift = std::max(diff, static_cast<long>(DBL_MIN_EXP)) - DBL_MANT_DIG - 2;
  Mpz x, rem;
  mpz_abs(x, a);
  bool inexact = false;
  if (shift <= 0) {
    mpz_mul_2exp(x, x, static_cast<mp_bitcnt_t>(-shift));
  } else {
    inexact = mpz_scan1(x, 0) < static_cast<mp_bitcnt_t>(shift);
    mpz_tdiv_q_2exp(x, x, static_cast<mp_bitcnt_t>(shift));
  }
  Mpz babs;
  mpz_abs(babs, b);
  mpz_tdiv_qr(x, rem, x, babs);
  inexact = inexact || mpz_sgn(rem.z) != 0;
  long x_bits = static_cast<long>(mpz_sizeinbase(x, 2));
  long extra_bits = std::max(x_bits, DBL_MIN_EXP - shift) - DBL_MANT_DIG; // 2 or 3
  unsigned mask = 1u << (extra_bits - 1);
  unsigned low = static_cast<unsigned>(mpz_getlimbn(x, 0) & 15) | (inexact ? 1u : 0u);
  if ((low & mask) && (low & (3u * mask - 1u))) mpz_add_ui(x, x, mask);
  mpz_fdiv_q_2exp(x, x, static_cast<mp_bitcnt_t>(extra_bits));
  mpz_mul_2exp(x, x, static_cast<mp_bitcnt_t>(extra_bits));
  double dx = mpz_get_d(x); // exact: at most DBL_MANT_DIG significant bits
  if (shift + x_bits >= DBL_MAX_EXP &&
      (shift + x_bits > DBL_MAX_EXP || dx == std::ldexp(1.0, static_cast<int>(x_bits))))
    return false;
  double r = std::ldexp(dx, static_cast<int>(shift));
  *out = negate ? -r : r;
  return true;
}

} // namespace detail

// ---- comparisons ----------------------------------------------------------------------------

int int_cmp(Val a, Val b) {
  if (is_small(a) && is_small(b)) {
    int64_t x = small_val(a), y = small_val(b);
    return (x > y) - (x < y);
  }
  MpzView x(a), y(b);
  return sign3(mpz_cmp(x.get(), y.get()));
}

/// Compares the integer part exactly, then lets the fraction of b break a tie.
int int_float_cmp(Val a, double b) {
  if (std::isnan(b)) return 2;
  if (std::isinf(b)) return b > 0 ? -1 : 1;
  double t = std::trunc(b), frac = b - t;
  int c;
  if (is_small(a)) {
    if (b >= 0x1p63) return -1;
    if (b < -0x1p63) return 1;
    int64_t x = small_val(a), y = static_cast<int64_t>(t);
    c = (x > y) - (x < y);
  } else {
    Mpz y;
    mpz_set_d(y, t);
    c = sign3(mpz_cmp(as<BigInt>(a)->z, y));
  }
  if (c != 0) return c;
  return frac > 0 ? -1 : (frac < 0 ? 1 : 0);
}

// ---- float conversions ----------------------------------------------------------------------

double int_to_double(Ctx* c, Val a) {
  if (is_small(a)) return static_cast<double>(small_val(a)); // rounds half-even
  Mpz one;
  mpz_set_ui(one, 1);
  double d = 0.0;
  if (!mpz_true_divide(as<BigInt>(a)->z, one, &d))
    raise(c, ExcKind::OverflowError, "int too large to convert to float");
  return d;
}

Val int_from_double(Ctx* c, double d) {
  if (std::isnan(d)) {
    raise(c, ExcKind::ValueError, "cannot convert float NaN to integer");
    return box_int(0);
  }
  if (std::isinf(d)) {
    raise(c, ExcKind::OverflowError, "cannot convert float infinity to integer");
    return box_int(0);
  }
  double t = std::trunc(d);
  if (t >= -0x1p63 && t < 0x1p63) return box_int(static_cast<int64_t>(t));
  Mpz z;
  mpz_set_d(z, t);
  return take_mpz(z);
}

// ---- str conversions ------------------------------------------------------------------------

std::string int_to_string(Val a) {
  if (is_small(a)) {
    char buf[24];
    auto r = std::to_chars(buf, buf + sizeof buf, small_val(a));
    return std::string(buf, r.ptr);
  }
  mpz_srcptr z = as<BigInt>(a)->z;
  std::string s(mpz_sizeinbase(z, 10) + 2, '\0');
  mpz_get_str(s.data(), 10, z);
  s.resize(std::strlen(s.c_str()));
  return s;
}

/// str(int) with CPython's limit of 4300 digits (ValueError beyond it).
std::string int_to_string(Ctx* c, Val a) {
  if (a.tag == Tag::Big) {
    size_t estimate = mpz_sizeinbase(as<BigInt>(a)->z, 10); // exact or one too many
    std::string s = estimate > k_max_str_digits + 1 ? std::string() : int_to_string(a);
    int64_t digits = s.empty() ? estimate : static_cast<int64_t>(s.size()) - (s[0] == '-');
    if (digits > k_max_str_digits) {
      raise(c, ExcKind::ValueError,
            "Exceeds the limit (4300 digits) for integer string conversion; "
            "use sys.set_int_max_str_digits() to increase the limit");
      return std::string();
    }
    return s;
  }
  return int_to_string(a);
}

namespace {

/// Scans [sign] digits with single underscores between them, as PyLong_FromString does for
/// base 10. Returns false on a malformed literal; `digits` gets the digit characters, and
/// `*pos` the first index after them.
bool scan_int_literal(const std::string& t, size_t* pos, bool* negative, std::string* digits) {
  size_t i = *pos;
  *negative = false;
  if (i < t.size() && (t[i] == '+' || t[i] == '-')) *negative = t[i++] == '-';
  if (i < t.size() && t[i] == '_') return false;
  char prev = '\0';
  for (; i < t.size() && ((t[i] >= '0' && t[i] <= '9') || t[i] == '_'); ++i) {
    if (t[i] == '_' && prev == '_') return false;
    if (t[i] != '_') digits->push_back(t[i]);
    prev = t[i];
  }
  *pos = i;
  return prev != '_';
}

Val parse_digits(const std::string& digits, bool negative) {
  if (digits.size() <= 18) {
    int64_t v = 0;
    for (char ch : digits) v = v * 10 + (ch - '0');
    return box_int(negative ? -v : v);
  }
  Mpz z;
  mpz_set_str(z, digits.c_str(), 10);
  if (negative) mpz_neg(z, z);
  return take_mpz(z);
}

void raise_invalid_int(Ctx* c, const std::string& s) {
  raise(c, ExcKind::ValueError, "invalid literal for int() with base 10: " + str_repr(s, 200));
}

} // namespace

Val int_from_string(Ctx* c, const std::string& s) {
  std::string t = to_ascii_digits(s);
  size_t i = 0;
  while (i < t.size() && py_isspace(t[i])) ++i;
  bool negative = false;
  std::string digits;
  if (!scan_int_literal(t, &i, &negative, &digits)) {
    raise_invalid_int(c, s);
    return box_int(0);
  }
  if (static_cast<int64_t>(digits.size()) > k_max_str_digits) {
    raise(c, ExcKind::ValueError,
          "Exceeds the limit (4300 digits) for integer string conversion: value has " +
              std::to_string(digits.size()) +
              " digits; use sys.set_int_max_str_digits() to increase the limit");
    return box_int(0);
  }
  while (i < t.size() && py_isspace(t[i])) ++i;
  if (digits.empty() || i != t.size()) {
    raise_invalid_int(c, s);
    return box_int(0);
  }
  return parse_digits(digits, negative);
}

// ---- hash and round -------------------------------------------------------------------------

/// sign(a) * (|a| mod (2**61 - 1)), with -1 replaced by -2 (CPython reserves -1 for errors).
int64_t int_hash(Val a) {
  uint64_t h;
  bool negative;
  if (is_small(a)) {
    int64_t x = small_val(a);
    negative = x < 0;
    h = (negative ? 0 - static_cast<uint64_t>(x) : static_cast<uint64_t>(x)) % k_hash_modulus;
  } else {
    mpz_srcptr z = as<BigInt>(a)->z;
    negative = mpz_sgn(z) < 0;
    h = mpz_tdiv_ui(z, k_hash_modulus);
  }
  int64_t r = negative ? -static_cast<int64_t>(h) : static_cast<int64_t>(h);
  return r == -1 ? -2 : r;
}

/// round(a, n): for n < 0, a minus its remainder modulo 10**-n rounded half to even
/// (CPython's _PyLong_DivmodNear).
Val int_round_n(Ctx*, Val a, int64_t n) {
  if (n >= 0) return a.tag == Tag::Bool ? box_int(small_val(a)) : a;
  MpzView x(a);
  uint64_t k = 0 - static_cast<uint64_t>(n);
  if (k > mpz_sizeinbase(x.get(), 10)) return box_int(0); // 10**k > 2|a|
  Mpz p, q, r;
  mpz_ui_pow_ui(p, 10, k);
  mpz_fdiv_qr(q, r, x.get(), p);
  Mpz twice;
  mpz_mul_2exp(twice, r, 1);
  int cmp = mpz_cmp(twice, p);
  if (cmp > 0 || (cmp == 0 && mpz_odd_p(q.z))) mpz_sub(r, r, p);
  mpz_sub(r, x.get(), r);
  return take_mpz(r);
}

std::string int_to_hex(Val a) {
  mpz_t z;
  mpz_init(z);
  int_to_mpz(a, z);
  bool negative = mpz_sgn(z) < 0;
  mpz_abs(z, z);
  std::string digits(mpz_sizeinbase(z, 16) + 2, '\0');
  mpz_get_str(digits.data(), 16, z);
  digits.resize(std::strlen(digits.c_str()));
  mpz_clear(z);
  return (negative ? "-0x" : "0x") + digits;
}

Val int_from_hex(const std::string& text) {
  size_t i = text.size() > 0 && text[0] == '-' ? 1 : 0;
  if (text.compare(i, 2, "0x") != 0 || text.size() == i + 2)
    return none();
  mpz_t z;
  mpz_init(z);
  if (mpz_set_str(z, text.c_str() + i + 2, 16) != 0) {
    mpz_clear(z);
    return none();
  }
  if (i)
    mpz_neg(z, z);
  Val v = int_from_mpz(z);
  mpz_clear(z);
  return v;
}

} // namespace shoal::rt
