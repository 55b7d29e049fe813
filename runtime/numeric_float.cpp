/// Float arithmetic, repr, parsing, rounding and hashing with CPython 3.11's semantics.

#include "runtime/numeric_detail.hpp"

#include <cfloat>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <strings.h>

namespace shoal::rt {
using namespace detail;

namespace {

bool is_odd_integer(double x) { return std::fmod(std::fabs(x), 2.0) == 1.0; }

const char* op_symbol(BinOp op) {
  switch (op) {
  case BinOp::LShift: return "<<";
  case BinOp::RShift: return ">>";
  case BinOp::BitAnd: return "&";
  case BinOp::BitOr: return "|";
  default: return "^";
  }
}

/// x ** y once x and y are finite, x > 0 and x != 1: the platform pow, overflow checked.
double finite_pow(Ctx* c, double x, double y) {
  double r = std::pow(x, y);
  if (std::isinf(r)) raise(c, ExcKind::OverflowError, "(34, 'Numerical result out of range')"); // CPython: str of (errno, text)
  return r;
}

} // namespace

namespace detail {

/// Port of CPython's float_pow: special cases first, so that libm only sees the easy ones.
double float_pow(Ctx* c, double x, double y) {
  if (y == 0) return 1.0;
  if (std::isnan(x)) return x;
  if (std::isnan(y)) return x == 1.0 ? 1.0 : y;
  if (std::isinf(y)) {
    double ax = std::fabs(x);
    if (ax == 1.0) return 1.0;
    return (y > 0.0) == (ax > 1.0) ? std::fabs(y) : 0.0;
  }
  if (std::isinf(x)) {
    bool odd = is_odd_integer(y);
    if (y > 0.0) return odd ? x : std::fabs(x);
    return odd ? std::copysign(0.0, x) : 0.0;
  }
  if (x == 0.0) {
    if (y < 0.0) {
      raise(c, ExcKind::ZeroDivisionError, "0.0 cannot be raised to a negative power");
      return 0.0;
    }
    return is_odd_integer(y) ? x : 0.0;
  }
  bool negate = false;
  if (x < 0.0) {
    if (y != std::floor(y)) {
      raise(c, ExcKind::UnsupportedError, "complex numbers are not supported");
      return 0.0;
    }
    x = -x;
    negate = is_odd_integer(y);
  }
  if (x == 1.0) return negate ? -1.0 : 1.0;
  double r = finite_pow(c, x, y);
  return negate ? -r : r;
}

} // namespace detail

double float_binop(Ctx* c, BinOp op, double a, double b) {
  switch (op) {
  case BinOp::Add: return a + b;
  case BinOp::Sub: return a - b;
  case BinOp::Mul: return a * b;
  case BinOp::TrueDiv:
    if (b == 0.0) {
      raise(c, ExcKind::ZeroDivisionError, "float division by zero");
      return 0.0;
    }
    return a / b;
  case BinOp::FloorDiv: return float_floordiv(c, a, b);
  case BinOp::Mod: return float_mod(c, a, b);
  case BinOp::Pow: return float_pow(c, a, b);
  default:
    raise(c, ExcKind::TypeError, std::string("unsupported operand type(s) for ") + op_symbol(op) +
                                     ": 'float' and 'float'");
    return 0.0;
  }
}

// ---- floor division and modulo --------------------------------------------------------------

/// CPython's _float_div_mod: fmod, then fix the signs so that the remainder follows b.
void float_divmod(Ctx* c, double a, double b, double* q, double* r) {
  if (b == 0.0) {
    raise(c, ExcKind::ZeroDivisionError, "float divmod()");
    *q = *r = 0.0;
    return;
  }
  double mod = std::fmod(a, b);
  double div = (a - mod) / b;
  if (mod != 0.0) {
    if ((b < 0) != (mod < 0)) {
      mod += b;
      div -= 1.0;
    }
  } else {
    mod = std::copysign(0.0, b);
  }
  double floordiv;
  if (div != 0.0) {
    floordiv = std::floor(div);
    if (div - floordiv > 0.5) floordiv += 1.0;
  } else {
    floordiv = std::copysign(0.0, a / b);
  }
  *q = floordiv;
  *r = mod;
}

double float_floordiv(Ctx* c, double a, double b) {
  if (b == 0.0) {
    raise(c, ExcKind::ZeroDivisionError, "float floor division by zero");
    return 0.0;
  }
  double q, r;
  float_divmod(c, a, b, &q, &r);
  return q;
}

double float_mod(Ctx* c, double a, double b) {
  if (b == 0.0) {
    raise(c, ExcKind::ZeroDivisionError, "float modulo");
    return 0.0;
  }
  double mod = std::fmod(a, b);
  if (mod != 0.0) {
    if ((b < 0) != (mod < 0)) mod += b;
  } else {
    mod = std::copysign(0.0, b);
  }
  return mod;
}

// ---- repr -----------------------------------------------------------------------------------

/// Shortest round-trip digits from std::to_chars, laid out as CPython's repr: scientific when
/// the decimal exponent is < -4 or >= 16, else positional with at least one fractional digit.
std::string float_repr(double d) {
  if (std::isnan(d)) return "nan";
  if (std::isinf(d)) return d > 0 ? "inf" : "-inf";
  if (d == 0.0) return std::signbit(d) ? "-0.0" : "0.0";
  char buf[64];
  auto res = std::to_chars(buf, buf + sizeof buf, std::fabs(d), std::chars_format::scientific);
  std::string sci(buf, res.ptr); // "d[.ddd]e[+-]xx"
  size_t e_pos = sci.find('e');
  std::string digits = sci.substr(0, e_pos);
  if (digits.size() > 1) digits.erase(1, 1); // drop the '.'
  int exp10 = std::atoi(sci.c_str() + e_pos + 1);
  std::string out = d < 0 ? "-" : "";
  if (exp10 < -4 || exp10 >= 16) {
    out += digits.substr(0, 1);
    if (digits.size() > 1) out += "." + digits.substr(1);
    char e[16];
    std::snprintf(e, sizeof e, "e%c%02d", exp10 < 0 ? '-' : '+', std::abs(exp10));
    return out + e;
  }
  if (exp10 < 0) return out + "0." + std::string(-exp10 - 1, '0') + digits;
  size_t int_digits = static_cast<size_t>(exp10) + 1;
  if (digits.size() <= int_digits) return out + digits + std::string(int_digits - digits.size(), '0') + ".0";
  return out + digits.substr(0, int_digits) + "." + digits.substr(int_digits);
}

// ---- float(str) -----------------------------------------------------------------------------

namespace {

bool is_digit(char ch) { return ch >= '0' && ch <= '9'; }
bool py_isspace(char ch) { return ch == ' ' || (ch >= '\t' && ch <= '\r'); }

/// Removes underscores, each of which must sit between two digits; false if one does not.
bool strip_underscores(const std::string& t, std::string* out) {
  char prev = '\0';
  for (size_t i = 0; i < t.size(); ++i) {
    char ch = t[i];
    if (ch == '_' && !is_digit(prev)) return false;
    if (ch != '_' && prev == '_' && !is_digit(ch)) return false;
    if (ch != '_') out->push_back(ch);
    prev = ch;
  }
  return prev != '_';
}

bool iequals(const std::string& s, size_t from, const char* word) {
  return s.size() - from == std::strlen(word) && strncasecmp(s.c_str() + from, word, s.size() - from) == 0;
}

/// Whether t is [sign] (digits [. digits] | . digits) [e [sign] digits].
bool is_decimal_literal(const std::string& t) {
  size_t i = (!t.empty() && (t[0] == '+' || t[0] == '-')) ? 1 : 0, n = 0;
  for (; i < t.size() && is_digit(t[i]); ++i) ++n;
  if (i < t.size() && t[i] == '.')
    for (++i; i < t.size() && is_digit(t[i]); ++i) ++n;
  if (n == 0) return false;
  if (i < t.size() && (t[i] == 'e' || t[i] == 'E')) {
    ++i;
    if (i < t.size() && (t[i] == '+' || t[i] == '-')) ++i;
    size_t start = i;
    while (i < t.size() && is_digit(t[i])) ++i;
    if (i == start) return false;
  }
  return i == t.size();
}

/// Parses a stripped ASCII literal; false when CPython would reject it.
bool parse_float_literal(const std::string& t, double* out) {
  size_t sign = (!t.empty() && (t[0] == '+' || t[0] == '-')) ? 1 : 0;
  double sgn = sign && t[0] == '-' ? -1.0 : 1.0;
  if (iequals(t, sign, "inf") || iequals(t, sign, "infinity")) {
    *out = sgn * HUGE_VAL;
    return true;
  }
  if (iequals(t, sign, "nan")) {
    *out = std::copysign(std::nan(""), sgn);
    return true;
  }
  if (!is_decimal_literal(t)) return false;
  *out = std::strtod(t.c_str(), nullptr); // glibc: correctly rounded; overflow gives inf
  return true;
}

} // namespace

double float_from_string(Ctx* c, const std::string& s) {
  std::string t = to_ascii_digits(s), clean;
  double d = 0.0;
  bool ok = t.find('\0') == std::string::npos && strip_underscores(t, &clean);
  if (ok) {
    size_t b = 0, e = clean.size();
    while (b < e && py_isspace(clean[b])) ++b;
    while (e > b && py_isspace(clean[e - 1])) --e;
    ok = parse_float_literal(clean.substr(b, e - b), &d);
  }
  if (!ok) raise(c, ExcKind::ValueError, "could not convert string to float: " + str_repr(s));
  return ok ? d : 0.0;
}

// ---- round ----------------------------------------------------------------------------------

Val float_round(Ctx* c, double x) {
  double rounded = std::round(x);
  if (std::fabs(x - rounded) == 0.5) rounded = 2.0 * std::round(x / 2.0);
  return int_from_double(c, rounded);
}

namespace {

/// q = num / den rounded half to even (den > 0).
void div_round_half_even(mpz_ptr q, mpz_srcptr num, mpz_srcptr den) {
  Mpz r, twice;
  mpz_fdiv_qr(q, r, num, den);
  mpz_mul_2exp(twice, r, 1);
  int cmp = mpz_cmp(twice, den);
  if (cmp > 0 || (cmp == 0 && mpz_odd_p(q))) mpz_add_ui(q, q, 1);
}

/// Exactly x rounded to n decimals (x finite and non-zero): q / 10**n for n >= 0 or q * 10**-n
/// for n < 0, converted to the nearest double. False when that double would overflow.
bool exact_round(double x, int64_t n, double* out) {
  int e2;
  double frac = std::frexp(x, &e2);
  Mpz num, den, p, q;
  mpz_set_d(num, std::ldexp(frac, DBL_MANT_DIG)); // x == num * 2**(e2 - 53)
  e2 -= DBL_MANT_DIG;
  mpz_ui_pow_ui(p, 10, static_cast<unsigned long>(n < 0 ? -n : n));
  mpz_set_ui(den, 1);
  if (n >= 0) mpz_mul(num, num, p);
  else mpz_set(den, p);
  if (e2 >= 0) mpz_mul_2exp(num, num, static_cast<mp_bitcnt_t>(e2));
  else mpz_mul_2exp(den, den, static_cast<mp_bitcnt_t>(-e2));
  div_round_half_even(q, num, den);
  if (mpz_sgn(q.z) == 0) {
    *out = std::copysign(0.0, x);
    return true;
  }
  if (n >= 0) return mpz_true_divide(q, p, out);
  mpz_mul(q, q, p);
  mpz_set_ui(den, 1);
  return mpz_true_divide(q, den, out);
}

} // namespace

/// CPython's float.__round__ with ndigits: dtoa mode 3 then strtod, done here exactly with GMP.
double float_round_n(Ctx* c, double x, int64_t n) {
  constexpr int64_t ndigits_max = static_cast<int64_t>((DBL_MANT_DIG - DBL_MIN_EXP) * 0.30103);
  constexpr int64_t ndigits_min = -static_cast<int64_t>((DBL_MAX_EXP + 1) * 0.30103);
  if (!std::isfinite(x) || x == 0.0 || n > ndigits_max) return x;
  if (n < ndigits_min) return 0.0 * x;
  double r = 0.0;
  if (!exact_round(x, n, &r)) {
    if (c) raise(c, ExcKind::OverflowError, "rounded value too large to represent");
    return std::copysign(HUGE_VAL, x);
  }
  return r;
}

double float_round_n(double x, int64_t n) { return float_round_n(nullptr, x, n); }

// ---- hash -----------------------------------------------------------------------------------

/// Port of CPython's _Py_HashDouble: the hash of the rational value modulo 2**61 - 1, so that
/// equal ints and floats hash alike. NaN hashes to 0 (CPython 3.11 uses the object's id).
int64_t float_hash(double v) {
  constexpr int bits = 61;
  constexpr uint64_t modulus = (uint64_t{1} << bits) - 1;
  if (std::isinf(v)) return v > 0 ? 314159 : -314159;
  if (std::isnan(v)) return 0;
  int e;
  double m = std::frexp(v, &e);
  int sign = 1;
  if (m < 0) {
    sign = -1;
    m = -m;
  }
  uint64_t x = 0;
  while (m != 0.0) {
    x = ((x << 28) & modulus) | x >> (bits - 28);
    m *= 268435456.0; // 2**28
    e -= 28;
    auto y = static_cast<uint64_t>(m);
    m -= static_cast<double>(y);
    x += y;
    if (x >= modulus) x -= modulus;
  }
  e = e >= 0 ? e % bits : bits - 1 - ((-1 - e) % bits);
  x = ((x << e) & modulus) | x >> (bits - e);
  x = x * static_cast<uint64_t>(static_cast<int64_t>(sign));
  if (x == static_cast<uint64_t>(-1)) x = static_cast<uint64_t>(-2);
  return static_cast<int64_t>(x);
}

} // namespace shoal::rt
