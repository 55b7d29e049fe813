"""Lists: literals, indexing and slicing, slice assignment and deletion, operators, methods,
unpacking (starred too), nesting, ordering, list(), and CPython's error messages."""

from .everyday import check_everyday_case
from .harness import given


def test_case(case, cluster):
    check_everyday_case(case, cluster)


def squares_upto(n):
    out = []
    for i in range(n):
        out.append(i * i)
    return out


def neg(x):
    return -x


def second(p):
    return p[1]


# ---- literals, indexing, slicing ------------------------------------------------------------


def case_list_literals():
    return ([], [1], [1, 2, 3], [1, 'a', 2.5, None, True], [[1, 2], [3, [4, 5]]], [(1, 2), ()])


@given([10, 20, 30, 40, 50])
def case_list_index_positive_negative(xs):
    return (xs[0], xs[2], xs[4], xs[-1], xs[-5], xs[len(xs) - 1])


@given([10, 20, 30, 40, 50])
def case_list_index_variable(xs):
    total = 0
    i = 0
    while i < len(xs):
        total += xs[i] * (i + 1)
        i += 1
    return total


@given([0, 1, 2, 3, 4, 5, 6, 7, 8, 9])
def case_list_slices(xs):
    return (xs[2:5], xs[:3], xs[7:], xs[-3:], xs[:-7], xs[3:-3], xs[5:2], xs[-100:100])


@given([0, 1, 2, 3, 4, 5, 6, 7, 8, 9])
def case_list_slices_step(xs):
    return (xs[::2], xs[1::3], xs[::-1], xs[::-3], xs[7:1:-2], xs[1:7:-1], xs[-1:-4:-1])


@given([1, 2, 3])
def case_list_slice_is_copy(xs):
    ys = xs[:]
    ys.append(4)
    zs = xs[0:2]
    zs[0] = 99
    return (xs, ys, zs)


@given([1, 2, 3])
def case_list_index_out_of_range(xs):
    return xs[3]


@given([1, 2, 3])
def case_list_index_negative_out_of_range(xs):
    return xs[-4]


def case_list_index_empty():
    xs = []
    return xs[0]


@given([1, 2, 3])
def case_list_assign_index_out_of_range(xs):
    xs[5] = 0
    return xs


@given([1, 2, 3])
def case_list_index_with_str_error(xs):
    return xs['a']


@given([1, 2, 3])
def case_list_index_with_float_error(xs):
    return xs[1.0]


# ---- item and slice assignment, deletion ----------------------------------------------------


@given([1, 2, 3, 4])
def case_list_item_assignment(xs):
    xs[0] = 'a'
    xs[-1] = 'z'
    xs[1] += 10
    return xs


@given([0, 1, 2, 3, 4, 5])
def case_list_slice_assignment_grow_shrink(xs):
    a = xs[:]
    a[1:3] = ['x', 'y', 'z', 'w']
    b = xs[:]
    b[1:5] = [None]
    c = xs[:]
    c[2:2] = [7, 8]
    d = xs[:]
    d[:] = []
    e = xs[:]
    e[len(e):] = [6, 7]
    return (a, b, c, d, e)


@given([0, 1, 2, 3, 4, 5])
def case_list_extended_slice_assignment(xs):
    xs[::2] = ['a', 'b', 'c']
    return xs


@given([0, 1, 2, 3, 4, 5])
def case_list_extended_slice_assignment_size_error(xs):
    xs[::2] = [1, 2]
    return xs


@given([0, 1, 2, 3, 4, 5, 6, 7])
def case_list_del_index_and_slices(xs):
    del xs[0]
    del xs[-1]
    a = xs[:]
    del xs[1:3]
    b = xs[:]
    del xs[::2]
    return (a, b, xs)


@given([1, 2])
def case_list_del_out_of_range(xs):
    del xs[2]
    return xs


@given([5, 6, 7])
def case_list_slice_assign_from_range_and_str(xs):
    xs[1:2] = range(3)
    xs[0:0] = 'ab'
    return xs


# ---- operators ------------------------------------------------------------------------------


@given([1, 2], [3])
def case_list_concat_and_repeat(a, b):
    return (a + b, b + a, a * 3, 2 * b, a * 0, [] + [], [0] * 5, a + b * 2)


@given([1, 2, 3])
def case_list_concat_tuple_error(xs):
    return xs + (4,)


@given([3, 1, 2])
def case_list_in(xs):
    return (1 in xs, 5 in xs, 5 not in xs, [1] in [[1], [2]], 'a' in ['a', 'b'], 1.0 in xs, True in xs)


