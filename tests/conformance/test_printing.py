"""print(): str() of ints/floats/bools/None/strs, repr of tuple elements, several args."""

import math

from .harness import check_case, given


def test_case(case, cluster):
    check_case(case, cluster)


def log(x):
    print('log', x)
    return x


@given(42, -7)
def case_print_ints(a, b):
    print(a)
    print(b)
    print(0)


def case_print_floats_shortest_repr():
    print(0.1 + 0.2)
    print(1.0)
    print(1e16)
    print(1e-5)
    print(123456789.125)
    print(1e22)
    print(2.5e-300)
    print(1 / 3)


def case_print_special_floats():
    print(float('inf'))
    print(float('-inf'))
    print(float('nan'))
    print(-0.0)
    print(math.pi)


def case_print_bools_and_none():
    print(True)
    print(False)
    print(None)


@given('hello', '')
def case_print_strings(s, empty):
    print(s)
    print(empty)
    print('multi\nline')
    print('tab\there')


def case_print_tuples_use_repr_of_elements():
    print((1, 2))
    print((1,))
    print(())
    print(('a', "it's", 1.5, None, True))
    print(((1, 2), (3, (4,))))


def case_print_several_arguments():
    print(1, 2.5, 'three', None, True, (4, 'five'))


def case_print_no_arguments_blank_line():
    print()
    print('after blank')
    print()


@given(2 ** 100)
def case_print_bigints(x):
    print(x)
    print(-x)
    print(x, -x)


@given(5)
def case_print_in_loop(n):
    for i in range(n):
        print(i, i * i)
    return n


@given(3)
def case_print_then_return_value(x):
    print('computing')
    return x * 2


@given(3)
def case_print_then_raise(x):
    print('before', x)
    raise RuntimeError('after print')


@given(4)
def case_print_from_nested_calls(x):
    def inner(v):
        print('inner', v)
        return v + 1

    print('outer start')
    r = log(inner(x))
    print('outer end', r)
    return r


@given(3)
def case_print_inside_genexpr_consumer(n):
    return sum(log(i) for i in range(n))


@given(7, 2)
def case_print_arithmetic_results(a, b):
    print(a / b, a // b, a % b, -a // b, a ** b, a ** -b)


@given(0.5)
def case_print_str_of_numbers(x):
    print(str(x), str(3), str(True))
    print((str(x), str(-1)))


def case_print_float_integral_values():
    print(1e15, 1e16, 100.0, -2.0, 12345678901234567.0)


@given(3)
def case_print_exception_message(x):
    try:
        raise ValueError('shown')
    except ValueError as e:
        print('caught:', str(e))
    try:
        x // 0
    except ZeroDivisionError as e:
        print(str(e))
    return x


@given((1.0, -0.0, float('nan'), float('inf')))
def case_print_tuple_of_special_floats(t):
    print(t)


@given(4)
def case_print_in_closure_and_lambda(n):
    show = lambda v: print('lambda', v)
    show(n)

    def again():
        print('closure', n)

    again()
    return show(0)


def case_print_string_concatenation():
    print('con' + 'cat')
    print('a' + 'b' + 'c', 'd')
