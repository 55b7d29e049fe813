"""abs, min, max, int, float, bool, round, divmod, pow, str, len, isinstance."""

from .harness import check_case, given


def test_case(case, cluster):
    check_case(case, cluster)


@given(-5, -2.5)
def case_abs_types(i, f):
    return (abs(i), abs(f), abs(-0.0), abs(True), abs(False), abs(-(2 ** 70)))


@given(float('-inf'), float('nan'))
def case_abs_special_floats(i, n):
    return (abs(i), abs(n))


@given(3, 1, 2)
def case_min_max_ints(a, b, c):
    return (min(a, b), max(a, b), min(a, b, c), max(c, b, a))


@given(1, 2.0)
def case_max_mixed_returns_winner_type(i, f):
    return (max(i, f), min(i, f), max(f, i), min(f, i))


@given(1, 1.0)
def case_max_min_equal_values_first_wins(i, f):
    return (max(i, f), max(f, i), min(i, f), min(f, i))


@given(float('nan'), 1.0)
def case_max_min_with_nan_order_dependent(n, one):
    return (max(n, one), max(one, n), min(n, one), min(one, n))


@given((1, 2), (1, 3))
def case_max_min_tuples(a, b):
    return (max(a, b), min(a, b))


@given(3.99)
def case_int_of_float(x):
    return (int(x), int(-x), int(0.5), int(-0.5), int(1e20))


@given('123')
def case_int_of_str(s):
    return (int(s), int('-17'), int('  42  '), int('+7'), int('1_000'))


@given('abc')
def case_int_of_invalid_str(s):
    return int(s)


@given('1.5')
def case_int_of_float_str_invalid(s):
    return int(s)


@given(float('inf'))
def case_int_of_infinity(x):
    return int(x)


@given(float('nan'))
def case_int_of_nan(x):
    return int(x)


@given(True)
def case_int_of_bool_and_int(t):
    return (int(t), int(False), int(7), int(-(2 ** 80)))


@given(3)
def case_float_conversions(n):
    return (float(n), float(-n), float(2 ** 100), float(True), float(2.5), float('1.5'), float('-0.0'))


def case_float_of_special_strings():
    return (float('inf'), float('-inf'), float('nan'), float('1e500'), float('  2.5  '), float('1e-400'))


@given('abc')
def case_float_of_invalid_str(s):
    return float(s)


@given(10 ** 400)
def case_float_of_huge_int(n):
    return float(n)


@given(0, 3)
def case_bool_builtin(z, n):
    return (bool(z), bool(n), bool(0.0), bool('x'), bool(''), bool(None), bool((z,)), bool(()))


def case_round_half_even_to_int():
    return (round(0.5), round(1.5), round(2.5), round(3.5), round(-0.5), round(-1.5), round(-2.5))


@given(2.675, 2)
def case_round_two_args_float(x, nd):
    return (round(x, nd), round(0.125, 2), round(1.005, 2), round(-2.675, nd), round(0.5, 0), round(1.5, 0))


@given(123.456)
def case_round_negative_ndigits_float(x):
    return (round(x, -1), round(x, -2), round(x, -3), round(-x, -1), round(x, 1))


@given(15, 25)
def case_round_int_ndigits(a, b):
    return (round(a, -1), round(b, -1), round(-a, -1), round(a), round(b, 2), round(-123, -2))


@given(1e300)
def case_round_large_float_to_bigint(x):
    return round(x)


@given(float('inf'))
def case_round_infinity(x):
    return round(x)


@given(float('nan'))
def case_round_nan(x):
    return round(x)


@given(float('nan'))
def case_round_nan_with_ndigits_stays_float(x):
    return (round(x, 2), round(float('inf'), 3), round(-0.0, 1), round(-0.4))


@given(7, 2)
def case_divmod_builtin(a, b):
    return (divmod(a, b), divmod(-a, b), divmod(a, -b), divmod(a, 2.0), divmod(2 ** 70, a))


@given(2, 10)
def case_pow_builtin_two_args(b, e):
    return (pow(b, e), pow(b, -1), pow(b, 0.5), pow(-b, 3), pow(b, 100), pow(2.0, e))


@given(0, -1)
def case_pow_builtin_zero_negative(b, e):
    return pow(b, e)


@given(-42, 2.5)
def case_str_of_numbers(i, f):
    return (str(i), str(f), str(1e100), str(2 ** 64), str(-0.0), str(1 / 3))


@given(True, False)
def case_str_of_bools(t, f):
    return (str(t), str(f))


@given('hello')
def case_len_of_str(s):
    return (len(s), len(''), len('a' + 'bc'), len('hello' + ' world'))


@given((1, 2, 3))
def case_len_of_tuple(t):
    return (len(t), len(()), len(((), ())))


@given(1, 1.0, True, 's', (1,))
def case_isinstance_simple(i, f, b, s, t):
    return (isinstance(i, int), isinstance(f, float), isinstance(b, bool), isinstance(b, int),
            isinstance(s, str), isinstance(t, tuple), isinstance(i, float), isinstance(f, int),
            isinstance(s, tuple), isinstance(t, str))


@given(None, 2 ** 100)
def case_isinstance_none_and_bigint(n, big):
    return (isinstance(n, int), isinstance(n, tuple), isinstance(big, int), isinstance(big, float))


@given(5)
def case_isinstance_dispatch(x):
    def kind(v):
        if isinstance(v, bool):
            return 'bool'
        if isinstance(v, int):
            return 'int'
        if isinstance(v, float):
            return 'float'
        if isinstance(v, str):
            return 'str'
        if isinstance(v, tuple):
            return 'tuple'
        return 'other'

    return (kind(x), kind(x > 1), kind(x / 2), kind('s'), kind((x,)), kind(None))


@given(3)
def case_str_literal_concatenation(n):
    s = 'abc' + 'def'
    t = 'x' + '' + 'y'
    return (s, t, len(s) + n)


@given(-7, 2)
def case_builtins_composed(a, b):
    return (abs(divmod(a, b)[0]), max(abs(a), pow(b, 3)), round(abs(a) / b), int(float(a) / b), min(pow(b, -1), abs(a)))


@given(-2.5)
def case_round_with_ndigits_none_returns_an_int(x):
    return round(x, None), round(3.5, None)


@given(1.0)
def case_range_evaluates_every_argument_before_checking_types(x):
    total = 0
    for i in range(x, 0, 0 >> x):
        total += i
    return total
