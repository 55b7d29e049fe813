"""Functions beyond the basic subset: *args, **kwargs, keyword-only parameters, defaults,
calls with *xs and **d, chained comparisons, conditional expressions, assert with a message,
isinstance with tuples of types, and reading module-level globals (never mutating them).

PYTEST_DONT_REWRITE: pytest must not rewrite this module's assert statements (its messages would
then differ from plain CPython's).
"""

from .everyday import check_everyday_case
from .harness import given


def test_case(case, cluster):
    check_everyday_case(case, cluster)


LIMIT = 10
SCALE = 2.5
GREETING = 'hello'
PRIMES = [2, 3, 5, 7, 11, 13]
UNITS = {'km': 1000, 'm': 1, 'cm': 0.01}
ORIGIN = (0, 0)
VOWELS = frozenset('aeiou')
DEFAULT_TAGS = ('a', 'b')


def total(*args):
    s = 0
    for a in args:
        s += a
    return s


def describe(*args, **kwargs):
    parts = [str(a) for a in args]
    for k in kwargs:
        parts.append(k + '=' + str(kwargs[k]))
    return ' '.join(parts)


def power(base, exp=2):
    return base ** exp


def greet(name, greeting='Hello', punct='!'):
    return greeting + ', ' + name + punct


def kwonly(a, *, scale=1, offset=0):
    return a * scale + offset


def kwonly_required(a, *, key):
    return (a, key)


def mixed(a, b=2, *rest, c, d=4, **extra):
    return (a, b, rest, c, d, sorted(extra.items()))


def first_and_rest(first, *rest):
    return (first, rest, len(rest))


def to_metres(value, unit):
    return value * UNITS[unit]


def is_small_prime(n):
    return n in PRIMES


def clamp(x, lo=0, hi=LIMIT):
    return lo if x < lo else hi if x > hi else x


def checked_div(a, b):
    assert b != 0, 'divisor must be non-zero'
    return a / b


def kind_of(x):
    if isinstance(x, bool):
        return 'bool'
    if isinstance(x, (int, float)):
        return 'number'
    if isinstance(x, (list, tuple)):
        return 'sequence'
    if isinstance(x, (dict, set, frozenset)):
        return 'collection'
    if isinstance(x, str):
        return 'text'
    return 'other'


def apply(f, *args, **kwargs):
    return f(*args, **kwargs)


def make_point(x=0, y=0):
    return (x, y)


def case_varargs_sum():
    return (total(), total(1), total(1, 2, 3), total(*[4, 5, 6]), total(*range(5)), total(1.5, 2))


def case_varargs_tuple_type():
    return (first_and_rest(1), first_and_rest(1, 2, 3), first_and_rest(*'abc'))


def case_varargs_missing_required():
    return first_and_rest()


def case_kwargs_collects_in_order():
    return (describe(1, 2, x=3, y='z'), describe(), describe(b=1, a=2), describe(*[1, 2], **{'k': 'v'}))


def case_defaults_and_keywords():
    return (power(3), power(2, 10), power(exp=3, base=2), power(5, exp=0), greet('Ann'), greet('Bob', punct='?'), greet('Cy', 'Hi'))


def case_keyword_only_parameters():
    return (kwonly(3), kwonly(3, scale=2), kwonly(3, offset=1, scale=10), kwonly_required(1, key='k'))


def case_keyword_only_passed_positionally_error():
    return kwonly(1, 2)


def case_keyword_only_required_missing_error():
    return kwonly_required(1)


def case_mixed_parameter_kinds():
    return (mixed(1, c=3), mixed(1, 2, 3, 4, c=5, z=6, y=7), mixed(a=0, c=0, d=0))


def case_unexpected_keyword_error():
    return power(2, power=3)


def case_multiple_values_for_argument_error():
    return power(2, base=3)


def case_too_many_positional_error():
    return power(1, 2, 3)


def case_missing_positional_error():
    return greet()


def case_call_with_star_and_double_star():
    args = [2, 5]
    kw = {'greeting': 'Yo', 'punct': '.'}
    return (power(*args), greet('Dee', **kw), make_point(*(1, 2)), make_point(**{'y': 9}), apply(power, 3, exp=3), apply(greet, 'Eve', **kw))


def case_double_star_unknown_key_error():
    return make_point(**{'z': 1})


def case_chained_comparisons():
    x = 5
    return (1 < x < 10, 1 < x > 10, 0 <= x <= 5 < 6, x == 5 == 5.0, 1 < 2 < 3 < 4 < 0, 'a' < 'b' < 'c', 3 > 2 >= 2 != 1)


