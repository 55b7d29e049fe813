"""/, //, % and divmod: sign rules, special values and every ZeroDivisionError message."""

from .harness import check_case, given


def test_case(case, cluster):
    check_case(case, cluster)


@given(1, 0)
def case_zerodiv_int_true_division(a, b):
    return a / b


@given(1, 0)
def case_zerodiv_int_floor_division(a, b):
    return a // b


@given(1, 0)
def case_zerodiv_int_modulo(a, b):
    return a % b


@given(1.0, 0.0)
def case_zerodiv_float_true_division(a, b):
    return a / b


@given(1.0, 0.0)
def case_zerodiv_float_floor_division(a, b):
    return a // b


@given(1.0, 0.0)
def case_zerodiv_float_modulo(a, b):
    return a % b


@given(5, -0.0)
def case_zerodiv_int_mod_negative_zero_float(a, b):
    return a % b


@given(0, -1)
def case_zerodiv_int_zero_negative_power(a, b):
    return a ** b


@given(0.0, -2)
def case_zerodiv_float_zero_negative_power(a, b):
    return a ** b


@given(1, 0)
def case_zerodiv_divmod_int(a, b):
    return divmod(a, b)


@given(1.0, 0)
def case_zerodiv_divmod_float(a, b):
    return divmod(a, b)


@given(2 ** 100, 0)
def case_zerodiv_bigint_floordiv(a, b):
    return a // b


@given(2 ** 100, 0)
def case_zerodiv_bigint_modulo(a, b):
    return a % b


@given(2 ** 100, 0)
def case_zerodiv_bigint_true_division(a, b):
    return a / b


@given(7)
def case_zerodiv_augmented_floordiv(x):
    x //= 0
    return x


@given(7.5)
def case_zerodiv_augmented_true_div(x):
    x /= 0
    return x


@given(7.0, 2.0)
def case_float_floordiv_signs(a, b):
    return (a // b, -a // b, a // -b, -a // -b)


@given(7.5, 2.0)
def case_float_mod_signs(a, b):
    return (a % b, -a % b, a % -b, -a % -b)


def case_float_mod_signed_zero_results():
    return (-0.0 % 1.0, 0.0 % -1.0, 4.0 % 2.0, -4.0 % 2.0, 4.0 % -2.0, -0.0 // 1.0, 0.0 // -1.0)


def case_float_floordiv_mod_infinity_divisor():
    inf = float('inf')
    return (5.0 // inf, -5.0 // inf, 5.0 % inf, -5.0 % inf, 5.0 % -inf, -5.0 // -inf)


def case_float_floordiv_mod_infinite_dividend():
    inf = float('inf')
    return (inf // 1.0, inf % 1.0, -inf // 3, inf / 2)


@given(7, 2.0)
def case_mixed_int_float_floordiv(a, b):
    return (a // b, a % b, -a // b, -a % b, divmod(a, b))


@given(-7.5, 2)
def case_divmod_float_negative(a, b):
    return (divmod(a, b), divmod(-a, b), divmod(a, -b))


@given(-7, 2)
def case_divmod_int_signs(a, b):
    return (divmod(a, b), divmod(-a, b), divmod(a, -b), divmod(-a, -b))


@given(1, 3)
def case_true_division_results(a, b):
    return (a / b, 2 / b, -a / b, 10 / 4, 9 / 3)


@given(0.1, 3)
def case_float_mod_inexact(a, b):
    return (1.0 % a, 3.3 % 1.1, b % a, -b % a, 1e300 % 7.0)


@given(1e-320, 3.0)
def case_float_floordiv_tiny(a, b):
    return (a // b, -a // b, a % b, -a % b)


@given(-1, 10)
def case_int_floordiv_rounds_toward_negative_infinity(a, b):
    return (a // b, a % b, 1 // -b, 1 % -b, -9 // 10, 9 // -10)


@given(17)
def case_division_loop_digits(n):
    # long division of 1/n, 20 digits, exercising // and %
    r = 1
    digits = 0
    for _ in range(20):
        r *= 10
        digits = digits * 10 + r // n
        r %= n
    return (digits, r)


@given(12, 5)
def case_divmod_identity(a, b):
    q, r = divmod(a, b)
    q2, r2 = divmod(-a, b)
    return (q * b + r == a, q2 * b + r2 == -a, q, r, q2, r2)


@given(6.0, 3)
def case_float_exact_divisions(a, b):
    return (a / b, a // b, a % b, 1.0 / 4, 3 / 8.0)


@given(0, 5)
def case_zero_dividend(z, d):
    return (z / d, z // d, z % d, z / -d, -0.0 / d, 0.0 / -d)


@given(2 ** 63, 3)
def case_int64_boundary_division(a, b):
    return (a // b, a % b, (a - 1) // b, -a // b, -a % b, (-a) // -1)
