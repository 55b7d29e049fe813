"""Module-level helpers, defaults, keyword arguments, lambdas, higher-order functions."""

from .harness import check_case, given


def test_case(case, cluster):
    check_case(case, cluster)


def add(a, b):
    return a + b


def scale(x, factor=2, offset=0):
    return x * factor + offset


def apply(f, x):
    return f(x)


def apply_twice(f, x):
    return f(f(x))


def compose(f, g):
    return lambda x: f(g(x))


def square(x):
    return x * x


def halve(x):
    return x / 2


def min_max(a, b, c):
    return (min(a, b, c), max(a, b, c))


def later_defined_user(x):
    return defined_after_user(x) + 1


def defined_after_user(x):
    return x * 3


def describe(n, unit='m', precise=False):
    if precise:
        return (n, unit, 'precise')
    return (n, unit)


def fold_range(f, n, acc):
    for i in range(n):
        acc = f(acc, i)
    return acc


@given(2, 3)
def case_call_module_function(a, b):
    return add(a, b) * add(b, a)


@given(5)
def case_default_arguments(x):
    return (scale(x), scale(x, 3), scale(x, 3, 1))


@given(5)
def case_keyword_arguments(x):
    return (scale(x, offset=1), scale(x, factor=10), scale(offset=2, x=x, factor=-1))


@given(7, unit='km')
def case_case_called_with_keyword_args(n, unit):
    return describe(n, unit)


@given(3)
def case_default_bool_keyword(n):
    return (describe(n), describe(n, precise=True), describe(n, 'cm', True))


@given(9)
def case_function_as_argument(x):
    return (apply(square, x), apply(halve, x), apply_twice(square, x))


@given(4)
def case_lambda_as_argument(x):
    return (apply(lambda v: v + 1, x), apply(lambda v: v * 1.5, x))


@given(3)
def case_lambda_assigned_to_name(x):
    cube = lambda v: v * v * v
    inc = lambda v, d=1: v + d
    return (cube(x), inc(x), inc(x, 10), inc(x, d=-1))


@given(3)
def case_compose_functions(x):
    h = compose(square, halve)
    k = compose(halve, square)
    return (h(x), k(x))


@given(1, 9, 4)
def case_function_returning_tuple(a, b, c):
    lo, hi = min_max(a, b, c)
    return (hi - lo, min_max(c, b, a))


@given(2)
def case_call_function_defined_later_in_module(x):
    return later_defined_user(x)


@given(10)
def case_fold_with_function_argument(n):
    return (fold_range(add, n, 0), fold_range(lambda acc, i: acc * 2 + i, n, 1))


@given(3.5)
def case_nested_function_def(x):
    def double(v):
        return v * 2

    def quad(v):
        return double(double(v))

    return (double(x), quad(x))


@given(6)
def case_inner_function_with_defaults(n):
    def power(b, e=2):
        return b ** e

    return (power(n), power(n, 3), power(e=0, b=n))


@given(2, 3)
def case_functions_called_in_expressions(a, b):
    return add(square(a), square(b)) == square(add(a, b)) - 2 * a * b


@given(5)
def case_immediately_called_lambda(x):
    return (lambda a, b: a * b + x)(3, 4)


@given(4)
def case_lambda_returning_tuple(x):
    pair = lambda v: (v, -v)
    a, b = pair(x)
    return (a, b, pair(b))


@given(10)
def case_higher_order_select(n):
    def pick(flag):
        if flag:
            return square
        return halve

    return (pick(True)(n), pick(False)(n))


@given(3)
def case_argument_evaluation_order(x):
    def show(tag, v):
        print(tag, v)
        return v

    return add(show('left', x), show('right', x * 2))


@given(2)
def case_lambda_with_conditional_body(x):
    clamp = lambda v: 0 if v < 0 else 10 if v > 10 else v
    return (clamp(-x), clamp(x), clamp(x * 100))


@given(5, 2)
def case_default_argument_is_evaluated_once_per_call(a, b):
    def f(x, y=3):
        y += x
        return y

    return (f(a), f(a), f(a, b))