@given([[1, 2], [3, 4, 5], []])
def case_list_len_nested(xs):
    return (len(xs), len(xs[0]), len(xs[1]), len(xs[2]), len([]), sum(len(x) for x in xs))


def case_list_equality():
    return ([1, 2] == [1, 2], [1, 2] == [2, 1], [1] == [1.0], [] == [], [[1]] == [[1]], [1, 2] != [1, 2, 3], [1, 2] == (1, 2))


def case_list_ordering():
    return (
        [1, 2] < [1, 3],
        [1, 2] < [1, 2, 0],
        [2] > [1, 9, 9],
        [] < [0],
        [1, 2] <= [1, 2],
        ['a', 'b'] < ['a', 'c'],
        [[1, 2], [0]] > [[1, 1], [9]],
        max([[1, 5], [2, 0], [1, 9]]),
    )


def case_list_ordering_type_error():
    return [1, 'a'] < [1, 2]


def case_list_compare_with_int_error():
    return [1] < 1


# ---- methods --------------------------------------------------------------------------------


def case_list_append_extend():
    xs = []
    xs.append(1)
    xs.append([2, 3])
    xs.extend([4, 5])
    xs.extend((6,))
    xs.extend('ab')
    xs.extend(range(2))
    xs.extend([])
    return xs


@given([1, 2, 3, 4, 5])
def case_list_pop(xs):
    a = xs.pop()
    b = xs.pop(0)
    c = xs.pop(-2)
    d = xs.pop(1)
    return (a, b, c, d, xs)


def case_list_pop_empty():
    xs = []
    return xs.pop()


@given([1, 2, 3])
def case_list_pop_index_out_of_range(xs):
    return xs.pop(3)


@given([1, 2, 3])
def case_list_insert(xs):
    xs.insert(0, 'first')
    xs.insert(2, 'mid')
    xs.insert(100, 'end')
    xs.insert(-1, 'before_end')
    xs.insert(-100, 'start')
    return xs


@given([3, 1, 4, 1, 5])
def case_list_remove(xs):
    xs.remove(1)
    xs.remove(5)
    return xs


@given([3, 1, 4])
def case_list_remove_missing(xs):
    xs.remove(7)
    return xs


@given([3, 1, 4, 1, 5, 9, 2, 6, 5, 3])
def case_list_index_and_count(xs):
    return (xs.index(1), xs.index(5), xs.index(1, 2), xs.index(5, 5, 9), xs.count(5), xs.count(7), xs.count(1))


@given([5, 1, 4])
def case_list_index_missing_int(xs):
    return xs.index(3)


@given(['a', 'b'])
def case_list_index_missing_str(xs):
    return xs.index('z')


@given([1, 2, 3, 4])
def case_list_reverse(xs):
    ys = xs[:]
    ys.reverse()
    r = xs.reverse()
    return (xs, ys, r)


@given([5, 2, 8, 1, 9, 3])
def case_list_sort_basic(xs):
    ys = xs[:]
    r = ys.sort()
    zs = xs[:]
    zs.sort(reverse=True)
    return (xs, ys, zs, r)


@given(['banana', 'Apple', 'cherry', 'date', 'fig'])
def case_list_sort_key(words):
    a = words[:]
    a.sort(key=len)
    b = words[:]
    b.sort(key=str.lower)
    c = words[:]
    c.sort(key=len, reverse=True)
    d = words[:]
    d.sort(key=lambda w: (len(w), w))
    return (a, b, c, d)


def case_list_sort_stability():
    pairs = [('b', 2), ('a', 1), ('c', 2), ('d', 1), ('e', 3), ('f', 1)]
    by_num = pairs[:]
    by_num.sort(key=second)
    by_num_rev = pairs[:]
    by_num_rev.sort(key=second, reverse=True)
    return (by_num, by_num_rev)


def case_list_sort_tuples_and_floats():
    xs = [(2, 'b'), (1, 'z'), (2, 'a'), (1, 'a')]
    xs.sort()
    fs = [2.5, -1.0, 3, 0, -7.25, 1]
    fs.sort()
    return (xs, fs)


def case_list_sort_mixed_type_error():
    xs = [3, 'a', 1]
    xs.sort()
    return xs


@given([1, 2, 3])
def case_list_clear_and_copy(xs):
    c = xs.copy()
    alias = xs
    xs.clear()
    return (xs, c, alias, len(alias))


@given([4, 5, 6])
def case_list_sort_key_helper(xs):
    xs.sort(key=neg)
    return xs


def case_list_constructor():
    return (list(), list('abc'), list((1, 2)), list(range(4)), list(range(10, 0, -3)), list([1, [2]]), list({'a': 1, 'b': 2}))


def case_list_constructor_int_error():
    return list(5)


