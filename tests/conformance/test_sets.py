"""Sets and frozensets: literals, comprehensions, mutation methods, algebra, subset tests,
set(), membership, len, iteration order of small-int sets (str sets only through sorted())."""

from .everyday import check_everyday_case
from .harness import given


def test_case(case, cluster):
    check_everyday_case(case, cluster)


def unique_in_order(xs):
    seen = set()
    out = []
    for x in xs:
        if x not in seen:
            seen.add(x)
            out.append(x)
    return out


def case_set_literals():
    return ({1, 2, 3}, {1, 1, 2}, {'a', 'b'}, {(1, 2), (2, 1)}, {1, 1.0, True}, set(), {None, 0})


def case_set_literal_len_dedup():
    return (len({1, 1, 2, 2, 3}), len({'x', 'x'}), len(set()), len({1, 1.0, True, 2}))


@given([3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5])
def case_set_from_list(xs):
    s = set(xs)
    return (s, len(s), sorted(s), sorted(s, reverse=True))


def case_set_from_str_sorted():
    s = set('mississippi')
    return (sorted(s), len(s), 'm' in s, 'z' in s)


def case_set_comprehensions():
    return ({x % 5 for x in range(20)}, {c.lower() for c in 'AbBa'}, {x * y for x in range(3) for y in range(3) if x != y})


def case_set_add_discard_remove():
    s = {1, 2}
    s.add(3)
    s.add(2)
    s.discard(1)
    s.discard(100)
    s.remove(3)
    return s


def case_set_remove_missing_int():
    s = {1, 2}
    s.remove(5)
    return s


def case_set_remove_missing_str():
    s = {'a'}
    s.remove('b')
    return s


def case_set_pop_small_ints_order():
    s = {5, 3, 1, 4}
    out = []
    while s:
        out.append(s.pop())
    return out


def case_set_pop_empty():
    s = set()
    return s.pop()


def case_set_union_intersection_difference_symmetric():
    a = {1, 2, 3, 4}
    b = {3, 4, 5, 6}
    return (a | b, a & b, a - b, b - a, a ^ b, a | set(), a & set())


def case_set_methods_algebra():
    a = {1, 2, 3}
    return (a.union([3, 4], (5,)), a.intersection(range(2, 10)), a.difference([1]), a.symmetric_difference({3, 9}), a)


def case_set_inplace_operators():
    a = {1, 2, 3}
    alias = a
    a |= {4}
    a &= {2, 3, 4, 5}
    a -= {3}
    a ^= {4, 7}
    return (a, alias, a is alias)


def case_set_update_methods():
    s = {1}
    s.update([2, 3], {4})
    s.intersection_update({1, 2, 3, 10})
    s.difference_update([1])
    s.symmetric_difference_update({3, 8})
    return s


def case_set_subset_comparisons():
    a = {1, 2}
    b = {1, 2, 3}
    return (a <= b, a < b, b >= a, b > a, a < a, a <= a, a == {2, 1}, a != b, a.issubset(b), b.issuperset(a), a.isdisjoint({5}), {1} > set())


def case_set_incomparable_sets():
    a = {1, 2}
    b = {2, 3}
    return (a < b, a > b, a <= b, a >= b, a == b)


def case_set_operator_with_list_error():
    return {1, 2} | [3]


def case_set_unhashable_element_error():
    return {1, [2]}


def case_set_add_unhashable_error():
    s = set()
    s.add({'a': 1})
    return s


def case_set_membership():
    s = {1, 2, 3}
    fs = frozenset(['a', 'b'])
    return (1 in s, 4 in s, 4 not in s, 1.0 in s, True in s, 'a' in fs, (1, 2) in {(1, 2)})


def case_set_membership_unhashable_error():
    s = {1}
    return [1] in s


def case_frozenset_basics():
    fs = frozenset([3, 1, 2, 3])
    return (fs, len(fs), 2 in fs, fs | {9}, fs & {1, 9}, frozenset(), frozenset('aa'), sorted(fs))


