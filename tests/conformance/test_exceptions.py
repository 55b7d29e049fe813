"""raise, try/except/else/finally, exception hierarchy, propagation, escaping exceptions."""

import math

from .harness import check_case, given


def test_case(case, cluster):
    check_case(case, cluster)


def checked_sqrt(x):
    if x < 0:
        raise ValueError('negative input')
    return x ** 0.5


def level3(x):
    return 10 // x


def level2(x):
    return level3(x) + 1


def level1(x):
    return level2(x) * 2


def raiser(kind):
    if kind == 0:
        raise ValueError('value problem')
    if kind == 1:
        raise TypeError('type problem')
    if kind == 2:
        raise KeyError('missing')
    if kind == 3:
        raise IndexError('out of range')
    if kind == 4:
        raise OverflowError('too big')
    return 'no error'


def cleanup_trace(x):
    try:
        print('try', x)
        if x:
            return 'from try'
    finally:
        print('finally')
    return 'after'


@given(-4)
def case_raise_value_error_escapes(x):
    return checked_sqrt(x)


@given(4)
def case_no_raise_returns_value(x):
    return checked_sqrt(x)


def case_raise_type_error():
    raise TypeError('bad type')


def case_raise_runtime_error():
    raise RuntimeError('something broke')


def case_raise_key_error_message_is_repr():
    raise KeyError('key')


def case_raise_index_error():
    raise IndexError('index 7 out of range')


def case_raise_arithmetic_error():
    raise ArithmeticError('arith')


def case_raise_overflow_error():
    raise OverflowError('overflowed')


def case_raise_assertion_error():
    raise AssertionError('invariant violated')


def case_raise_plain_exception():
    raise Exception('generic')


def case_raise_without_message():
    raise ValueError()


def case_raise_class_without_call():
    raise RuntimeError


@given(-1)
def case_try_except_catches(x):
    try:
        checked_sqrt(x)
    except ValueError:
        return 'caught'
    return 'not caught'


@given(-1)
def case_except_as_message(x):
    try:
        checked_sqrt(x)
    except ValueError as e:
        return str(e)


@given(0)
def case_except_zero_division_message(x):
    try:
        return 1 / x
    except ZeroDivisionError as e:
        return ('zde', str(e))


@given(0)
def case_arithmetic_error_catches_zero_division(x):
    try:
        return 5 // x
    except ArithmeticError as e:
        return ('arith', str(e))


@given(10.0)
def case_arithmetic_error_catches_overflow(x):
    try:
        return x ** 400
    except ArithmeticError:
        return 'overflow caught'


@given(2)
def case_exception_catches_everything_listed(kind):
    try:
        return raiser(kind)
    except Exception as e:
        return ('caught', str(e))


@given(1)
def case_except_tuple_of_types(kind):
    try:
        raiser(kind)
    except (ValueError, TypeError) as e:
        return ('value-or-type', str(e))
    except (KeyError, IndexError):
        return 'lookup'
    return 'none'


@given(3)
def case_except_clauses_in_order(kind):
    try:
        raiser(kind)
    except ValueError:
        return 'value'
    except IndexError:
        return 'index'
    except Exception:
        return 'exception'
    return 'none'


@given(4)
def case_uncaught_type_propagates_past_handler(kind):
    try:
        raiser(kind)
    except (ValueError, TypeError):
        return 'wrong handler'


@given(5)
def case_try_else_runs_without_exception(kind):
    try:
        r = raiser(kind)
    except Exception:
        r = 'except'
    else:
        r = (r, 'else ran')
    return r


@given(0)
def case_try_else_skipped_with_exception(kind):
    out = 'start'
    try:
        raiser(kind)
    except ValueError:
        out = 'except'
    else:
        out = 'else'
    return out


@given(1)
def case_finally_runs_on_return(x):
    return cleanup_trace(x)


@given(0)
def case_finally_runs_on_fallthrough(x):
    return cleanup_trace(x)


