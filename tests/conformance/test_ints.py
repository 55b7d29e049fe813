"""Small-int (int64 fast path) arithmetic with exact CPython semantics."""

from .harness import check_case, given


def test_case(case, cluster):
    check_case(case, cluster)


@given(3, 4)
def case_int_add(a, b):
    return a + b


@given(3, 10)
def case_int_sub_negative_result(a, b):
    return a - b


@given(-7, 6)
def case_int_mul(a, b):
    return a * b


@given(12)
def case_int_unary_ops(x):
    return (-x, +x, ~x, -(-x), ~~x)


@given(3, 4)
def case_int_pow(a, b):
    return a ** b


def case_int_pow_zero_zero():
    return 0 ** 0


@given(2, -2)
def case_int_pow_negative_exponent_is_float(a, b):
    return a ** b


@given(-3)
def case_int_pow_negative_base(x):
    return (x ** 3, x ** 2, x ** 0)


def case_int_pow_precedence():
    return (-2 ** 2, 2 ** 3 ** 2, (-2) ** 2, 2 ** -1)


@given(7, 2)
def case_int_floor_div_signs(a, b):
    return (a // b, -a // b, a // -b, -a // -b)


@given(7, 2)
def case_int_mod_signs(a, b):
    return (a % b, -a % b, a % -b, -a % -b)


@given(7, 2)
def case_int_true_div_is_float(a, b):
    return (a / b, 6 / 3, -a / b, 0 / b)


@given(7)
def case_int_true_div_self_is_float_one(x):
    return x / x


@given(10)
def case_int_augmented_assignments(x):
    x += 5
    x -= 3
    x *= 4
    x //= 5
    x %= 7
    x **= 3
    x <<= 2
    x >>= 1
    x &= 0xFF
    x |= 0x100
    x ^= 0x0F
    return x


@given(10)
def case_int_div_assign_rebinds_to_float(x):
    x /= 4
    return x


@given(-17)
def case_int_abs(x):
    return (abs(x), abs(-x), abs(0))


@given(9223372036854775807)
def case_int64_max_roundtrip(x):
    return x + 0


@given(-9223372036854775807 - 1)
def case_int64_min_roundtrip(x):
    return x * 1


@given(1, 0.5)
def case_int_plus_float_is_float(a, b):
    return (a + b, a - b, a * b, 2 * 3.0)


def case_int_literal_forms():
    return (0xFF, 0o17, 0b1011, 1_000_000, 0xdead_beef)


@given(-42)
def case_int_str(x):
    return (str(x), str(0), str(-x))


@given(-5)
def case_int_floordiv_by_minus_one(x):
    return (x // -1, x % -1, x * -1)


@given(7, 2.5)
def case_int_mod_float(a, b):
    return (a % b, -a % b, a // b, -a // b)


@given(100)
def case_int_sum_loop(n):
    total = 0
    i = 1
    while i <= n:
        total += i * i
        i += 1
    return total


@given(5, 3)
def case_int_expression_mix(a, b):
    return (a * b + a // b - a % b) * (a - b) ** 2 - (-a) // b


@given(True, 3)
def case_int_with_bool_operand(t, n):
    return (t + n, n * t, n - t, t * t, t + t)


@given(0)
def case_int_zero_ops(z):
    return (z * 5, z + 0, -z, z ** 5, 5 ** z, z // 3, z % 3)


@given(123456789, 987654321)
def case_int_large_product_fits_int64(a, b):
    return a * b


@given(1000003)
def case_int_modular_pow_by_loop(m):
    result = 1
    base = 7
    e = 1000
    while e > 0:
        if e & 1:
            result = result * base % m
        base = base * base % m
        e >>= 1
    return result
