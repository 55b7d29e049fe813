"""Iteration: for over every container kind and range, enumerate, zip, map, filter, reversed,
sorted, sum/min/max/any/all over iterables and generator expressions, comprehensions,
iter()/next() and StopIteration."""

from .everyday import check_everyday_case
from .harness import given


def test_case(case, cluster):
    check_everyday_case(case, cluster)


def double(x):
    return 2 * x


def is_even(x):
    return x % 2 == 0


def last_char(s):
    return s[-1]


def noisy(x):
    print('check', x)
    return x > 2


# ---- for over containers --------------------------------------------------------------------


@given([3, 1, 4, 1, 5])
def case_for_over_list(xs):
    total = 0
    seen = []
    for x in xs:
        total += x
        seen.append(total)
    return seen


@given((2, 'a', 3.5))
def case_for_over_tuple(t):
    out = []
    for item in t:
        if isinstance(item, int):
            out.append('int')
        elif isinstance(item, str):
            out.append('str')
        else:
            out.append('other')
    return out


@given('héllo')
def case_for_over_str(s):
    out = []
    for ch in s:
        out.append(ch.upper())
    return ''.join(out)


@given({'one': 1, 'two': 2, 'three': 3})
def case_for_over_dict_keys_and_items(d):
    keys = []
    for k in d:
        keys.append(k)
    pairs = []
    for k, v in d.items():
        pairs.append(k[0] * v)
    vals = []
    for v in d.values():
        vals.append(v * 10)
    return (keys, pairs, vals)


def case_for_over_small_int_set():
    out = []
    for x in {9, 2, 7, 4}:
        out.append(x)
    return out


def case_for_over_str_set_sorted():
    out = []
    for w in sorted({'pear', 'apple', 'fig'}):
        out.append(w)
    return out


def case_for_over_ranges():
    return (
        list(range(5)),
        list(range(2, 8)),
        list(range(0, 20, 5)),
        list(range(10, 0, -3)),
        list(range(5, 5)),
        list(range(5, 0)),
        list(range(-3, 3, 2)),
        list(range(0, -10, -4)),
    )


def case_range_object_properties():
    r = range(3, 20, 4)
    return (len(r), r[0], r[-1], r[2], 7 in r, 8 in r, list(r[1:3]), list(reversed(r)), r.index(11), r.count(15))


def case_range_step_zero_error():
    return list(range(1, 10, 0))


def case_range_index_out_of_range_error():
    r = range(3)
    return r[3]


def case_for_else_and_break():
    out = []
    for n in range(2, 20):
        for d in range(2, n):
            if n % d == 0:
                break
        else:
            out.append(n)
    return out


def case_for_loop_variable_after_loop():
    for i in range(4):
        pass
    last = i
    for ch in 'xyz':
        pass
    return (last, ch)


def case_for_nested_with_continue():
    out = []
    for i in range(4):
        if i == 2:
            continue
        for j in 'ab':
            out.append(str(i) + j)
    return out


# ---- enumerate, zip, map, filter, reversed --------------------------------------------------


@given(['a', 'b', 'c'])
def case_enumerate(xs):
    return (list(enumerate(xs)), list(enumerate(xs, start=1)), list(enumerate(xs, 10)), list(enumerate('')))


@given(['a', 'b', 'c'])
def case_enumerate_in_loop(xs):
    out = []
    for i, x in enumerate(xs, start=100):
        out.append(x * (i - 99))
    return out


def case_zip_forms():
    return (
        list(zip([1, 2, 3], 'abc')),
        list(zip([1, 2, 3], [4, 5])),
        list(zip()),
        list(zip([1, 2])),
        list(zip(range(3), range(10, 13), 'xyz')),
        dict(zip(['k1', 'k2'], [1, 2])),
    )


def case_zip_unzip_with_star():
    pairs = [(1, 'a'), (2, 'b'), (3, 'c')]
    nums, letters = zip(*pairs)
    return (nums, letters)


@given([1, 2, 3], [10, 20, 30])
def case_zip_in_loop_dot_product(a, b):
    total = 0
    for x, y in zip(a, b):
        total += x * y
    return total


