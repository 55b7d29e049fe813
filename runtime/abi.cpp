#include "runtime/abi.hpp"
#include "runtime/parallel.hpp"

#include "runtime/containers.hpp"
#include "runtime/dyn.hpp"
#include "runtime/format.hpp"
#include "runtime/objects.hpp"

#include <cmath>
#include <cstring>
#include <string>

using namespace shoal::rt;

// int128 division helpers from libgcc, which LLVM calls for 128-bit arithmetic in compiled code
extern "C" __int128 __divti3(__int128, __int128);
extern "C" unsigned __int128 __udivti3(unsigned __int128, unsigned __int128);
extern "C" __int128 __modti3(__int128, __int128);
extern "C" unsigned __int128 __umodti3(unsigned __int128, unsigned __int128);

namespace {
/// z = m * 2**e with 0.5 <= m < 1, m correctly rounded (half to even), as CPython's
/// _PyLong_Frexp; z > 0.
double frexp_big(const mpz_t z, long* e) {
  size_t nbits = mpz_sizeinbase(z, 2);
  if (nbits <= 53) {
    int ie = 0;
    double m = std::frexp(mpz_get_d(z), &ie);
    *e = ie;
    return m;
  }
  size_t shift = nbits - 55; // keep 53 bits, a guard bit and a sticky bit
  mpz_t q;
  mpz_init(q);
  mpz_fdiv_q_2exp(q, z, shift);
  uint64_t top = mpz_get_ui(q);
  mpz_clear(q);
  if (mpz_scan1(z, 0) < shift)
    top |= 1;
  uint64_t low = top & 3;
  top >>= 2;
  if (low == 3 || (low == 2 && (top & 1)))
    ++top;
  long exp = long(shift) + 55;
  if (top == (uint64_t(1) << 53)) {
    top >>= 1;
    ++exp;
  }
  *e = exp;
  return std::ldexp(double(top), -53);
}

Val str_val(const std::string& s) { return box_ptr(Tag::Str, str_new(s)); }

/// CPython's math_1: NaN from a non-NaN is a domain error; inf from a finite is a range error
/// for functions that can overflow, a domain error otherwise.
double checked_math(Ctx* c, double x, double r, bool can_overflow) {
  if (std::isnan(r) && !std::isnan(x))
    raise(c, ExcKind::ValueError, "math domain error");
  else if (std::isinf(r) && std::isfinite(x))
    raise(c, can_overflow ? ExcKind::OverflowError : ExcKind::ValueError,
          can_overflow ? "math range error" : "math domain error");
  return r;
}

double math_log(Ctx* c, double x, double (*f)(double)) {
  if (x <= 0 || std::isnan(x)) {
    if (std::isnan(x))
      return x;
    raise(c, ExcKind::ValueError, "math domain error");
    return 0;
  }
  return f(x);
}

Val int_unary_math(Ctx* c, MathV fn, Val a) {
  mpz_t z, r;
  mpz_init(z);
  mpz_init(r);
  int_to_mpz(a, z);
  if (fn == MathV::Factorial) {
    if (mpz_sgn(z) < 0) {
      raise(c, ExcKind::ValueError, "factorial() not defined for negative values");
      return none();
    }
    if (!mpz_fits_slong_p(z) || mpz_get_si(z) > 200000) {
      raise(c, ExcKind::MemoryError, nullptr);
      return none();
    }
    mpz_fac_ui(r, mpz_get_ui(z));
  } else {
    if (mpz_sgn(z) < 0) {
      raise(c, ExcKind::ValueError, "isqrt() argument must be nonnegative");
      return none();
    }
    mpz_sqrt(r, z);
  }
  return int_from_mpz(r);
}
} // namespace