def case_list_comprehensions():
    return (
        [x * x for x in range(6)],
        [x for x in range(20) if x % 3 == 0 if x % 2 == 0],
        [(i, j) for i in range(3) for j in range(i)],
        [c.upper() for c in 'abc'],
        [[0] * 2 for _ in range(3)],
        [y for row in [[1, 2], [3], []] for y in row],
    )


@given(6)
def case_list_build_with_helper(n):
    sq = squares_upto(n)
    return (sq, sum(sq), sq[-1], sq[::2])


# ---- unpacking ------------------------------------------------------------------------------


@given([1, 2, 3])
def case_list_unpack_simple(xs):
    a, b, c = xs
    [d, e, f] = [c, b, a]
    return (a, b, c, d, e, f)


@given([1, 2, 3, 4, 5])
def case_list_unpack_starred(xs):
    a, *b, c = xs
    *d, e = xs
    f, *g = xs
    h, i, *j = [1, 2]
    return (a, b, c, d, e, f, g, h, i, j)


@given([1, [2, 3], 4])
def case_list_unpack_nested(xs):
    a, (b, c), d = xs
    return a + b * 10 + c * 100 + d * 1000


@given([1, 2, 3])
def case_list_unpack_too_many_values(xs):
    a, b = xs
    return (a, b)


@given([1])
def case_list_unpack_not_enough_values(xs):
    a, b, c = xs
    return (a, b, c)


@given([1])
def case_list_unpack_starred_not_enough(xs):
    a, b, *c = xs
    return (a, b, c)


def case_list_star_in_display():
    a = [1, 2]
    b = (3, 4)
    return ([*a, *b], [0, *a, 9], [*'xy'], [*range(3), *a])


# ---- nesting --------------------------------------------------------------------------------


def case_list_nested_grid():
    grid = [[0] * 3 for _ in range(3)]
    grid[1][2] = 5
    grid[0][0] = 1
    grid[2][1] = grid[1][2] + grid[0][0]
    return grid


def case_list_nested_shared_rows_pitfall():
    grid = [[0] * 3] * 3
    grid[0][0] = 7
    return (grid, grid[1][0])


def case_list_nested_transpose():
    m = [[1, 2, 3], [4, 5, 6]]
    t = []
    for j in range(3):
        row = []
        for i in range(2):
            row.append(m[i][j])
        t.append(row)
    return t


def case_list_nested_flatten_recursive():
    return flatten([1, [2, [3, [4, []]], 5], [[6]]])


def flatten(xs):
    out = []
    for x in xs:
        if isinstance(x, list):
            out.extend(flatten(x))
        else:
            out.append(x)
    return out


def case_list_contains_itself_len():
    xs = [1, 2]
    xs.append(xs)
    return (len(xs), len(xs[2]), xs[2][0], xs[2][2][1])


# ---- builtins over lists --------------------------------------------------------------------


@given([4, -2, 9, 0, 3])
def case_list_min_max_sum(xs):
    return (min(xs), max(xs), sum(xs), sum(xs, 10), sorted(xs), sorted(xs, reverse=True), xs)


@given([1.5, 2, 3.25])
def case_list_sum_mixed(xs):
    return (sum(xs), sum([]), sum([[1], [2]], []))


def case_list_min_empty_error():
    return min([])


@given(['x', 'y', 'z'])
def case_list_enumerate_and_zip(xs):
    return (list(enumerate(xs)), list(zip(xs, [1, 2, 3, 4])), [i * c for i, c in enumerate(xs, 1)])


def case_list_as_stack():
    stack = []
    out = []
    for tok in [1, 2, '+', 3, '*', 4, '-']:
        if tok == '+' or tok == '*' or tok == '-':
            b = stack.pop()
            a = stack.pop()
            if tok == '+':
                stack.append(a + b)
            elif tok == '*':
                stack.append(a * b)
            else:
                stack.append(a - b)
            out.append(stack[-1])
        else:
            stack.append(tok)
    return (stack, out)


def case_list_filter_in_place_while():
    xs = list(range(12))
    i = 0
    while i < len(xs):
        if xs[i] % 3 == 0:
            del xs[i]
        else:
            i += 1
    return xs


def case_list_print_repr():
    xs = [1, 'a', 2.0, None, [True, (1,)]]
    print(xs)
    print(str(xs), len(xs))
    print([])
    print(['quote\'s'])


def case_list_not_hashable_error():
    d = {}
    d[[1, 2]] = 3
    return d


def case_list_bool_and_truthiness():
    out = []
    for xs in [[], [0], [[]], [None]]:
        if xs:
            out.append('truthy')
        else:
            out.append('falsy')
    return (out, bool([]), bool([0]), not [])