def case_map_forms():
    return (
        list(map(double, [1, 2, 3])),
        list(map(str, range(4))),
        list(map(lambda x, y: x + y, [1, 2, 3], [10, 20])),
        list(map(len, ['a', 'bb', ''])),
        list(map(int, '123')),
    )


def case_filter_forms():
    return (
        list(filter(is_even, range(10))),
        list(filter(None, [0, 1, '', 'a', None, [], [0]])),
        list(filter(lambda s: s.startswith('b'), ['ab', 'ba', 'bb'])),
    )


def case_reversed_forms():
    return (list(reversed([1, 2, 3])), list(reversed('abc')), list(reversed(range(1, 10, 3))), list(reversed((1,))), list(reversed({'a': 1, 'b': 2})))


def case_reversed_set_error():
    return list(reversed({1, 2}))


def case_map_is_lazy_and_single_pass():
    m = map(double, [1, 2, 3])
    first = list(m)
    second = list(m)
    return (first, second)


def case_zip_iterator_exhaustion():
    z = zip([1, 2], [3, 4])
    a = next(z)
    rest = list(z)
    return (a, rest, list(z))


# ---- sorted -----------------------------------------------------------------------------------


@given([5, 2, 9, 1, 5, 6])
def case_sorted_basic(xs):
    return (sorted(xs), sorted(xs, reverse=True), xs, sorted('hello'), sorted((3, 1, 2)), sorted({'b': 1, 'a': 2}))


@given(['pear', 'fig', 'banana', 'kiwi', 'apple'])
def case_sorted_key(words):
    return (
        sorted(words, key=len),
        sorted(words, key=last_char),
        sorted(words, key=lambda w: (-len(w), w)),
        sorted(words, key=len, reverse=True),
    )


def case_sorted_stability_multi_pass():
    people = [('amy', 30), ('bob', 25), ('cat', 30), ('dan', 25), ('eve', 35)]
    by_name_desc = sorted(people, key=lambda p: p[0], reverse=True)
    by_age = sorted(by_name_desc, key=lambda p: p[1])
    return by_age


def case_sorted_mixed_int_float():
    return sorted([3, 1.5, -2, 0.0, 2, -2.5, True])


def case_sorted_incomparable_error():
    return sorted([1, None, 2])


# ---- sum/min/max/any/all ---------------------------------------------------------------------


@given([3, 8, -1, 4])
def case_sum_min_max_over_list(xs):
    return (sum(xs), min(xs), max(xs), sum(x * x for x in xs), max(abs(x) for x in xs), min(xs, key=abs))


def case_min_max_key_and_default():
    words = ['kiwi', 'fig', 'banana', 'plum']
    return (
        max(words, key=len),
        min(words, key=len),
        max([], default=None),
        min([], default=-1),
        max(3, 7, 5),
        min('b', 'a', 'c'),
        max([(1, 'b'), (1, 'c'), (0, 'z')]),
        max(words, key=len, default='none'),
    )


def case_max_ties_return_first():
    pairs = [('a', 3), ('b', 5), ('c', 5), ('d', 1), ('e', 1)]
    return (max(pairs, key=lambda p: p[1]), min(pairs, key=lambda p: p[1]))


def case_max_empty_error():
    return max(x for x in range(0))


def case_sum_over_generator_and_floats():
    return (sum(i / 2 for i in range(5)), sum([0.1] * 10), sum(range(101)), sum([], 0.0), sum((1, 2), 0.5))


def case_sum_of_strings_error():
    return sum(['a', 'b'], '')


def case_any_all_over_iterables():
    xs = [2, 4, 6, 7]
    return (
        any(x > 6 for x in xs),
        all(x % 2 == 0 for x in xs),
        all(x > 0 for x in xs),
        any([]),
        all([]),
        any([0, '', None]),
        all('abc'),
        any(c.isdigit() for c in 'ab3'),
    )


def case_any_all_short_circuit_printing():
    r1 = any(noisy(x) for x in [1, 2, 3, 4, 5])
    r2 = all(noisy(x) for x in [5, 4, 1, 6])
    return (r1, r2)


