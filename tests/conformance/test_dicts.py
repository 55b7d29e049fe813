"""Dicts: literals, comprehensions, lookup, membership, methods, insertion order, equality,
dict(), nesting, KeyError with the key, and counting/grouping idioms."""

from .everyday import check_everyday_case
from .harness import given


def test_case(case, cluster):
    check_everyday_case(case, cluster)


def count_words(text):
    counts = {}
    for w in text.split():
        counts[w] = counts.get(w, 0) + 1
    return counts


def invert(d):
    out = {}
    for k, v in d.items():
        out[v] = k
    return out


def group_by_len(words):
    groups = {}
    for w in words:
        n = len(w)
        if n not in groups:
            groups[n] = []
        groups[n].append(w)
    return groups


def case_dict_literals():
    return ({}, {'a': 1}, {1: 'one', 2: 'two'}, {(1, 2): 'pair', None: 0, True: 'yes', 2.5: [1]}, {'n': {'m': {}}})


def case_dict_literal_duplicate_keys():
    return ({'a': 1, 'b': 2, 'a': 3}, {1: 'int', 1.0: 'float', True: 'bool'})


@given({'x': 1, 'y': 2, 'z': 3})
def case_dict_lookup(d):
    return (d['x'], d['z'], d.get('y'), d.get('w'), d.get('w', 0), len(d))


@given({'x': 1})
def case_dict_missing_key_str(d):
    return d['nope']


@given({1: 'a'})
def case_dict_missing_key_int(d):
    return d[2]


def case_dict_missing_key_tuple():
    d = {(1, 2): 'a'}
    return d[(2, 1)]


def case_dict_missing_key_caught():
    d = {'a': 1}
    try:
        return d['b']
    except KeyError as e:
        return ('caught', str(e), e.args[0])


@given({'a': 1, 'b': 2})
def case_dict_in(d):
    return ('a' in d, 'c' in d, 1 in d, 'c' not in d, 'a' in d.keys(), 1 in d.values(), ('a', 1) in d.items())


def case_dict_int_float_bool_keys_merge():
    d = {}
    d[1] = 'int'
    d[1.0] = 'float'
    d[True] = 'bool'
    d[0] = 'zero'
    d[False] = 'false'
    return (d, len(d), d[1], d[0.0])


@given({'b': 2, 'a': 1, 'c': 3})
def case_dict_keys_values_items_order(d):
    return (list(d.keys()), list(d.values()), list(d.items()), list(d), len(d.keys()))


def case_dict_insertion_order_after_update_and_delete():
    d = {}
    d['z'] = 1
    d['a'] = 2
    d['m'] = 3
    d['z'] = 10
    del d['a']
    d['a'] = 20
    return list(d.items())


def case_dict_iteration_loop():
    d = {'apple': 3, 'pear': 1, 'fig': 7}
    out = []
    for k in d:
        out.append(k + '=' + str(d[k]))
    total = 0
    for k, v in d.items():
        total += v * len(k)
    return (out, total)


def case_dict_equality():
    a = {'x': 1, 'y': 2}
    b = {'y': 2, 'x': 1}
    return (a == b, a != b, a == {'x': 1}, {} == {}, {1: 1} == {1.0: 1}, {'a': [1]} == {'a': [1]}, a == [('x', 1)])


def case_dict_update():
    d = {'a': 1, 'b': 2}
    d.update({'b': 20, 'c': 30})
    d.update([('d', 4), ('a', 100)])
    d.update(e=5)
    d.update({})
    return d


def case_dict_merge_operator():
    a = {'x': 1, 'y': 2}
    b = {'y': 3, 'z': 4}
    c = a | b
    a |= {'w': 0}
    return (c, a, b | a)


@given({'a': 1, 'b': 2, 'c': 3})
def case_dict_pop(d):
    x = d.pop('b')
    y = d.pop('zz', 'default')
    z = d.pop('zz', None)
    return (x, y, z, d)


@given({'a': 1})
def case_dict_pop_missing(d):
    return d.pop('b')


def case_dict_popitem_lifo():
    d = {'a': 1, 'b': 2, 'c': 3}
    first = d.popitem()
    d['d'] = 4
    second = d.popitem()
    third = d.popitem()
    return (first, second, third, d)


