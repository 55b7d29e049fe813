"""Tuples: literals, constant indexing, len, unpacking, nesting, == and < comparison."""

from .harness import check_case, given


def test_case(case, cluster):
    check_case(case, cluster)


def swap(p):
    a, b = p
    return (b, a)


@given((1, 2, 3))
def case_tuple_index_constant(t):
    return (t[0], t[1], t[2])


@given((1, 2.5, 'three'))
def case_tuple_index_negative(t):
    return (t[-1], t[-2], t[-3])


@given((4, 5, 6, 7))
def case_tuple_len(t):
    return (len(t), len(()), len((1,)), len((t, t)))


def case_tuple_literals():
    return ((), (1,), (1, 2), ((1, 2), (3, (4, 5))), (None, True, 'x', 1.5))


@given((1, (2, 3)))
def case_tuple_nested_unpacking(t):
    a, (b, c) = t
    return a * 100 + b * 10 + c


@given(1, 2)
def case_tuple_swap(a, b):
    a, b = b, a
    return (a, b)


@given(3, 4, 5)
def case_tuple_rotate_three(a, b, c):
    a, b, c = b, c, a
    return (a, b, c)


@given((1, 2))
def case_tuple_from_helper(p):
    return (swap(p), swap(swap(p)), swap((p, 'x')))


@given((1, (2, (3, (4, ())))))
def case_tuple_deeply_nested_index(t):
    return (t[1][1][1][0], t[1][1][0], len(t[1][1][1][1]), t[-1][-1][-1])


@given((1, 2), (1, 3))
def case_tuple_less_than(a, b):
    return (a < b, b < a, a <= a, a >= b, b > a)


@given((1, 2), (1, 2, 0))
def case_tuple_compare_prefix(a, b):
    return (a < b, b < a, a == b, a != b, () < a)


@given((1, (2, 3)), (1, (2, 3)))
def case_tuple_equality_nested(a, b):
    return (a == b, a != b, a == (1, (2, 4)), (1, (2, 3)) == b)


@given((1, 2.0), (1.0, 2))
def case_tuple_equality_numeric_mixed(a, b):
    return (a == b, a < b, (True, 0) == (1, False))


@given((2 ** 100, -1))
def case_tuple_with_bigint_compare(t):
    return (t > (2 ** 99, 5), t < (2 ** 100, 0), t == (2 ** 100, -1))


def case_tuple_empty_and_single():
    e = ()
    s = (5,)
    return (e == (), s == (5,), e < s, len(e), s[0], s[-1])


@given(())
def case_tuple_empty_argument(t):
    return (t, len(t), not t, bool(t))


@given((1, 2, 3))
def case_tuple_unpack_too_many(t):
    a, b = t
    return a + b


@given((1, 2))
def case_tuple_unpack_not_enough(t):
    a, b, c = t
    return a + b + c


@given(('a', 'b'), (1, 'z'))
def case_tuple_compare_strings_equal(a, b):
    return (a == ('a', 'b'), b == (1, 'z'), a == b)


@given((3, 1, 2))
def case_tuple_sum_via_loop(t):
    s = 0
    for x in t:
        s += x
    return (s, s / len(t))


@given((5, 6))
def case_tuple_returned_and_reunpacked(p):
    x, y = p
    q = (y, x, x + y)
    u, v, w = q
    return (w, (u, v), q)


@given((1, 2), (3, 4))
def case_tuple_of_tuples_built_in_loop(a, b):
    acc = ()
    for i in range(3):
        acc = (acc, i)
    return (acc, (a, b))


@given((0.5, -0.0, float('nan')))
def case_tuple_with_special_floats(t):
    return (t, t[1], t[-1])


@given((None, True, 'str', 2 ** 70, 1.5, (0,)))
def case_tuple_heterogeneous_roundtrip(t):
    return t


@given((1, 2, 3), (1, 2, 4))
def case_tuple_ordering_mixed_ops(a, b):
    return (a < b <= b, min(a, b), max(a, b), max((0, 9), (1, 0)))


@given(((1, 2), (3, 4)))
def case_tuple_unpack_nested_pairs(t):
    (a, b), (c, d) = t
    return a * d - b * c


@given(3)
def case_tuple_accumulate_pairs(n):
    best = (0, 0)
    for i in range(n * 3):
        cand = (i % 4, i)
        if cand > best:
            best = cand
    return best