extern "C" {

void shoal_rt_raise(Ctx* c, int32_t kind, const char* msg) { raise(c, ExcKind(kind), msg); }

void shoal_rt_raise_exc(Ctx* c, Val exc) {
  if (exc.tag == Tag::ExcType) {
    raise(c, ExcKind(exc.bits), nullptr);
  } else if (exc.tag == Tag::Exc) {
    c->exc = as<Exc>(exc);
  } else if (exc.tag == Tag::Class && as<ClassObj>(exc)->exc_kind >= 0) { // raise MyError
    Val made = call_other(c, exc, 0, nullptr);
    if (!c->exc)
      c->exc = as<Exc>(made);
  } else {
    raise(c, ExcKind::TypeError, "exceptions must derive from BaseException");
  }
}

Exc* shoal_rt_exc_new(Ctx*, int32_t kind, int64_t n, const Val* args) {
  return exc_new(ExcKind(kind), tuple_new(n, args));
}

void shoal_rt_reraise(Ctx* c) {
  if (c->handling)
    c->exc = c->handling;
  else
    raise(c, ExcKind::RuntimeError, "No active exception to reraise");
}

int32_t shoal_rt_exc_matches(Exc* e, int32_t kind) { return exc_matches(e->kind, ExcKind(kind)); }

void shoal_rt_tb_push(Ctx* c, const char* file, const char* function, int64_t line) {
  if (!c->exc || c->exc->kind == ExcKind::Deopt)
    return;
  auto* f = static_cast<TraceFrame*>(gc_alloc(sizeof(TraceFrame)));
  *f = {file, function, line, c->exc->tb};
  c->exc->tb = f;
}

void shoal_rt_deopt(Ctx* c) { raise(c, ExcKind::Deopt, nullptr); }

void shoal_rt_recursion(Ctx* c) { raise(c, ExcKind::RecursionError, "maximum recursion depth exceeded"); }

void shoal_rt_unbound(Ctx* c, const char* name) {
  raise(c, ExcKind::UnboundLocalError,
        std::string("cannot access local variable '") + name + "' where it is not associated with a value");
}

void shoal_rt_name_error(Ctx* c, const char* name) {
  raise(c, ExcKind::NameError, std::string("name '") + name + "' is not defined");
}

Val shoal_rt_binop(Ctx* c, int32_t op, Val a, Val b) {
  return dyn_binop(c, BinOp(op & ~inplace_flag), a, b, (op & inplace_flag) != 0);
}
int32_t shoal_rt_compare(Ctx* c, int32_t op, Val a, Val b) { return dyn_compare(c, CmpOp(op), a, b); }
int32_t shoal_rt_truthy(Val v) { return dyn_truthy(v); }

Val shoal_rt_unary(Ctx* c, int32_t op, Val a) {
  return op == 0 ? dyn_neg(c, a) : op == 1 ? dyn_pos(c, a) : dyn_invert(c, a);
}

int32_t shoal_rt_contains(Ctx* c, Val container, Val item) { return dyn_contains(c, container, item); }
int64_t shoal_rt_len(Ctx* c, Val v) { return dyn_len(c, v); }
Val shoal_rt_index(Ctx* c, Val seq, Val index) { return dyn_index(c, seq, index); }
Val shoal_rt_to_int(Ctx* c, Val v) { return dyn_to_int(c, v); }
double shoal_rt_to_float(Ctx* c, Val v) { return dyn_to_float(c, v); }
Str* shoal_rt_to_str(Ctx*, Val v) { return v.tag == Tag::Str ? as<Str>(v) : str_new(str_of(v)); }
Str* shoal_rt_repr(Ctx*, Val v) { return str_new(repr_of(v)); }
int64_t shoal_rt_as_index(Ctx* c, Val v) { return dyn_as_index(c, v); }
void* shoal_rt_tuple_new(Ctx*, int64_t n, const Val* items) { return as<Tuple>(tuple_new(n, items)); }

int32_t shoal_rt_unpack(Ctx* c, Val seq, int64_t n, Val* out) {
  if (seq.tag == Tag::Tuple || seq.tag == Tag::List) {
    int64_t have = seq.tag == Tag::Tuple ? as<Tuple>(seq)->n : as<List>(seq)->n;
    const Val* items = seq.tag == Tag::Tuple ? as<Tuple>(seq)->items : as<List>(seq)->items;
    if (have != n) {
      raise(c, ExcKind::ValueError,
            have > n ? "too many values to unpack (expected " + std::to_string(n) + ")"
                     : "not enough values to unpack (expected " + std::to_string(n) + ", got " +
                           std::to_string(have) + ")");
      return 0;
    }
    for (int64_t i = 0; i < n; ++i)
      out[i] = items[i];
    return 1;
  }
  // any other iterable: at most n + 1 items are taken, as CPython does
  Iter* it = iter_of(c, seq);
  if (!it) {
    if (c->exc && c->exc->kind == ExcKind::TypeError) {
      c->exc = nullptr;
      raise(c, ExcKind::TypeError, std::string("cannot unpack non-iterable ") + type_name(seq) + " object");
    }
    return 0;
  }
  Val extra;
  for (int64_t i = 0; i < n; ++i)
    if (!iter_next(c, it, &out[i])) {
      if (!c->exc)
        raise(c, ExcKind::ValueError, "not enough values to unpack (expected " + std::to_string(n) + ", got " +
                                          std::to_string(i) + ")");
      return 0;
    }
  if (iter_next(c, it, &extra)) {
    raise(c, ExcKind::ValueError, "too many values to unpack (expected " + std::to_string(n) + ")");
    return 0;
  }
  return c->exc ? 0 : 1;
}

void shoal_rt_print(Ctx* c, int64_t n, const Val* items, Str* sep, Str* end) {
  std::string& out = *c->out;
  for (int64_t i = 0; i < n; ++i) {
    if (i)
      out.append(sep ? sep->data : " ", sep ? size_t(sep->len) : 1);
    out += str_of(items[i]);
  }
  out.append(end ? end->data : "\n", end ? size_t(end->len) : 1);
}

double shoal_rt_float_binop(Ctx* c, int32_t op, double a, double b) { return float_binop(c, BinOp(op), a, b); }
Val shoal_rt_float_to_int(Ctx* c, double d) { return int_from_double(c, d); }

int64_t shoal_rt_int_pow(Ctx* c, int64_t a, int64_t b) {
  // b >= 0 is guaranteed by the caller; overflow leaves the int64 fast path.
  int64_t result = 1;
  while (b > 0) {
    if ((b & 1) && __builtin_mul_overflow(result, a, &result))
      return shoal_rt_deopt(c), 0;
    b >>= 1;
    if (b && __builtin_mul_overflow(a, a, &a))
      return shoal_rt_deopt(c), 0;
  }
  return result;
}

double shoal_rt_int_truediv(Ctx* c, int64_t a, int64_t b) {
  Val r = int_binop(c, BinOp::TrueDiv, box_int(a), box_int(b));
  return c->exc ? 0.0 : unbox_float(r);
}

int32_t shoal_rt_int_float_cmp(Val a, double b) { return int_float_cmp(a, b); }
Val shoal_rt_round(Ctx* c, double d) { return float_round(c, d); }
double shoal_rt_round_n(double d, int64_t n) { return float_round_n(d, n); }
Val shoal_rt_int_round_n(Ctx* c, Val a, int64_t n) { return int_round_n(c, a, n); }

double shoal_rt_math1(Ctx* c, int32_t fn, double x) {
  switch (Math1(fn)) {
  case Math1::Sqrt: return checked_math(c, x, std::sqrt(x), false);
  case Math1::Exp: return checked_math(c, x, std::exp(x), true);
  case Math1::Log: return math_log(c, x, std::log);
  case Math1::Log2: return math_log(c, x, std::log2);
  case Math1::Log10: return math_log(c, x, std::log10);
  case Math1::Sin: return checked_math(c, x, std::sin(x), false);
  case Math1::Cos: return checked_math(c, x, std::cos(x), false);
  case Math1::Tan: return checked_math(c, x, std::tan(x), false);
  case Math1::Asin: return checked_math(c, x, std::asin(x), false);
  case Math1::Acos: return checked_math(c, x, std::acos(x), false);
  case Math1::Atan: return checked_math(c, x, std::atan(x), false);
  case Math1::Sinh: return checked_math(c, x, std::sinh(x), true);
  case Math1::Cosh: return checked_math(c, x, std::cosh(x), true);
  case Math1::Tanh: return checked_math(c, x, std::tanh(x), false);
  case Math1::Fabs: return std::fabs(x);
  case Math1::Degrees: return x * (180.0 / M_PI);
  case Math1::Radians: return x * (M_PI / 180.0);
  case Math1::Expm1: return checked_math(c, x, std::expm1(x), true);
  case Math1::Log1p:
    if (x <= -1.0)
      return raise(c, ExcKind::ValueError, "math domain error"), 0.0;
    return std::log1p(x);
  case Math1::Count: break;
  }
  return 0.0;
}

double shoal_rt_math2(Ctx* c, int32_t fn, double x, double y) {
  switch (Math2(fn)) {
  case Math2::Atan2: return std::atan2(x, y);
  case Math2::Hypot: return std::hypot(x, y);
  case Math2::Copysign: return std::copysign(x, y);
  case Math2::Fmod:
    if (std::isinf(x) || y == 0.0) {
      if (!std::isnan(y) && !std::isnan(x))
        return raise(c, ExcKind::ValueError, "math domain error"), 0.0;
    }
    return std::fmod(x, y);
  case Math2::Pow: {
    if (x == 0.0 && y < 0 && std::isfinite(y))
      return raise(c, ExcKind::ValueError, "math domain error"), 0.0;
    double r = std::pow(x, y);
    if (std::isnan(r) && !std::isnan(x) && !std::isnan(y))
      return raise(c, ExcKind::ValueError, "math domain error"), 0.0;
    if (std::isinf(r) && std::isfinite(x) && std::isfinite(y))
      return raise(c, ExcKind::OverflowError, "math range error"), 0.0;
    return r;
  }
  case Math2::LogBase: {
    double num = math_log(c, x, std::log);
    if (c->exc)
      return 0.0;
    double den = math_log(c, y, std::log);
    if (c->exc)
      return 0.0;
    if (den == 0.0)
      return raise(c, ExcKind::ZeroDivisionError, "float division by zero"), 0.0;
    return num / den;
  }
  case Math2::Count: break;
  }
  return 0.0;
}

Val shoal_rt_mathv(Ctx* c, int32_t fn, Val a, Val b) {
  auto check_int = [&](Val v, const char* what) {
    if (v.tag == Tag::Int || v.tag == Tag::Big || v.tag == Tag::Bool)
      return true;
    raise(c, ExcKind::TypeError, std::string("'") + type_name(v) + "' object cannot be interpreted as an integer");
    (void)what;
    return false;
  };
  switch (MathV(fn)) {
  case MathV::Floor:
  case MathV::Ceil:
  case MathV::Trunc: {
    if (a.tag != Tag::Float)
      return a.tag == Tag::Bool ? box_int(int64_t(a.bits)) : a;
    double d = unbox_float(a);
    d = MathV(fn) == MathV::Floor ? std::floor(d) : MathV(fn) == MathV::Ceil ? std::ceil(d) : std::trunc(d);
    return int_from_double(c, d);
  }
  case MathV::Gcd: {
    if (!check_int(a, "gcd") || !check_int(b, "gcd"))
      return none();
    mpz_t x, y;
    mpz_init(x);
    mpz_init(y);
    int_to_mpz(a, x);
    int_to_mpz(b, y);
    mpz_gcd(x, x, y);
    return int_from_mpz(x);
  }
  case MathV::Factorial:
  case MathV::Isqrt:
    if (!check_int(a, "factorial"))
      return none();
    return int_unary_math(c, MathV(fn), a);
  case MathV::Comb:
  case MathV::Perm: {
    if (!check_int(a, "comb") || !check_int(b, "comb"))
      return none();
    mpz_t n, k, r;
    mpz_init(n);
    mpz_init(k);
    mpz_init(r);
    int_to_mpz(a, n);
    int_to_mpz(b, k);
    if (mpz_sgn(n) < 0 || mpz_sgn(k) < 0) {
      raise(c, ExcKind::ValueError, mpz_sgn(n) < 0 ? "n must be a non-negative integer"
                                                   : "k must be a non-negative integer");
      return none();
    }
    if (mpz_cmp(k, n) > 0)
      return box_int(0);
    if (!mpz_fits_ulong_p(n) || mpz_get_ui(n) > 1000000) {
      raise(c, ExcKind::MemoryError, nullptr);
      return none();
    }
    unsigned long nn = mpz_get_ui(n), kk = mpz_get_ui(k);
    if (MathV(fn) == MathV::Comb) {
      mpz_bin_uiui(r, nn, kk);
    } else {
      mpz_set_ui(r, 1);
      for (unsigned long i = 0; i < kk; ++i)
        mpz_mul_ui(r, r, nn - i);
    }
    return int_from_mpz(r);
  }
  case MathV::Count: break;
  }
  return none();
}

Val shoal_rt_divmod(Ctx* c, Val a, Val b) {
  bool num_a = a.tag == Tag::Float || a.tag == Tag::Int || a.tag == Tag::Big || a.tag == Tag::Bool;
  bool num_b = b.tag == Tag::Float || b.tag == Tag::Int || b.tag == Tag::Big || b.tag == Tag::Bool;
  if (num_a && num_b && (a.tag == Tag::Float || b.tag == Tag::Float)) {
    double x = dyn_to_float(c, a);
    double y = c->exc ? 0.0 : dyn_to_float(c, b);
    double q = 0, r = 0;
    if (!c->exc)
      float_divmod(c, x, y, &q, &r);
    return c->exc ? none() : tuple_of({box_float(q), box_float(r)});
  }
  Val q = dyn_binop(c, BinOp::FloorDiv, a, b);
  if (c->exc)
    return none();
  Val r = dyn_binop(c, BinOp::Mod, a, b);
  if (c->exc)
    return none();
  return tuple_of({q, r});
}

Str* shoal_rt_exc_str(Exc* e) { return str_new(exc_message(e)); }
void* shoal_rt_alloc(int64_t bytes) { return gc_alloc(size_t(bytes)); }

Val shoal_rt_big(Ctx*, const char* hex) { return int_from_hex(hex); }

Val shoal_rt_abs(Ctx* c, Val a) {
  if (a.tag == Tag::Float)
    return box_float(std::fabs(unbox_float(a)));
  if (a.tag == Tag::Int || a.tag == Tag::Big || a.tag == Tag::Bool)
    return int_abs(c, a);
  Val r;
  if (call_dunder(c, a, "__abs__", 0, nullptr, &r))
    return c->exc ? none() : r;
  raise(c, ExcKind::TypeError, std::string("bad operand type for abs(): '") + type_name(a) + "'");
  return none();
}

void shoal_rt_not_callable(Ctx* c, Val v) {
  raise(c, ExcKind::TypeError, std::string("'") + type_name(v) + "' object is not callable");
}

void shoal_rt_arity_error(Ctx* c, const char* name, int64_t required, int64_t positional, int64_t given) {
  std::string fn = std::string(name) + "()";
  if (given > positional) {
    raise(c, ExcKind::TypeError, too_many_positional(fn, required, positional, given));
  } else {
    int64_t missing = required - given;
    raise(c, ExcKind::TypeError, fn + " missing " + std::to_string(missing) + " required positional argument" +
                                     (missing == 1 ? "" : "s"));
  }
}

/// log (which 0), log2 (1) or log10 (2) of any number, big ints included (CPython's loghelper:
/// x = m * 2**e with m in [0.5, 1)); base, unless None, divides as math.log(x, base) does.
double shoal_rt_math_log(Ctx* c, int32_t which, Val x, Val base) {
  double (*f)(double) = which == 0 ? static_cast<double (*)(double)>(std::log)
                      : which == 1 ? static_cast<double (*)(double)>(std::log2)
                                   : static_cast<double (*)(double)>(std::log10);
  auto one = [&](Val v) -> double {
    if (v.tag == Tag::Big) {
      mpz_t z;
      mpz_init(z);
      int_to_mpz(v, z);
      bool positive = mpz_sgn(z) > 0;
      if (!positive) {
        raise(c, ExcKind::ValueError, "math domain error");
        return 0.0;
      }
      if (mpz_sizeinbase(z, 2) <= 1024) { // fits a double: convert (correctly rounded), as CPython
        double d = int_to_double(c, v);
        if (!c->exc)
          return f(d);
        c->exc = nullptr;
      }
      long e = 0;
      double m = frexp_big(z, &e);
      return f(m) + f(2.0) * double(e); // CPython's loghelper: log(m * 2**e)
    }
    double d = dyn_to_float(c, v);
    if (c->exc)
      return 0.0;
    return math_log(c, d, f);
  };
  double num = one(x);
  if (c->exc || base.tag == Tag::None)
    return num;
  double den = one(base); // only math.log takes a base: which is 0, both are natural logarithms
  if (c->exc)
    return 0.0;
  if (den == 0.0) {
    raise(c, ExcKind::ZeroDivisionError, "float division by zero");
    return 0.0;
  }
  return num / den;
}

int64_t shoal_rt_range_arg(Ctx* c, Val v) {
  if (v.tag == Tag::Big) {
    shoal_rt_deopt(c); // outside int64: the arbitrary-precision re-run iterates with boxed ints
    return 0;
  }
  return dyn_as_index(c, v);
}

Val shoal_rt_round_any(Ctx* c, Val x, Val ndigits) {
  bool is_int = x.tag == Tag::Int || x.tag == Tag::Big || x.tag == Tag::Bool;
  if (x.tag != Tag::Float && !is_int) {
    raise(c, ExcKind::TypeError, std::string("type ") + type_name(x) + " doesn't define __round__ method");
    return none();
  }
  if (ndigits.tag == Tag::None)
    return is_int ? (x.tag == Tag::Bool ? box_int(int64_t(x.bits)) : x) : float_round(c, unbox_float(x));
  int64_t n = dyn_as_index(c, ndigits);
  if (c->exc)
    return none();
  if (is_int)
    return int_round_n(c, x.tag == Tag::Bool ? box_int(int64_t(x.bits)) : x, n);
  return box_float(float_round_n(unbox_float(x), n));
}

} // extern "C"

