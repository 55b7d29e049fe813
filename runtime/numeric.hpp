#pragma once
/// Python's numeric semantics over boxed values: ints (int64 fast path, GMP beyond, never
/// wrapping), floats, and the conversions and formatting between them, exactly as CPython 3.11.
/// Errors are raised on the Ctx (rt::raise) and the function returns a dummy value; callers check
/// c->exc. Int arguments may be Tag::Int, Tag::Big or Tag::Bool (bool is an int subclass).

#include "runtime/object.hpp"

#include <string>

namespace shoal::rt {

/// Binary operators, in the order compiled code passes them.
enum class BinOp : int32_t { Add, Sub, Mul, TrueDiv, FloorDiv, Mod, Pow, LShift, RShift, BitAnd, BitOr, BitXor };

// ---- ints -------------------------------------------------------------------------------------
/// Normalises: a result that fits int64 comes back as Tag::Int.
Val int_from_mpz(const mpz_t z);
/// Sets z (already initialised) to the value of an Int/Big/Bool.
void int_to_mpz(Val v, mpz_t z);
/// a op b for ints, CPython semantics and messages ('integer division or modulo by zero',
/// 'integer modulo by zero', 'negative shift count', '0.0 cannot be raised to a negative power').
/// TrueDiv returns a correctly rounded float (OverflowError 'integer division result too large
/// for a float'); Pow with a negative exponent returns a float. Results bigger than
/// c->memory_limit bytes raise MemoryError instead of exhausting memory.
Val int_binop(Ctx* c, BinOp op, Val a, Val b);
Val int_neg(Ctx* c, Val a);
Val int_invert(Ctx* c, Val a);
Val int_abs(Ctx* c, Val a);
/// -1, 0, 1.
int int_cmp(Val a, Val b);
/// Exact comparison of an int with a float, as CPython does it: -1, 0, 1, or 2 when b is NaN.
int int_float_cmp(Val a, double b);
/// float(int): OverflowError 'int too large to convert to float'.
double int_to_double(Ctx* c, Val a);
/// int(float): truncation; OverflowError 'cannot convert float infinity to integer',
/// ValueError 'cannot convert float NaN to integer'.
Val int_from_double(Ctx* c, double d);
/// str(int).
std::string int_to_string(Val a);
/// str(int) with CPython 3.11's limit of 4300 decimal digits: ValueError "Exceeds the limit
/// (4300 digits) for integer string conversion; use sys.set_int_max_str_digits() to increase
/// the limit" beyond it.
std::string int_to_string(Ctx* c, Val a);
/// int(str) with base 10 (whitespace, sign and underscores as CPython allows); ValueError
/// "invalid literal for int() with base 10: 'abc'" (the repr of the original string).
Val int_from_string(Ctx* c, const std::string& s);
/// The wire form of an int: hexadecimal with a sign and "0x" ("-0x1f"). Unlike decimal text it is
/// not bound by CPython's 4300-digit conversion limit, and it converts in linear time.
std::string int_to_hex(Val a);
/// Parses int_to_hex's form; returns none() for text that is not one.
Val int_from_hex(const std::string& text);
/// hash(int), as CPython (modulo 2**61 - 1).
int64_t int_hash(Val a);

// ---- floats -----------------------------------------------------------------------------------
/// a op b for floats (ints already converted), CPython semantics: ZeroDivisionError
/// 'float division by zero' / 'float floor division by zero' / 'float modulo' /
/// '0.0 cannot be raised to a negative power'; OverflowError 'Numerical result out of range'
/// (pow); a negative base with a non-integral exponent gives a complex number in CPython: raise
/// UnsupportedError 'complex numbers are not supported'. Bit ops and shifts raise TypeError
/// "unsupported operand type(s) for <<: 'float' and 'float'".
double float_binop(Ctx* c, BinOp op, double a, double b);
/// repr(float) == str(float): shortest round-tripping digits, CPython's layout ('1e+16',
/// '1.5e-05', '0.1', '100.0', 'inf', '-inf', 'nan', '-0.0').
std::string float_repr(double d);
/// float(str): accepts what CPython accepts ('  1.5 ', '1_000.5', 'inf', '-Infinity', 'nan',
/// '1e5'); ValueError "could not convert string to float: 'abc'".
double float_from_string(Ctx* c, const std::string& s);
/// round(x) -> int, round half to even; OverflowError/ValueError like int_from_double.
Val float_round(Ctx* c, double x);
/// round(x, n) -> float, correctly rounded as CPython does (n may be negative). A result too
/// large for a double comes back as +-inf here; the Ctx overload raises CPython's OverflowError
/// 'rounded value too large to represent' instead (e.g. round(1.7976931348623157e308, -308)).
double float_round_n(double x, int64_t n);
double float_round_n(Ctx* c, double x, int64_t n);
/// round(int, n) -> int (n < 0 rounds to tens, half to even).
Val int_round_n(Ctx* c, Val a, int64_t n);
/// divmod / floor-division / modulo helpers for floats with CPython's sign rules.
double float_floordiv(Ctx* c, double a, double b);
double float_mod(Ctx* c, double a, double b);
/// divmod(a, b) for floats: ZeroDivisionError 'float divmod()'.
void float_divmod(Ctx* c, double a, double b, double* q, double* r);
/// hash(float), as CPython.
int64_t float_hash(double d);

} // namespace shoal::rt
