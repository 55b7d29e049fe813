"""Arbitrary-precision ints: overflow out of the int64 fast path and back."""

from .harness import check_case, given


def test_case(case, cluster):
    check_case(case, cluster)


@given(3037000500, 3037000500)
def case_bigint_mul_overflow(a, b):
    return a * b


@given(9223372036854775807)
def case_bigint_add_overflow(x):
    return x + 1


@given(-9223372036854775807 - 1)
def case_bigint_sub_overflow(x):
    return x - 1


@given(-9223372036854775807 - 1)
def case_bigint_negate_int64_min(x):
    return -x


@given(-9223372036854775807 - 1)
def case_bigint_abs_int64_min(x):
    return abs(x)


@given(-9223372036854775807 - 1)
def case_bigint_floordiv_int64_min_by_minus_one(x):
    return x // -1


@given(-9223372036854775807 - 1)
def case_bigint_mod_int64_min_by_minus_one(x):
    return (x % -1, divmod(x, -1))


def case_bigint_pow_2_100():
    return 2 ** 100


@given(2, 64)
def case_bigint_pow_2_64_args(b, e):
    return (b ** e, b ** (e - 1), b ** e - 1)


@given(100)
def case_bigint_repeated_mul(n):
    x = 1
    for _ in range(n):
        x *= 3
    return x


@given(30)
def case_bigint_factorial_30_iterative(n):
    r = 1
    for i in range(2, n + 1):
        r *= i
    return r


@given(100)
def case_bigint_fib_100_iterative(n):
    a, b = 0, 1
    for _ in range(n):
        a, b = b, a + b
    return a


def case_bigint_negative():
    x = -(2 ** 100) + 1
    return (x, -x, x * x, x - 2 ** 100)