namespace shoal::rt {

std::vector<std::pair<const char*, void*>> runtime_symbols() {
#define SHOAL_SYM(name) {#name, reinterpret_cast<void*>(&name)}
  std::vector<std::pair<const char*, void*>> syms = {
      SHOAL_SYM(shoal_rt_raise),        SHOAL_SYM(shoal_rt_raise_exc),    SHOAL_SYM(shoal_rt_exc_new),
      SHOAL_SYM(shoal_rt_reraise),      SHOAL_SYM(shoal_rt_exc_matches),  SHOAL_SYM(shoal_rt_tb_push),
      SHOAL_SYM(shoal_rt_deopt),        SHOAL_SYM(shoal_rt_recursion),    SHOAL_SYM(shoal_rt_unbound),
      SHOAL_SYM(shoal_rt_name_error),   SHOAL_SYM(shoal_rt_binop),        SHOAL_SYM(shoal_rt_compare),
      SHOAL_SYM(shoal_rt_truthy),       SHOAL_SYM(shoal_rt_unary),        SHOAL_SYM(shoal_rt_contains),
      SHOAL_SYM(shoal_rt_len),          SHOAL_SYM(shoal_rt_index),        SHOAL_SYM(shoal_rt_to_int),
      SHOAL_SYM(shoal_rt_to_float),     SHOAL_SYM(shoal_rt_to_str),       SHOAL_SYM(shoal_rt_repr),
      SHOAL_SYM(shoal_rt_as_index),     SHOAL_SYM(shoal_rt_tuple_new),    SHOAL_SYM(shoal_rt_unpack),
      SHOAL_SYM(shoal_rt_print),        SHOAL_SYM(shoal_rt_float_binop),  SHOAL_SYM(shoal_rt_float_to_int),
      SHOAL_SYM(shoal_rt_int_pow),      SHOAL_SYM(shoal_rt_int_truediv),  SHOAL_SYM(shoal_rt_int_float_cmp),
      SHOAL_SYM(shoal_rt_round),        SHOAL_SYM(shoal_rt_round_n),      SHOAL_SYM(shoal_rt_int_round_n),
      SHOAL_SYM(shoal_rt_math1),        SHOAL_SYM(shoal_rt_math2),        SHOAL_SYM(shoal_rt_mathv),
      SHOAL_SYM(shoal_rt_divmod),       SHOAL_SYM(shoal_rt_exc_str),      SHOAL_SYM(shoal_rt_alloc),
      SHOAL_SYM(shoal_rt_big),          SHOAL_SYM(shoal_rt_abs),          SHOAL_SYM(shoal_rt_round_any),
      SHOAL_SYM(shoal_rt_not_callable), SHOAL_SYM(shoal_rt_arity_error),  SHOAL_SYM(shoal_rt_range_arg),
      SHOAL_SYM(__divti3),              SHOAL_SYM(__udivti3),             SHOAL_SYM(__modti3),
      SHOAL_SYM(__umodti3),             SHOAL_SYM(shoal_rt_math_log),     SHOAL_SYM(shoal_rt_par),
      SHOAL_SYM(shoal_rt_fork),
  };
  for (auto& s : object_symbols())
    syms.push_back(s);
  return syms;
#undef SHOAL_SYM
}

} // namespace shoal::rt