def case_dict_popitem_empty():
    d = {}
    return d.popitem()


def case_dict_setdefault():
    d = {'a': 1}
    r1 = d.setdefault('a', 100)
    r2 = d.setdefault('b', 2)
    r3 = d.setdefault('c')
    lst = d.setdefault('list', [])
    lst.append('x')
    d.setdefault('list', []).append('y')
    return (r1, r2, r3, d)


def case_dict_del():
    d = {'a': 1, 'b': 2, 'c': 3}
    del d['b']
    return (d, 'b' in d, len(d))


def case_dict_del_missing():
    d = {'a': 1}
    del d['z']
    return d


def case_dict_constructor_forms():
    return (
        dict(),
        dict(a=1, b=2),
        dict([('x', 1), ('y', 2)]),
        dict({'k': 'v'}),
        dict([('a', 1)], b=2),
        dict(zip('abc', range(3))),
        dict(zip([1, 2, 3], ['one', 'two'])),
    )


def case_dict_constructor_bad_sequence():
    return dict([('a', 1), ('b',)])


def case_dict_fromkeys_and_copy():
    d = dict.fromkeys(['x', 'y', 'z'], 0)
    c = d.copy()
    c['x'] = 99
    e = dict.fromkeys('ab')
    return (d, c, e)


def case_dict_comprehensions():
    return (
        {x: x * x for x in range(5)},
        {k: v for k, v in [('a', 1), ('b', 2), ('a', 3)]},
        {c: i for i, c in enumerate('hello')},
        {x: 'even' if x % 2 == 0 else 'odd' for x in range(4) if x != 2},
        {(i, j): i * j for i in range(3) for j in range(2)},
    )


def case_dict_nested():
    db = {'alice': {'age': 30, 'tags': ['admin']}, 'bob': {'age': 25, 'tags': []}}
    db['bob']['tags'].append('new')
    db['carol'] = {'age': 41, 'tags': ['x', 'y']}
    db['alice']['age'] += 1
    return (db, db['carol']['tags'][1], [db[n]['age'] for n in db])


def case_dict_nested_missing_inner_key():
    db = {'alice': {'age': 30}}
    return db['alice']['height']


def case_dict_unhashable_key_error():
    d = {}
    d[[1]] = 2
    return d


def case_dict_unhashable_lookup_error():
    d = {'a': 1}
    return {'k': 1} in d


@given('the cat and the hat and the bat')
def case_dict_count_words(text):
    return count_words(text)


@given('mississippi')
def case_dict_count_chars_sorted_by_count(s):
    counts = {}
    for ch in s:
        if ch in counts:
            counts[ch] += 1
        else:
            counts[ch] = 1
    ordered = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    return (counts, ordered)


@given(['ant', 'bee', 'cat', 'deer', 'eagle', 'fox', 'goat'])
def case_dict_group_by_length(words):
    return group_by_len(words)


def case_dict_group_sum_by_key():
    rows = [('north', 10), ('south', 5), ('north', 7), ('east', 1), ('south', 2)]
    totals = {}
    counts = {}
    for region, amount in rows:
        totals[region] = totals.get(region, 0) + amount
        counts[region] = counts.get(region, 0) + 1
    avgs = {r: totals[r] / counts[r] for r in totals}
    return (totals, avgs)


@given({'a': 1, 'b': 2, 'c': 3})
def case_dict_invert(d):
    return invert(d)


def case_dict_sorted_by_value_and_key():
    scores = {'amy': 88, 'bob': 95, 'cal': 88, 'dee': 70}
    by_value = sorted(scores, key=scores.get, reverse=True)
    by_key = sorted(scores.items())
    best = max(scores, key=scores.get)
    return (by_value, by_key, best, min(scores.values()), sum(scores.values()))


def case_dict_values_are_lists_aliasing():
    shared = []
    d = {'a': shared, 'b': shared}
    d['a'].append(1)
    d['b'].append(2)
    return (d, shared)


def case_dict_keys_view_live():
    d = {'a': 1}
    ks = d.keys()
    vs = d.values()
    d['b'] = 2
    return (list(ks), list(vs), len(ks))


def case_dict_keys_set_operations():
    a = {'x': 1, 'y': 2, 'z': 3}
    b = {'y': 0, 'w': 0}
    return (sorted(a.keys() & b.keys()), sorted(a.keys() - b.keys()), sorted(a.keys() | b.keys()))


