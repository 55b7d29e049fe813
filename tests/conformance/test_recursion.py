"""Recursion: simple, mutual, deep (~500 frames), with big ints, and infinite."""

from .harness import check_case, given

# infinite recursion: CPython's RecursionError message is an implementation detail
TYPE_ONLY = {'case_infinite_recursion_raises_recursion_error'}


def test_case(case, cluster):
    check_case(case, cluster)


def fact(n):
    if n <= 1:
        return 1
    return n * fact(n - 1)


def fib(n):
    if n < 2:
        return n
    return fib(n - 1) + fib(n - 2)


def is_even(n):
    if n == 0:
        return True
    return is_odd(n - 1)


def is_odd(n):
    if n == 0:
        return False
    return is_even(n - 1)


def depth(n):
    if n == 0:
        return 0
    return 1 + depth(n - 1)


def sum_down(n, acc=0):
    if n == 0:
        return acc
    return sum_down(n - 1, acc + n)


def ackermann(m, n):
    if m == 0:
        return n + 1
    if n == 0:
        return ackermann(m - 1, 1)
    return ackermann(m - 1, ackermann(m, n - 1))


def gcd_rec(a, b):
    return a if b == 0 else gcd_rec(b, a % b)


def fast_pow(b, e):
    if e == 0:
        return 1
    half = fast_pow(b, e // 2)
    if e % 2:
        return half * half * b
    return half * half


def hanoi(n, src, dst, tmp):
    if n == 0:
        return 0
    return hanoi(n - 1, src, tmp, dst) + 1 + hanoi(n - 1, tmp, dst, src)


def hanoi_print(n, src, dst, tmp):
    if n == 0:
        return
    hanoi_print(n - 1, src, tmp, dst)
    print(n, src, dst)
    hanoi_print(n - 1, tmp, dst, src)


def fib_pair(n):
    if n == 0:
        return (0, 1)
    a, b = fib_pair(n // 2)
    c = a * (2 * b - a)
    d = a * a + b * b
    if n % 2:
        return (d, c + d)
    return (c, d)


def binom(n, k):
    if k == 0 or k == n:
        return 1
    return binom(n - 1, k - 1) + binom(n - 1, k)


def digit_sum(n):
    return n if n < 10 else n % 10 + digit_sum(n // 10)


def forever(n):
    return forever(n + 1) + 1


def countdown_raise(n):
    if n == 0:
        raise ValueError('bottom reached')
    return countdown_raise(n - 1)


@given(10)
def case_recursive_factorial(n):
    return fact(n)


@given(50)
def case_recursive_factorial_bigint(n):
    return fact(n)


@given(20)
def case_recursive_fibonacci(n):
    return fib(n)


@given(301)
def case_mutual_recursion(n):
    return (is_even(n), is_odd(n), is_even(n - 1))


@given(500)
def case_recursion_depth_500(n):
    return depth(n)


@given(500)
def case_recursion_depth_500_with_accumulator(n):
    return sum_down(n)


@given(2, 3)
def case_ackermann_small(m, n):
    return ackermann(m, n)


@given(1071, 462)
def case_recursive_gcd(a, b):
    return (gcd_rec(a, b), gcd_rec(b, a), gcd_rec(2 ** 80, 6 ** 30))


@given(3, 200)
def case_recursive_fast_pow_bigint(b, e):
    return fast_pow(b, e)


@given(10)
def case_hanoi_count(n):
    return hanoi(n, 'A', 'C', 'B')


@given(3)
def case_hanoi_printed_moves(n):
    hanoi_print(n, 'A', 'C', 'B')


@given(300)
def case_recursive_fast_fibonacci_tuples(n):
    return fib_pair(n)


@given(16, 8)
def case_recursive_binomial(n, k):
    return binom(n, k)


@given(2 ** 200)
def case_recursive_digit_sum_bigint(n):
    return digit_sum(n)


def case_infinite_recursion_raises_recursion_error():
    return forever(0)


def case_recursion_error_caught_as_runtime_error():
    try:
        forever(0)
    except RuntimeError:
        return 'caught'
    return 'not caught'


@given(50)
def case_exception_from_deep_recursion(n):
    return countdown_raise(n)


@given(40)
def case_exception_from_deep_recursion_caught(n):
    try:
        countdown_raise(n)
    except ValueError as e:
        return ('caught', str(e))
    return 'no'


@given(6)
def case_recursive_lambda_via_name(n):
    f = lambda k: 1 if k == 0 else k * f(k - 1)
    return f(n)