@given(5)
def case_finally_runs_on_break(n):
    i = 0
    while True:
        try:
            i += 1
            if i == n:
                break
        finally:
            print('finally', i)
    return i


@given(0)
def case_finally_runs_when_exception_escapes(x):
    try:
        return 1 // x
    finally:
        print('cleanup')


def case_finally_return_overrides():
    try:
        return 'try'
    finally:
        return 'finally'


def case_finally_return_swallows_exception():
    try:
        raise ValueError('lost')
    finally:
        return 'swallowed'


@given(0)
def case_exception_through_nested_calls(x):
    return level1(x)


@given(0)
def case_exception_through_nested_calls_caught(x):
    try:
        return level1(x)
    except ZeroDivisionError as e:
        return 'caught: ' + 'zero'


@given(0)
def case_bare_reraise(x):
    try:
        return 1 % x
    except ZeroDivisionError:
        print('logging')
        raise


@given(-2)
def case_reraise_caught_by_outer(x):
    try:
        try:
            checked_sqrt(x)
        except ValueError:
            print('inner')
            raise
    except ValueError as e:
        return ('outer', str(e))


@given(3)
def case_raise_in_except_replaces(x):
    try:
        raise ValueError('first')
    except ValueError:
        raise RuntimeError('second')


@given(3)
def case_raise_in_finally_replaces(x):
    try:
        raise ValueError('first')
    finally:
        raise KeyError('from finally')


@given(2)
def case_nested_try_finally_order(x):
    try:
        try:
            print('inner try')
            raise TypeError('t')
        finally:
            print('inner finally')
    except TypeError as e:
        print('outer except', str(e))
    finally:
        print('outer finally')
    return x


@given(5)
def case_exception_in_loop_continue(n):
    ok = 0
    bad = 0
    for i in range(n):
        try:
            10 // (i - 2)
            ok += 1
        except ZeroDivisionError:
            bad += 1
            continue
    return (ok, bad)


@given('abc')
def case_int_parse_error_caught(s):
    try:
        return int(s)
    except ValueError as e:
        return str(e)


@given(float('inf'))
def case_overflow_from_int_conversion_caught(x):
    try:
        return int(x)
    except OverflowError as e:
        return ('overflow', str(e))


@given(-1)
def case_math_domain_error_caught(x):
    try:
        return math.sqrt(x) + 1
    except ValueError as e:
        return ('domain', str(e))


@given(4)
def case_raise_after_printing(x):
    print('about to fail', x)
    raise ValueError('failed after print')


@given(3)
def case_exception_variable_message_used_later(x):
    msg = 'none'
    try:
        if x > 2:
            raise IndexError('too far')
    except IndexError as e:
        msg = str(e)
    return (msg, x)


@given(1)
def case_handler_exception_types_zero_division_variants(x):
    a = b = c = d = e5 = 'no error'
    try:
        x // 0
    except ZeroDivisionError as e:
        a = str(e)
    try:
        x % 0
    except ZeroDivisionError as e:
        b = str(e)
    try:
        x / 0.0
    except ZeroDivisionError as e:
        c = str(e)
    try:
        x % 0.0
    except ZeroDivisionError as e:
        d = str(e)
    try:
        0.0 ** -x
    except ZeroDivisionError as e:
        e5 = str(e)
    return (a, b, c, d, e5)


@given(2)
def case_try_except_in_called_function_returns_normally(x):
    def safe_div(a, b):
        try:
            return a / b
        except ZeroDivisionError:
            return None

    return (safe_div(x, 0), safe_div(x, 4))


@given(3)
def case_raise_value_error_with_concatenated_message(x):
    raise ValueError('bad ' + 'value')


@given(0)
def case_finally_with_continue_in_loop(n):
    s = 0
    for i in range(4):
        try:
            if i % 2:
                continue
            s += i
        finally:
            s += 10
    return s


@given(1.5)
def case_augmented_assignment_type_error_names_the_inplace_operator(x):
    x |= 1
    return x


@given('a')
def case_augmented_power_type_error(x):
    y = 2.0
    y **= x
    return y
