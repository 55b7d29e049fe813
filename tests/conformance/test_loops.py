"""for over range()/tuples, while, break/continue, for-else and while-else."""

from .harness import check_case, given


def test_case(case, cluster):
    check_case(case, cluster)


@given(10)
def case_for_range_n(n):
    s = 0
    for i in range(n):
        s += i
    return s


@given(3, 9)
def case_for_range_a_b(a, b):
    s = 0
    for i in range(a, b):
        s = s * 10 + i
    return s


@given(1, 20, 4)
def case_for_range_step(a, b, step):
    s = 0
    for i in range(a, b, step):
        s += i * i
    return s


@given(10, 0, -3)
def case_for_range_negative_step(a, b, step):
    s = 0
    for i in range(a, b, step):
        s = s * 100 + i
    return s


@given(-1, -10, -2)
def case_for_range_negative_bounds(a, b, step):
    last = 0
    count = 0
    for i in range(a, b, step):
        last = i
        count += 1
    return (last, count)


@given(0)
def case_for_range_empty(n):
    s = 'untouched'
    for i in range(n):
        s = 'touched'
    for i in range(5, 2):
        s = 'touched'
    for i in range(2, 5, -1):
        s = 'touched'
    return s


@given(5)
def case_loop_variable_survives_loop(n):
    for i in range(n):
        pass
    return i


@given(10)
def case_for_break(n):
    found = -1
    for i in range(n):
        if i * i > 20:
            found = i
            break
    return found


@given(10)
def case_for_continue(n):
    s = 0
    for i in range(n):
        if i % 3 == 0:
            continue
        s += i
    return s


@given(7)
def case_for_else_no_break(n):
    for i in range(2, n):
        if n % i == 0:
            r = 'composite'
            break
    else:
        r = 'prime'
    return r


@given(9)
def case_for_else_with_break(n):
    for i in range(2, n):
        if n % i == 0:
            r = 'composite'
            break
    else:
        r = 'prime'
    return r


@given(0)
def case_for_else_empty_range_runs_else(n):
    for i in range(n):
        break
    else:
        return 'else ran'
    return 'no else'


@given(10)
def case_while_loop(n):
    a, b = 0, 1
    while b < n * 100:
        a, b = b, a + b
    return (a, b)


@given(100)
def case_while_else_no_break(n):
    i = 0
    while i < n:
        i += 7
    else:
        i = -i
    return i


@given(100)
def case_while_else_with_break(n):
    i = 0
    while i < n:
        i += 7
        if i % 5 == 0:
            break
    else:
        i = -i
    return i


@given(6)
def case_while_true_break(n):
    count = 0
    while True:
        count += 1
        if count >= n:
            break
    return count


@given(5)
def case_nested_loops_break_inner(n):
    pairs = 0
    for i in range(n):
        for j in range(n):
            if j > i:
                break
            pairs += 1
    return pairs


@given(6)
def case_nested_loops_continue_outer_via_flag(n):
    total = 0
    for i in range(n):
        skip = False
        for j in range(n):
            if i * j == 6:
                skip = True
                break
        if skip:
            continue
        total += i
    return total


@given((3, 1, 4, 1, 5, 9, 2, 6))
def case_for_over_tuple_argument(t):
    s = 0
    m = 0
    for x in t:
        s += x
        if x > m:
            m = x
    return (s, m)


def case_for_over_tuple_literal():
    s = 0.0
    for x in (0.5, 0.25, 0.125):
        s += x
    return s


def case_for_over_tuple_of_pairs_unpacking():
    total = 0
    for a, b in ((1, 2), (3, 4), (5, 6)):
        total += a * b
    return total


def case_for_over_empty_tuple():
    n = 0
    for x in ():
        n += 1
    else:
        n -= 1
    return n


@given(10, 2)
def case_range_bounds_evaluated_once(n, k):
    count = 0
    for i in range(n):
        n -= k
        count += 1
    return (count, n)


@given(4)
def case_loop_variable_reassigned_in_body(n):
    out = 0
    for i in range(n):
        i = i * 10
        out += i
    return out


@given(1000000, 3)
def case_range_large_step(n, k):
    c = 0
    for i in range(0, n, n // k):
        c += 1
    return c


@given(12)
def case_nested_triple_loop(n):
    c = 0
    for a in range(1, n):
        for b in range(a, n):
            for cc in range(b, n):
                if a * a + b * b == cc * cc:
                    c += 1
    return c


@given(5)
def case_loop_with_try_continue(n):
    s = 0
    for i in range(n):
        try:
            if i == 2:
                continue
            s += i
        finally:
            s += 100
    return s


@given(3, 2)
def case_for_else_inside_while(n, m):
    tries = 0
    while tries < n:
        tries += 1
        for j in range(m):
            if j == tries:
                break
        else:
            continue
        break
    return tries
