"""bool and None: truthiness, and/or/not returning operands, implicit None returns."""

from .harness import check_case, given


def test_case(case, cluster):
    check_case(case, cluster)


def nothing():
    pass


def early(x):
    if x > 0:
        return
    return x


def noisy(tag, x):
    print(tag)
    return x


@given(0, 5)
def case_or_returns_operand(a, b):
    return (a or b, b or a, a or 0.0, 0.0 or a)


@given(3, 0.0)
def case_and_returns_operand(a, b):
    return (a and b, b and a, a and 7, a and 'x')


@given('', 'x')
def case_or_with_strings(e, x):
    return (e or x, x or e, e and x, x and e)


@given(None, 0)
def case_none_or(n, z):
    return (n or z, z or n, n and z, n or n)


@given(0, 1, 2)
def case_and_or_combined(a, b, c):
    return (a and b or c, b and c or a, a or b and c, (a or b) and c)


@given(5)
def case_not_returns_bool(x):
    return (not x, not not x, not 0, not 0.0, not '', not None, not ())


def case_truthiness_values():
    return (bool(0), bool(0.0), bool(-0.0), bool(''), bool(()), bool(None),
            bool(1), bool(-1), bool(0.1), bool('a'), bool((0,)), bool(float('nan')))


@given(2 ** 100)
def case_truthiness_bigint(x):
    return (bool(x), bool(x - x), not x, x and 1)


@given(True, True)
def case_bool_arithmetic_is_int(a, b):
    return (a + b, a - b, a * b, -a, +a, a * 3, a ** 2, a // 1, a % 2)


@given(True)
def case_bool_true_division_is_float(t):
    return (t / 2, t / t, t * 1.5, t + 0.5)


@given(True, False)
def case_bool_isinstance(t, f):
    return (isinstance(t, bool), isinstance(t, int), isinstance(1, bool), isinstance(f, int), isinstance(0, bool))


@given(False)
def case_bool_argument_returned(f):
    return (f, not f, f == 0, f + 0)


def case_implicit_none_return():
    return nothing()


def case_bare_return_is_none():
    return (early(1), early(-1))


@given(None)
def case_none_argument_roundtrip(n):
    return (n, (n, n), not n)


@given(None)
def case_none_in_if(n):
    if n:
        return 'truthy'
    return 'falsy'


def case_and_short_circuits_calls():
    return noisy('first', 0) and noisy('second', 1)


def case_or_short_circuits_calls():
    return noisy('first', 3) or noisy('second', 4)


def case_or_evaluates_both_when_first_false():
    return noisy('first', 0) or noisy('second', '')


@given(1, 2)
def case_bool_from_comparisons_counted(a, b):
    return (a < b) + (a == b) + (b > a) + True


@given(0, 3.5)
def case_conditional_expression_types(a, b):
    return (a if a else b, b if b else a, 'yes' if a else None, None if b else 'no')


@given(False)
def case_bool_of_bool(f):
    return (bool(f), bool(True), bool(not f), int(f), float(f), str(f), str(True))


@given(3)
def case_while_on_truthiness(x):
    steps = 0
    while x:
        x -= 1
        steps += 1
    return (steps, x)


@given(True, 1)
def case_max_min_bool_first_wins(t, one):
    return (max(t, one), max(one, t), min(t, one), min(one, t), max(False, 0), max(t, 0.5))