# ---- comprehensions --------------------------------------------------------------------------


def case_nested_comprehensions_with_conditions():
    return (
        [(i, j) for i in range(4) if i % 2 == 0 for j in range(i, 4) if j != i],
        [[i * j for j in range(1, 4)] for i in range(1, 4)],
        [x for row in [[1, -2], [3, -4]] for x in row if x > 0],
        {i: [j for j in range(i)] for i in range(4)},
        sum(1 for i in range(5) for j in range(5) if i < j),
    )


def case_comprehension_over_str_and_dict():
    d = {'a': 1, 'b': 2, 'c': 3}
    return ([k + str(v) for k, v in d.items() if v != 2], [c for c in 'a1b2c3' if c.isdigit()], [w[::-1] for w in 'ab cd'.split()])


def case_comprehension_scope_does_not_leak():
    x = 'outer'
    ys = [x for x in range(3)]
    return (x, ys)


def case_generator_expression_consumers():
    g = (x * x for x in range(5))
    return (list(g), tuple(x for x in 'ab'), sorted(x % 3 for x in range(7)), set(x % 2 for x in range(7)), ','.join(str(x) for x in range(4)))


# ---- iter() / next() ---------------------------------------------------------------------------


@given([10, 20, 30])
def case_iter_next_over_list(xs):
    it = iter(xs)
    a = next(it)
    b = next(it)
    c = next(it)
    d = next(it, 'done')
    return (a, b, c, d)


@given([10])
def case_next_exhausted_raises_stop_iteration(xs):
    it = iter(xs)
    next(it)
    return next(it)


def case_stop_iteration_caught():
    it = iter('ab')
    out = []
    while True:
        try:
            out.append(next(it))
        except StopIteration:
            out.append('end')
            break
    return out


def case_iter_shared_between_loops():
    it = iter(range(10))
    first = []
    for x in it:
        first.append(x)
        if x == 3:
            break
    rest = list(it)
    return (first, rest)


def case_iter_over_dict_and_str():
    d = {'x': 1, 'y': 2}
    it = iter(d)
    s = iter('hé')
    return (next(it), next(it), next(s), next(s), next(s, None))


def case_iter_int_type_error():
    return iter(5)


def case_for_over_int_type_error():
    total = 0
    for x in 10:
        total += x
    return total


def case_next_on_list_type_error():
    return next([1, 2])


def case_enumerate_zip_combined():
    names = ['ann', 'ben', 'cy']
    scores = [90, 85, 77]
    lines = []
    for rank, (name, score) in enumerate(zip(names, scores), start=1):
        lines.append(str(rank) + '. ' + name + ' ' + str(score))
    return lines


def case_range_negative_step_loop():
    out = []
    for i in range(10, -1, -2):
        out.append(i)
    total = 0
    for i in range(100, 0, -7):
        total += i
    return (out, total)


def case_range_big_step_and_len():
    return (len(range(0, 100, 7)), len(range(100, 0, -7)), len(range(0)), len(range(-5, 5, 3)), list(range(-5, 5, 3)))


def case_mutating_list_while_iterating():
    xs = [1, 2, 3]
    out = []
    for x in xs:
        out.append(x)
        if x < 3 and len(xs) < 6:
            xs.append(x + 10)
    return (out, xs)


def case_set_changed_size_during_iteration_error():
    s = {1, 2, 3}
    for x in s:
        s.add(x + 10)
    return s


def case_iterate_and_print():
    for i, ch in enumerate('ab'):
        print(i, ch)
    for k, v in {'x': 1}.items():
        print(k, '->', v)
    for x in reversed(range(3)):
        print(x, end=' ')
    print()


def case_sorted_dict_items_by_value_then_key():
    d = {'b': 2, 'a': 2, 'c': 1, 'd': 3}
    return [k for k, v in sorted(d.items(), key=lambda kv: (kv[1], kv[0]))]


def case_sum_with_start_and_generator_of_lists():
    return (sum(([i] for i in range(3)), []), sum(range(4), 100))


def case_all_any_with_empty_generators():
    return (all(x > 0 for x in []), any(x > 0 for x in []), min((x for x in []), default='empty'))
