"""if/elif/else, conditional expressions, early returns, pass, nesting."""

from .harness import check_case, given


def test_case(case, cluster):
    check_case(case, cluster)


@given(-3)
def case_if_elif_else_negative(x):
    if x < 0:
        return 'negative'
    elif x == 0:
        return 'zero'
    else:
        return 'positive'


@given(0)
def case_if_elif_else_zero(x):
    if x < 0:
        return 'negative'
    elif x == 0:
        return 'zero'
    else:
        return 'positive'


@given(15)
def case_fizzbuzz_single(n):
    if n % 15 == 0:
        return 'FizzBuzz'
    elif n % 3 == 0:
        return 'Fizz'
    elif n % 5 == 0:
        return 'Buzz'
    return str(n)


@given(16)
def case_fizzbuzz_printed(n):
    for i in range(1, n):
        if i % 15 == 0:
            print('FizzBuzz')
        elif i % 3 == 0:
            print('Fizz')
        elif i % 5 == 0:
            print('Buzz')
        else:
            print(i)


@given(7, 3, 5)
def case_nested_if_max_of_three(a, b, c):
    if a > b:
        if a > c:
            m = a
        else:
            m = c
    else:
        if b > c:
            m = b
        else:
            m = c
    return m


@given(4)
def case_conditional_expression_nested(x):
    return 'a' if x < 2 else 'b' if x < 4 else 'c' if x < 6 else 'd'


@given(2.5)
def case_conditional_expression_mixed_types(x):
    return (x if x > 2 else 0, 0 if x > 3 else x, int(x) if x > 2 else x)


@given(1)
def case_pass_statement(x):
    if x:
        pass
    else:
        x = 100
    return x


@given(10)
def case_if_without_else_falls_through(x):
    y = 1
    if x > 5:
        y = 2
    if x > 50:
        y = 3
    return y


@given(-1)
def case_variable_assigned_on_both_branches(x):
    if x > 0:
        sign = 1
        label = 'pos'
    else:
        sign = -1
        label = 'nonpos'
    return (sign, label)


@given(3)
def case_variable_changes_type_on_branch(x):
    if x > 2:
        v = 1.5
    else:
        v = 2
    return v * 2


@given(2024)
def case_leap_year(year):
    if year % 400 == 0:
        return True
    if year % 100 == 0:
        return False
    return year % 4 == 0


@given(1900)
def case_leap_year_century(year):
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


@given(85)
def case_grade_ladder(score):
    if score >= 90:
        g = 'A'
    elif score >= 80:
        g = 'B'
    elif score >= 70:
        g = 'C'
    elif score >= 60:
        g = 'D'
    else:
        g = 'F'
    return g


@given(0.0)
def case_if_on_float_zero(x):
    if x:
        return 'nonzero'
    if not x:
        return 'zero'
    return 'unreachable'


@given(5, 0)
def case_condition_guards_division(a, b):
    return a // b if b != 0 else None


@given(1, 2)
def case_if_with_and_or(a, b):
    if a > 0 and b > 0 or a < -100:
        r = 'first'
    elif not (a or b):
        r = 'second'
    else:
        r = 'third'
    return r


@given(6)
def case_early_return_in_loop(n):
    i = 0
    while True:
        if i * i > n:
            return i
        i += 1


@given(3)
def case_return_in_elif_chain_types(k):
    if k == 1:
        return 1
    elif k == 2:
        return 2.0
    elif k == 3:
        return 'three'
    elif k == 4:
        return (4,)
    return None


@given(8)
def case_sign_function_via_conditional(x):
    return (1 if x > 0 else -1 if x < 0 else 0, (x > 0) - (x < 0))
