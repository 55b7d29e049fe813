"""IEEE-754 doubles: rounding, signed zeros, inf, nan, repr-exact results."""

import math

from .harness import check_case, given


def test_case(case, cluster):
    check_case(case, cluster)


@given(0.1, 0.2)
def case_float_add_inexact(a, b):
    return a + b


@given(1.5, 0.25)
def case_float_basic_ops(a, b):
    return (a + b, a - b, a * b, a / b, -a, +a)


def case_float_literal_forms():
    return (1e16, 1e-5, 1.5e300, 2.5e-300, 0.000001, 1e22, 123456789.0, 1.0e0)


def case_float_overflow_to_inf():
    x = 1.5e300
    return (x * 1e10, -x * 1e10, 1e308 * 10)


def case_float_inf_arithmetic():
    inf = float('inf')
    return (inf + 1, inf * -2, inf - inf, inf * 0, 1 / inf, -1 / inf)


@given(float('nan'))
def case_float_nan_argument_roundtrip(x):
    return (x, x + 1, x * 0)


@given(float('inf'), float('-inf'))
def case_float_inf_arguments(p, n):
    return (p, n, p + n, p > n, n < -1e308)


@given(-0.0)
def case_float_negative_zero_argument(z):
    return (z, -z, z + 0.0, z - 0.0, z * 1, 0.0 * -1, z * z)


@given(0.0)
def case_float_unary_minus_zero(z):
    return (-z, -(-z), abs(-z))


def case_float_nan_comparisons():
    n = float('nan')
    return (n == n, n != n, n < 1, n > 1, n <= n, n >= n, n == 1.0)


@given(2.0)
def case_float_pow(x):
    return (x ** 0.5, 2 ** 0.5, 10.0 ** -2, (-x) ** 3, x ** 10, 4 ** 0.5)


@given(10.0)
def case_float_pow_overflow(x):
    return x ** 400


@given(3.99)
def case_float_to_int_truncates(x):
    return (int(x), int(-x), int(-0.5), int(0.9999999))


@given(7)
def case_float_from_int_and_bool(n):
    return (float(n), float(True), float(False), float(-n))


def case_float_subnormals():
    tiny = 5e-324
    return (tiny, tiny / 2, tiny * 0.5, tiny * 3, 2.2250738585072014e-308 / 2)


@given(10)
def case_float_repeated_add(n):
    x = 0.0
    for _ in range(n):
        x += 0.1
    return (x, x == 1.0, x < 1.0)


def case_float_int_equality():
    return (1.0 == 1, 0.5 == 1 / 2, 3 == 3.0000000000000001, 2 ** 53 == 2.0 ** 53)


@given(0.0, -0.0)
def case_float_max_min_signed_zero_first_wins(a, b):
    return (max(a, b), max(b, a), min(a, b), min(b, a))


@given(2 ** 53)
def case_float_precision_loss(n):
    return (n + 1.0, float(n + 1), n + 1.0 == n, float(n) + 2)


@given(2 ** 1000)
def case_float_plus_big_int(big):
    return (big + 0.5, big * 0.5, 0.5 * big - big)


@given(1.0)
def case_float_augmented_ops(x):
    x /= 3
    x *= 3
    x += 1e-16
    x -= 0.5
    x **= 2
    x //= 0.1
    x %= 0.7
    return x


def case_float_str():
    return (str(0.1), str(1e22), str(1.0), str(123456789.0), str(1e16), str(-1e-7), str(1e15), str(0.0001))


def case_float_str_special():
    return (str(float('inf')), str(float('-inf')), str(float('nan')), str(-0.0))


@given(1e-300)
def case_float_underflow_to_zero(x):
    return (x * x, -x * x, x / 1e300)


@given(0.1)
def case_float_mul_div_roundtrip(x):
    return (x * 3 / 3, x * 3, x / 3 * 3, 1 - x * 9)


def case_float_math_constants_arithmetic():
    return (math.pi * 2, math.e ** 2, math.inf - 1, -math.inf, math.pi / 0.5)


@given(9007199254740993)
def case_float_int_conversion_rounding(n):
    # float(int) rounds to nearest-even
    return (float(n), float(n + 2), float(-n), float(2 ** 64 + 2 ** 11 + 1))


@given(1e308)
def case_float_sub_inf_minus_inf_nan(x):
    a = x * 10
    return (a - a, a / a, a * 0.0)


@given(3.0, -0.0)
def case_float_mul_by_neg_zero(a, z):
    return (a * z, -a * z, z * z, z / a)