def case_dict_modify_during_iteration_error():
    d = {'a': 1, 'b': 2}
    for k in d:
        d[k + k] = 0
    return d


def case_dict_safe_modify_over_list_copy():
    d = {'a': 1, 'b': 2, 'c': 3}
    for k in list(d):
        if d[k] % 2 == 1:
            del d[k]
        else:
            d[k.upper()] = d[k] * 10
    return d


def case_dict_get_with_tuple_keys_grid():
    grid = {}
    for r in range(3):
        for c in range(3):
            grid[(r, c)] = r * 3 + c
    neighbours = 0
    for dr, dc in [(0, 1), (1, 0), (0, -1), (-1, 0)]:
        neighbours += grid.get((1 + dr, 1 + dc), 0)
    return (neighbours, grid.get((5, 5), -1), len(grid))


def case_dict_str_repr():
    d = {'a': 1, 2: 'b', (3,): [4.0, None], 'q': "it's"}
    print(d)
    return (str(d), repr({}), str({'x': {'y': {}}}))


def case_dict_clear():
    d = {'a': 1, 'b': 2}
    alias = d
    d.clear()
    return (d, alias, len(alias))


def case_dict_bool_and_len():
    return (bool({}), bool({0: 0}), len({}), len({1: 1, 2: 2}), not {})


def case_dict_memo_fib():
    memo = {0: 0, 1: 1}
    for i in range(2, 60):
        memo[i] = memo[i - 1] + memo[i - 2]
    return (memo[59], len(memo), list(memo)[-1])


def case_dict_key_error_message_forms():
    out = []
    for k in ['str', 3, (1, 'a'), None, 2.5]:
        try:
            {}[k]
        except KeyError as e:
            out.append(str(e))
    return out


@given({'x': 1, 'y': 2})
def case_dict_items_unpack_in_comprehension(d):
    return ([k * v for k, v in d.items()], {v: k for k, v in d.items()}, sum(v for v in d.values()))


def case_dict_counting_with_setdefault_list():
    pairs = [('a', 1), ('b', 2), ('a', 3), ('c', 4), ('b', 5)]
    index = {}
    for k, v in pairs:
        index.setdefault(k, []).append(v)
    return index


def case_dict_dict_of_dicts_counter():
    text = 'ab ba ab cd ab dc'
    bigrams = {}
    for w in text.split():
        first = w[0]
        if first not in bigrams:
            bigrams[first] = {}
        inner = bigrams[first]
        inner[w] = inner.get(w, 0) + 1
    return bigrams


def case_dict_get_non_hashable_error():
    d = {}
    return d.get([1, 2])


def case_dict_update_bad_arg_error():
    d = {}
    d.update([1, 2])
    return d


def add_stock(inventory, item, qty):
    inventory[item] = inventory.get(item, 0) + qty
    if inventory[item] <= 0:
        del inventory[item]


def case_dict_mutated_by_helper_visible():
    inv = {'apple': 2}
    add_stock(inv, 'pear', 3)
    add_stock(inv, 'apple', -2)
    add_stock(inv, 'fig', 1)
    add_stock(inv, 'pear', 1)
    return inv


def case_dict_double_star_display():
    a = {'x': 1, 'y': 2}
    b = {'y': 20, 'z': 30}
    return ({**a, **b}, {**b, **a}, {**a, 'x': 0}, {'x': 0, **a})


def case_dict_nested_comprehension_matrix():
    m = {r: {c: r * c for c in range(1, 4)} for r in range(1, 4)}
    diag = [m[i][i] for i in range(1, 4)]
    return (m, diag)


def case_dict_float_values_average():
    temps = {'mon': 20.5, 'tue': 22.25, 'wed': 19.0, 'thu': 23.75}
    avg = sum(temps.values()) / len(temps)
    above = [d for d, t in temps.items() if t > avg]
    return (avg, above, max(temps.values()), round(avg, 1))


def case_dict_len_after_operations():
    d = {}
    sizes = []
    for i in range(10):
        d[i % 4] = i
        sizes.append(len(d))
    del d[0]
    sizes.append(len(d))
    d.pop(1)
    sizes.append(len(d))
    return (sizes, d)