def case_chained_comparison_evaluates_middle_once():
    def mid():
        print('mid evaluated')
        return 5

    return 1 < mid() < 10


def case_chained_comparison_short_circuit():
    def loud(v):
        print('loud', v)
        return v

    return loud(5) < loud(3) < loud(10)


@given(-5, 5, 50)
def case_conditional_expressions(a, b, c):
    return (clamp(a), clamp(b), clamp(c), 'neg' if a < 0 else 'pos', 'big' if c > 10 else 'mid' if c > 5 else 'small', [x if x % 2 else -x for x in range(5)])


def case_assert_passes_and_fails_with_message():
    ok = checked_div(6, 3)
    try:
        checked_div(1, 0)
    except AssertionError as e:
        return (ok, str(e))
    return (ok, 'no error')


def case_assert_escapes_with_message():
    return checked_div(1, 0)


def case_assert_without_message():
    xs = [1, 2]
    assert len(xs) == 3
    return xs


def case_assert_message_with_formatting():
    n = 7
    assert n % 2 == 0, f'expected even, got {n}'
    return n


def case_isinstance_with_tuples():
    vals = [1, 2.5, True, 'x', [1], (1,), {'a': 1}, {1}, frozenset(), None]
    return [kind_of(v) for v in vals]


def case_isinstance_bool_is_int():
    return (isinstance(True, int), isinstance(1, bool), isinstance(1.0, (int, str)), isinstance([], (list,)), isinstance(None, (int, type(None))))


def case_read_module_constants():
    return (LIMIT * 2, SCALE * 4, GREETING.upper(), ORIGIN, DEFAULT_TAGS + ('c',), len(PRIMES), 'e' in VOWELS)


def case_read_module_list_and_dict():
    return (sum(PRIMES), PRIMES[-1], PRIMES[1:3], [p for p in PRIMES if p > 5], to_metres(3, 'km'), to_metres(250, 'cm'), sorted(UNITS))


def case_module_globals_through_helpers():
    return ([is_small_prime(n) for n in range(8)], [clamp(n) for n in (-1, 4, 11)])


def case_module_list_not_mutated_by_copy():
    local = PRIMES[:]
    local.append(17)
    return (len(local), len(PRIMES), PRIMES[-1])


def case_module_dict_missing_key():
    return to_metres(1, 'mile')


def case_mutable_default_shared_across_calls():
    def add(x, acc=[]):
        acc.append(x)
        return acc

    a = add(1)
    b = add(2)
    c = add(3, [])
    return (a, b, c, a is b)


def case_none_default_idiom():
    def add(x, acc=None):
        if acc is None:
            acc = []
        acc.append(x)
        return acc

    return (add(1), add(2), add(3, [0]))


def case_lambda_with_defaults_and_varargs():
    f = lambda a, b=10, *rest: (a + b, len(rest))
    g = lambda **kw: sorted(kw)
    return (f(1), f(1, 2), f(1, 2, 3, 4), g(z=1, a=2))


def case_function_as_value_in_dict():
    ops = {'add': lambda a, b: a + b, 'mul': lambda a, b: a * b, 'pow': power}
    return [ops[name](3, 4) for name in ['add', 'mul', 'pow']]


def case_recursive_with_default_depth():
    def depth(xs, level=0):
        if not isinstance(xs, list):
            return level
        if not xs:
            return level + 1
        return max(depth(x, level + 1) for x in xs)

    return (depth(1), depth([]), depth([1, [2, [3]]]), depth([[[[]]]]))


def case_kwargs_passthrough_wrapper():
    def wrapper(*args, **kwargs):
        print('args', args, 'kwargs', sorted(kwargs.items()))
        return greet(*args, **kwargs)

    return (wrapper('Al'), wrapper('Bo', punct='?'))


def case_star_args_unpack_generator_and_str():
    return (total(*(x * x for x in range(4))), describe(*'ab', sep='-'))


def case_isinstance_tuple_error():
    return isinstance('x', (int, 'str'))


def pos_and_kwonly(a, b, *, c, d=1):
    return a + b + c + d


def one_optional(x=1):
    return x


def case_missing_positional_reported_before_keyword_only():
    return pos_and_kwonly()


def case_missing_keyword_only_when_positionals_given():
    return pos_and_kwonly(1, 2)


def case_too_many_for_one_optional_parameter():
    return one_optional(1, 2)


def case_double_star_missing_positional_before_keyword_only():
    return pos_and_kwonly(**{'d': 2})
