"""The math module, via `import math` and `from math import ...`."""

import math
from math import sqrt, floor, ceil, pi, inf, gcd, isqrt

from .harness import check_case, given


def test_case(case, cluster):
    check_case(case, cluster)


@given(2.0)
def case_math_sqrt(x):
    return (math.sqrt(x), math.sqrt(16), math.sqrt(0.25), math.sqrt(-0.0))


@given(2)
def case_from_math_import_sqrt(x):
    return sqrt(x) * sqrt(x)


@given(-1)
def case_math_sqrt_domain_error(x):
    return math.sqrt(x)


@given(10 ** 400)
def case_math_sqrt_int_too_large(x):
    return math.sqrt(x)


@given(2 ** 1000)
def case_math_sqrt_bigint(x):
    return math.sqrt(x)


@given(2.5)
def case_math_floor_ceil_return_int(x):
    return (math.floor(x), math.ceil(x), math.floor(-x), math.ceil(-x), floor(-0.5), ceil(-0.5))


@given(7)
def case_math_floor_ceil_of_int(n):
    return (math.floor(n), math.ceil(n), floor(2 ** 100), ceil(-(2 ** 100)))


@given(1e20)
def case_math_floor_large_float_is_bigint(x):
    return (math.floor(x), math.ceil(-x), math.trunc(x * 3))


@given(float('inf'))
def case_math_floor_infinity(x):
    return math.floor(x)


@given(float('nan'))
def case_math_ceil_nan(x):
    return math.ceil(x)


@given(1.0)
def case_math_exp(x):
    return (math.exp(x), math.exp(0), math.exp(-x), math.exp(x) == math.e, math.exp(-1000))


@given(1000)
def case_math_exp_overflow(x):
    return math.exp(x)


@given(10.0)
def case_math_log_one_arg(x):
    return (math.log(x), math.log(1), math.log(math.e), math.log(0.5))


@given(8, 2)
def case_math_log_two_args(x, base):
    return (math.log(x, base), math.log(1000, 10), math.log(100, 10), math.log(2, 8))


@given(2 ** 1000)
def case_math_log_bigint(x):
    return (math.log(x), math.log2(x), math.log10(x), math.log(x, 2))


@given(0)
def case_math_log_zero_domain_error(x):
    return math.log(x)


@given(-1.5)
def case_math_log_negative_domain_error(x):
    return math.log10(x)


@given(8, 1)
def case_math_log_base_one(x, base):
    return math.log(x, base)


@given(1024)
def case_math_log2_log10(x):
    return (math.log2(x), math.log10(1000), math.log2(0.125), math.log10(2), math.log2(3))


@given(0.5)
def case_math_trig(x):
    return (math.sin(x), math.cos(x), math.tan(x), math.atan(x))


def case_math_trig_at_pi():
    return (math.sin(math.pi), math.cos(math.pi), math.tan(math.pi / 4), math.sin(pi / 6), math.cos(0))


@given(1.0, -1.0)
def case_math_atan2_quadrants(y, x):
    return (math.atan2(y, x), math.atan2(-y, x), math.atan2(y, -x), math.atan2(-y, -x), math.atan2(0.0, -0.0), math.atan2(-0.0, -0.0))


@given(float('inf'))
def case_math_atan_of_infinity(x):
    return (math.atan(x), math.atan(-x), math.atan2(x, x))


@given(3, 4)
def case_math_hypot(a, b):
    return (math.hypot(a, b), math.hypot(-a, b), math.hypot(1e200, 1e200), math.hypot(0, 0))


@given(-3)
def case_math_fabs(x):
    return (math.fabs(x), math.fabs(-0.0), math.fabs(2 ** 60), math.fabs(-1.5))


@given(2, 10)
def case_math_pow_returns_float(b, e):
    return (math.pow(b, e), math.pow(b, -e), math.pow(2.0, 0.5), math.pow(0, 0), math.pow(-1, inf))


