"""==, !=, <, <=, >, >= across int/float/bool/bigint, chained comparisons, nan, inf."""

from .harness import check_case, given


def test_case(case, cluster):
    check_case(case, cluster)


def noisy(tag, x):
    print(tag)
    return x


@given(3, 5)
def case_compare_ints(a, b):
    return (a < b, a <= b, a > b, a >= b, a == b, a != b)


@given(3, 3.0)
def case_compare_int_float_equal(a, b):
    return (a == b, a != b, a < b, a <= b, a >= b)


@given(2 ** 53 + 1, 2.0 ** 53)
def case_compare_int_float_exact_above_2_53(n, f):
    return (n == f, n > f, n - 1 == f, n >= f, f < n)


@given(10 ** 400, 1e308, float('inf'))
def case_compare_huge_int_with_floats(n, f, inf):
    return (n > f, n < inf, -n > -inf, -n < -f, n == inf)


@given(float('nan'), 1)
def case_compare_nan_with_int(n, i):
    return (n < i, n > i, n == i, n != i, i == n, i != n)


@given(-0.0, 0.0, 0)
def case_compare_signed_zeros(nz, pz, z):
    return (nz == pz, nz < pz, nz == z, z == nz, nz >= z)


@given(1, 2, 3)
def case_chained_comparison_true(a, b, c):
    return (a < b < c, a < b <= c, a <= a < b, c > b > a)


@given(1, 3, 2)
def case_chained_comparison_false(a, b, c):
    return (a < b < c, a < c < b, b > c > a, a == b == c)


def case_chained_comparison_mixed_types():
    return (1 == 1.0 == True, 0 < 0.5 < 1, 1 < 2.0 < 3 < 4.5, 0 == 0.0 == -0.0 == False)


def case_chained_comparison_evaluates_middle_once():
    return 1 < noisy('middle', 2) < 3


def case_chained_comparison_short_circuits():
    return 3 < noisy('a', 2) < noisy('b', 5)


@given(5)
def case_chained_range_check(x):
    return (0 <= x < 10, 0 <= x < 5, -1 < x <= 5, 10 > x > 5)


@given(True, False)
def case_compare_bools(t, f):
    return (t > f, t == 1, f == 0, t < 2, t == 1.0, f < t <= 1)


@given(2 ** 100)
def case_compare_bigint_with_small(big):
    return (big > 1, -big < -1, big == big + 0, big != big - 1, 2 ** 64 > 2 ** 63, big >= 2 ** 100)


@given(float('inf'), float('-inf'))
def case_compare_infinities(p, n):
    return (p == p, n < p, p > 1e308, n < -1e308, p == -n, p >= p)


@given(0.1 + 0.2, 0.3)
def case_compare_inexact_floats(a, b):
    return (a == b, a > b, a - b < 1e-15)


@given(7, 7.5)
def case_compare_result_used_in_arithmetic(a, b):
    return (a < b) + (a > b) * 10 + (a == 7) * 100


@given(4)
def case_compare_in_conditional(x):
    if x < 3:
        return 'small'
    elif 3 <= x < 6:
        return 'medium'
    return 'large'


@given(1, 2)
def case_not_comparisons(a, b):
    return (not a < b, not a == b, not (a < b < 3))


@given(-1, 2 ** 63)
def case_compare_negative_with_large_positive(a, b):
    return (a < b, a * b < 0, -b < a, -b == -(2 ** 63))


@given(3, 3.5)
def case_compare_chain_of_five(a, b):
    return a <= 3 < b < 4 <= 4.0


@given(2 ** 64, 1.8446744073709552e19)
def case_compare_int_float_equal_at_2_64(n, f):
    return (n == f, n + 1 == f, n - 1 < f, n + 1 > f)