@given(10 ** 30 + 7, 12345678901)
def case_bigint_floordiv_sign_rules(n, d):
    return (n // d, -n // d, n // -d, -n // -d)


@given(10 ** 30 + 7, 12345678901)
def case_bigint_mod_sign_rules(n, d):
    return (n % d, -n % d, n % -d, -n % -d)


@given(10 ** 30 + 7, -(10 ** 15 + 3))
def case_bigint_mod_big_divisor(n, d):
    return (n % d, n // d, -n % d, -n // d)


@given(-(10 ** 25), 7)
def case_bigint_divmod_negative(n, d):
    return (divmod(n, d), divmod(n, -d), divmod(-n, d))


@given(2 ** 100)
def case_bigint_mixed_with_small(big):
    return (big + 1, big - 1, big * -3, big // 7, big % 7, 5 - big, 3 * big)


@given(2 ** 100)
def case_bigint_back_to_small(big):
    a = big // 2 ** 98
    b = big - (big - 5)
    c = (big * big) // (big * big)
    return (a, b, c, a + b + c)


@given(2 ** 100, -(2 ** 100))
def case_bigint_comparisons(p, n):
    return (p > n, p > 2 ** 99, n < 5, n < -5, p == 2 ** 100, p != p + 1, 2 ** 64 == 2 ** 64)


@given(2 ** 200, -(3 ** 90))
def case_bigint_args_sum_product(a, b):
    return (a + b, a * b, a - b, b * b)


@given(10 ** 30, 10 ** 10)
def case_bigint_true_div(a, b):
    return a / b


@given(269804381688016840, 378)
def case_int_true_div_correctly_rounded(n, d):
    # CPython rounds n/d correctly; float(n)/float(d) would give ...854.0
    return n / d


@given(10508965330920255989, 888599)
def case_bigint_true_div_correctly_rounded(n, d):
    return n / d


@given(10 ** 400, 10 ** 399)
def case_bigint_true_div_huge_operands(a, b):
    return a / b


@given(10 ** 400, 3)
def case_bigint_true_div_overflow(a, b):
    return a / b


@given(1, 10 ** 400)
def case_bigint_true_div_underflow_to_zero(a, b):
    return (a / b, -a / b)


def case_bigint_shift_left():
    return (1 << 63, 1 << 64, 1 << 100, -1 << 70, 3 << 1000 >> 999)


@given(-(2 ** 100))
def case_bigint_shift_right_negative(x):
    return (x >> 3, (x - 1) >> 1, x >> 200, (-x) >> 200)


@given(2 ** 100)
def case_bigint_to_float(x):
    return (float(x), float(-x), x * 1.5, x + 0.5)


@given(10 ** 400)
def case_bigint_to_float_overflow(x):
    return float(x)


@given(10 ** 400)
def case_bigint_times_float_overflow(x):
    return x * 1.0


@given(2 ** 53 + 1)
def case_bigint_float_exact_compare(x):
    return (x == 2.0 ** 53, x > 2.0 ** 53, x - 1 == 2.0 ** 53, 10 ** 400 > 1e308, -(10 ** 400) < -1e308)


@given(2 ** 100)
def case_bigint_str(x):
    return (str(x), str(-x), len(str(x)))


def case_bigint_print():
    print(-(2 ** 70))
    print(2 ** 64, 2 ** 63 - 1)
    print((2 ** 65, -1))


@given(2 ** 64)
def case_bigint_range_loop(start):
    s = 0
    for i in range(start, start + 3):
        s += i
    return s


@given(2 ** 100)
def case_bigint_negative_exponent(x):
    return (x ** -1, 2 ** -100, (-x) ** -1)


@given(2 ** 100)
def case_bigint_floordiv_mod_float(x):
    return (x // 3.0, x % 3.0, -x // 7.0)


@given(2 ** 100)
def case_bigint_isinstance_bool(x):
    return (isinstance(x, int), bool(x), not (x - x), bool(-x))


@given(2 ** 100, 5, -(2 ** 100))
def case_bigint_max_min(a, b, c):
    return (max(a, b, c), min(a, b, c), max(b, 2 ** 64), min(-(2 ** 64), b))


@given(100)
def case_bigint_sum_genexpr_overflow(n):
    return sum(i ** 10 for i in range(n))


@given(7, 77)
def case_bigint_pow_builtin(b, e):
    return (pow(b, e), pow(-b, e), pow(b, -2))


@given(123456789012345678901234567895, 123456789012345678901234567885)
def case_bigint_round_negative_ndigits(a, b):
    return (round(a, -1), round(b, -1), round(-a, -1), round(a, 5))


def case_bigint_int_of_big_float():
    return (int(1e20), int(-1e20), int(1e300) % 1000)


@given(2 ** 100 - 1, 2 ** 70 + 5)
def case_bigint_aug_assign(a, b):
    a += b
    a *= 3
    a //= 7
    a %= 10 ** 25
    a -= b
    a **= 2
    return a


@given(10 ** 18)
def case_bigint_square_crosses_int64(x):
    return (x * x, x * 9, x * 10, (x * 10) // 10 == x)


@given(-(10 ** 30), 10 ** 30)
def case_bigint_sum_to_zero(a, b):
    z = a + b
    return (z, z == 0, isinstance(z, int), z + 1)


@given(True, 2 ** 70)
def case_divmod_of_bools_after_big_ints(flag, big):
    # the big int moves the call to arbitrary-precision ints: bools must still divide as ints
    return divmod(flag, True), big + flag


@given(9223372036854775807)
def case_overflow_inside_try_with_returning_finally(big):
    # the int64 fast path gives way to big ints; a `return` in finally must not hide that
    msg = ''
    try:
        total = big + 1
        try:
            pass
        finally:
            msg = str(total)
    finally:
        return len(msg)


@given(2)
def case_shift_overflow_inside_try_except_finally(a):
    v = 0
    try:
        w = a << 62
        v -= 1
    except TypeError:
        pass
    finally:
        return v / 1, w