@given(0, -1)
def case_math_pow_zero_negative_domain_error(b, e):
    return math.pow(b, e)


@given(-8, 0.5)
def case_math_pow_negative_fractional_domain_error(b, e):
    return math.pow(b, e)


def case_math_constants():
    return (math.pi, math.e, math.inf, -math.inf, pi, inf, math.pi == pi)


@given(float('nan'), float('inf'), 1.0)
def case_math_isnan_isinf_isfinite(n, i, f):
    return (math.isnan(n), math.isnan(f), math.isinf(i), math.isinf(-i), math.isinf(n),
            math.isfinite(f), math.isfinite(i), math.isfinite(n), math.isfinite(3))


@given(-12, 18)
def case_math_gcd(a, b):
    return (math.gcd(a, b), math.gcd(0, 0), math.gcd(0, a), gcd(b, a), gcd(17, 5))


@given(2 ** 100, 6 ** 40)
def case_math_gcd_bigints(a, b):
    return (math.gcd(a, b), math.gcd(-a, b), math.gcd(a, 12))


@given(30)
def case_math_factorial(n):
    return (math.factorial(n), math.factorial(0), math.factorial(1), math.factorial(20))


@given(-1)
def case_math_factorial_negative(n):
    return math.factorial(n)


@given(-2.7)
def case_math_trunc(x):
    return (math.trunc(x), math.trunc(-x), math.trunc(5), math.trunc(-0.2))


@given(float('inf'))
def case_math_trunc_infinity(x):
    return math.trunc(x)


@given(1, -0.0)
def case_math_copysign(x, z):
    return (math.copysign(x, z), math.copysign(x, 0.0), math.copysign(-3, 2), math.copysign(inf, -1))


@given(10 ** 40 + 5)
def case_math_isqrt(n):
    return (math.isqrt(n), isqrt(99), isqrt(100), isqrt(0), math.isqrt(2 ** 63))


@given(-1)
def case_math_isqrt_negative(n):
    return math.isqrt(n)


@given(-7, 3)
def case_math_fmod(a, b):
    return (math.fmod(a, b), math.fmod(-a, b), math.fmod(a, -b), math.fmod(7.5, 2), a % b)


@given(1, 0)
def case_math_fmod_zero_domain_error(a, b):
    return math.fmod(a, b)


@given(2)
def case_math_sqrt_newton_agreement(n):
    x = float(n)
    for _ in range(6):
        x = (x + n / x) / 2
    return (x, math.sqrt(n), x == math.sqrt(n))


@given(2 ** 52 + 0.5)
def case_math_floor_ceil_near_precision_limit(x):
    return (math.floor(x), math.ceil(x), round(x), int(x))


@given(100)
def case_math_in_genexpr(n):
    return (sum(math.floor(math.sqrt(i)) for i in range(n)), max(math.gcd(i, 36) for i in range(1, n)))


@given(0.0)
def case_math_functions_at_zero(z):
    return (math.sin(z), math.sin(-z), math.tan(-z), math.atan(-z), math.sqrt(z), math.exp(z), math.fabs(-z))


@given(float('nan'))
def case_math_nan_propagation(n):
    return (math.sqrt(n), math.exp(n), math.sin(n), math.fabs(n), math.hypot(n, 1), math.hypot(n, inf))


@given(float('inf'))
def case_math_sin_infinity_domain_error(x):
    return math.sin(x)


@given(-0.5)
def case_math_ceil_negative_to_zero_int(x):
    return (math.ceil(x), math.floor(-0.0), math.trunc(x))


@given(2 ** 900 + 12345, 10 ** 400 + 7)
def case_logarithms_of_big_ints(a, b):
    # below 2**1024 the int converts to a float; beyond, CPython works from its mantissa and exponent
    return math.log(a), math.log2(a), math.log10(a), math.log(b), math.log10(b), math.log(b, 7), math.log2(b)


@given(-(10 ** 400))
def case_logarithm_of_negative_big_int(a):
    return math.log(a)
