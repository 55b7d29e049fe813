#pragma once
/// The C ABI between compiled code and the runtime: every function compiled code may call, named
/// shoal_rt_*, and the table the JIT resolves them from. Vals travel in two registers; booleans
/// come back as int32. Signatures stay at six integer registers or fewer.

#include "runtime/object.hpp"

#include <utility>
#include <vector>

namespace shoal::rt {

/// One-argument math functions, in the order compiled code passes them.
enum class Math1 : int32_t { Sqrt, Exp, Log, Log2, Log10, Sin, Cos, Tan, Asin, Acos, Atan, Sinh, Cosh, Tanh,
                             Fabs, Degrees, Radians, Expm1, Log1p, Count };
/// Two-argument float math functions.
enum class Math2 : int32_t { Atan2, Hypot, Pow, Fmod, Copysign, LogBase, Count };
/// Math functions over ints (and floats where CPython allows), returning a Val.
enum class MathV : int32_t { Floor, Ceil, Trunc, Gcd, Factorial, Isqrt, Comb, Perm, Count };

/// Name and address of every runtime entry point, for the JIT's symbol table.
std::vector<std::pair<const char*, void*>> runtime_symbols();
/// The entry points for containers, strings and instances (runtime/abi_objects.cpp).
std::vector<std::pair<const char*, void*>> object_symbols();

} // namespace shoal::rt

extern "C" {
using shoal::rt::Ctx;
using shoal::rt::Exc;
using shoal::rt::Str;
using shoal::rt::Val;
void shoal_rt_raise(Ctx* c, int32_t kind, const char* msg);
void shoal_rt_raise_exc(Ctx* c, Val exc);
Exc* shoal_rt_exc_new(Ctx* c, int32_t kind, int64_t n, const Val* args);
void shoal_rt_reraise(Ctx* c);
int32_t shoal_rt_exc_matches(Exc* e, int32_t kind);
void shoal_rt_tb_push(Ctx* c, const char* file, const char* function, int64_t line);
void shoal_rt_deopt(Ctx* c);
void shoal_rt_recursion(Ctx* c);
void shoal_rt_unbound(Ctx* c, const char* name);
void shoal_rt_name_error(Ctx* c, const char* name);
Val shoal_rt_binop(Ctx* c, int32_t op, Val a, Val b);
int32_t shoal_rt_compare(Ctx* c, int32_t op, Val a, Val b);
int32_t shoal_rt_truthy(Val v);
Val shoal_rt_unary(Ctx* c, int32_t op, Val a);
int32_t shoal_rt_contains(Ctx* c, Val container, Val item);
int64_t shoal_rt_len(Ctx* c, Val v);
Val shoal_rt_index(Ctx* c, Val seq, Val index);
Val shoal_rt_to_int(Ctx* c, Val v);
double shoal_rt_to_float(Ctx* c, Val v);
Str* shoal_rt_to_str(Ctx* c, Val v);
Str* shoal_rt_repr(Ctx* c, Val v);
int64_t shoal_rt_as_index(Ctx* c, Val v);
void* shoal_rt_tuple_new(Ctx* c, int64_t n, const Val* items);
int32_t shoal_rt_unpack(Ctx* c, Val seq, int64_t n, Val* out);
void shoal_rt_print(Ctx* c, int64_t n, const Val* items, Str* sep, Str* end);
double shoal_rt_float_binop(Ctx* c, int32_t op, double a, double b);
Val shoal_rt_float_to_int(Ctx* c, double d);
int64_t shoal_rt_int_pow(Ctx* c, int64_t a, int64_t b);
double shoal_rt_int_truediv(Ctx* c, int64_t a, int64_t b);
int32_t shoal_rt_int_float_cmp(Val a, double b);
Val shoal_rt_round(Ctx* c, double d);
double shoal_rt_round_n(double d, int64_t n);
Val shoal_rt_int_round_n(Ctx* c, Val a, int64_t n);
double shoal_rt_math1(Ctx* c, int32_t fn, double x);
double shoal_rt_math2(Ctx* c, int32_t fn, double x, double y);
Val shoal_rt_mathv(Ctx* c, int32_t fn, Val a, Val b);
Val shoal_rt_divmod(Ctx* c, Val a, Val b);
Str* shoal_rt_exc_str(Exc* e);
void* shoal_rt_alloc(int64_t bytes);
Val shoal_rt_big(Ctx* c, const char* hex);
Val shoal_rt_abs(Ctx* c, Val a);
Val shoal_rt_round_any(Ctx* c, Val x, Val ndigits);
void shoal_rt_not_callable(Ctx* c, Val v);
void shoal_rt_arity_error(Ctx* c, const char* name, int64_t required, int64_t positional, int64_t given);
int64_t shoal_rt_range_arg(Ctx* c, Val v);
double shoal_rt_math_log(Ctx* c, int32_t which, Val x, Val base);
}