def case_frozenset_hashable_as_key():
    d = {frozenset([1, 2]): 'a', frozenset([2, 3]): 'b'}
    s = {frozenset([1]), frozenset([1]), frozenset()}
    return (d[frozenset([2, 1])], len(s), frozenset([1, 2]) in d)


def case_frozenset_equality_with_set():
    return (frozenset([1, 2]) == {1, 2}, {1, 2} == frozenset([2, 1]), type({1} | frozenset([2])) is set, type(frozenset([2]) | {1}) is frozenset)


def case_frozenset_has_no_add():
    fs = frozenset([1])
    return fs.add(2)


def case_set_iteration_small_ints():
    s = {7, 3, 9, 1, 5}
    out = []
    for x in s:
        out.append(x * 10)
    return out


def case_set_iteration_after_removals():
    s = set(range(10))
    for x in [2, 4, 6, 8]:
        s.discard(x)
    s.add(12)
    s.add(20)
    return list(s)


def case_set_print_small_ints():
    print({3, 1, 2})
    print(set())
    print(frozenset({2, 1}))
    print(sorted({'b', 'a'}))


def case_set_list_sorted_str_set():
    words = 'the quick the lazy dog the end quick'.split()
    s = set(words)
    return (sorted(s), len(s), sorted(sorted(s), key=len))


@given([3, 1, 3, 2, 1, 4])
def case_set_unique_in_order(xs):
    return unique_in_order(xs)


def case_set_dedupe_strings_keep_order():
    return unique_in_order(['b', 'a', 'b', 'c', 'a'])


def case_set_common_letters():
    a = set('hello world')
    b = set('lower bound')
    return (sorted(a & b), sorted(a - b), sorted(b - a), len(a ^ b))


def case_set_copy_and_clear():
    s = {1, 2, 3}
    c = s.copy()
    alias = s
    s.clear()
    return (s, c, alias)


def case_set_bool_len():
    return (bool(set()), bool({0}), len(set()), not set(), len({()}))


def case_set_of_tuples_visited():
    visited = set()
    x, y = 0, 0
    path = 'NNEESSWWNE'
    for step in path:
        if step == 'N':
            y += 1
        elif step == 'S':
            y -= 1
        elif step == 'E':
            x += 1
        else:
            x -= 1
        visited.add((x, y))
    return (len(visited), (0, 0) in visited, (1, 1) in visited, sorted(visited))


def case_set_sum_min_max():
    s = {4, 8, 15, 16, 23, 42}
    return (sum(s), min(s), max(s), sorted(s)[2], len(s))


def case_set_disjoint_and_any():
    groups = [{1, 2}, {3, 4}, {2, 5}]
    pairs = []
    for i in range(len(groups)):
        for j in range(i + 1, len(groups)):
            pairs.append((i, j, groups[i].isdisjoint(groups[j])))
    return pairs


def case_set_equality_and_ordering_types():
    return ({1, 2} == {2, 1}, {1} == [1], set() == frozenset(), {1, 2} != {1, 2, 3})


def case_set_comprehension_from_dict():
    d = {'a': 1, 'b': 2, 'c': 1}
    return ({v for v in d.values()}, sorted({k for k, v in d.items() if v == 1}))


def case_set_symmetric_difference_chain():
    s = set()
    for x in [1, 2, 3, 2, 1, 4]:
        s ^= {x}
    return s


def case_set_primes_sieve():
    n = 50
    composite = set()
    for i in range(2, n):
        if i not in composite:
            for j in range(i * i, n, i):
                composite.add(j)
    return sorted(set(range(2, n)) - composite)


def case_set_difference_method_not_in_place():
    a = {1, 2, 3}
    b = a.difference({1})
    c = a - {2}
    return (a, b, c)


def case_set_index_type_error():
    s = {1, 2}
    return s[0]


def case_set_unpack_two_ints():
    a, b = {2, 1}
    return (a, b)
