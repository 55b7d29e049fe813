"""Mutation and aliasing: shared references, mutation through function arguments, += in place
versus rebinding, default-argument lists, nested mutation, del, copies versus aliases, and
stateful objects (an LCG random generator, a stack, a queue, counters)."""

from .everyday import check_everyday_case
from .harness import given


def test_case(case, cluster):
    check_everyday_case(case, cluster)


class LCG:
    """Linear congruential generator (glibc constants); deterministic, no random module."""

    def __init__(self, seed):
        self.state = seed

    def next_int(self):
        self.state = (self.state * 1103515245 + 12345) % 2147483648
        return self.state

    def randrange(self, n):
        return (self.next_int() >> 16) % n

    def random(self):
        return self.next_int() / 2147483648

    def shuffle(self, xs):
        i = len(xs) - 1
        while i > 0:
            j = self.randrange(i + 1)
            xs[i], xs[j] = xs[j], xs[i]
            i -= 1

    def choice(self, xs):
        return xs[self.randrange(len(xs))]


class Stack:
    def __init__(self):
        self.items = []

    def push(self, x):
        self.items.append(x)

    def pop(self):
        return self.items.pop()

    def is_empty(self):
        return len(self.items) == 0


class Queue:
    def __init__(self):
        self.inbox = []
        self.outbox = []

    def put(self, x):
        self.inbox.append(x)

    def get(self):
        if not self.outbox:
            while self.inbox:
                self.outbox.append(self.inbox.pop())
        return self.outbox.pop()

    def __len__(self):
        return len(self.inbox) + len(self.outbox)


class Tally:
    def __init__(self):
        self.counts = {}

    def add(self, key, n=1):
        self.counts[key] = self.counts.get(key, 0) + n

    def most_common(self, k):
        return sorted(self.counts.items(), key=lambda kv: (-kv[1], kv[0]))[:k]


class Holder:
    def __init__(self, items):
        self.items = items


def append_one(xs):
    xs.append(1)


def rebind(xs):
    xs = [99]
    return xs


def extend_in_place(xs, ys):
    xs += ys
    return xs


def add_key(d, k, v):
    d[k] = v


def reset(xs):
    xs[:] = []


def doubled_copy(xs):
    out = xs[:]
    for i in range(len(out)):
        out[i] *= 2
    return out


def double_in_place(xs):
    for i in range(len(xs)):
        xs[i] *= 2


def deep_copy(x):
    if isinstance(x, list):
        return [deep_copy(v) for v in x]
    if isinstance(x, dict):
        return {k: deep_copy(v) for k, v in x.items()}
    return x


# ---- aliasing --------------------------------------------------------------------------------


def case_alias_append_visible():
    a = [1, 2]
    b = a
    b.append(3)
    return (a, b, a is b)


def case_alias_rebinding_breaks_link():
    a = [1, 2]
    b = a
    b = b + [3]
    return (a, b, a is b)


def case_iadd_is_in_place_for_lists():
    a = [1, 2]
    b = a
    b += [3]
    return (a, b, a is b)


def case_iadd_rebinds_for_tuples_and_strings():
    t = (1, 2)
    u = t
    u += (3,)
    s = 'ab'
    r = s
    r += 'c'
    return (t, u, s, r)


def case_iadd_list_with_any_iterable():
    a = [1]
    a += 'xy'
    a += range(2)
    a += (None,)
    return a


def case_list_plus_str_error_vs_iadd():
    a = [1]
    a = a + 'xy'
    return a


def case_mutation_through_function_argument():
    xs = [0]
    append_one(xs)
    append_one(xs)
    ys = rebind(xs)
    return (xs, ys)


def case_extend_in_place_through_helper():
    a = [1]
    b = extend_in_place(a, [2, 3])
    return (a, b, a is b)


def case_dict_mutated_through_helper():
    d = {}
    add_key(d, 'a', 1)
    add_key(d, 'b', [2])
    d['b'].append(3)
    return d


def case_slice_assignment_clears_for_all_aliases():
    a = [1, 2, 3]
    b = a
    reset(a)
    return (a, b)


def case_copy_vs_in_place_helpers():
    xs = [1, 2, 3]
    ys = doubled_copy(xs)
    double_in_place(xs)
    double_in_place(xs)
    return (xs, ys)


def case_lists_inside_dict_alias():
    row = [0, 0]
    d = {'a': row, 'b': row}
    d['a'][0] = 5
    d['c'] = row[:]
    d['c'][1] = 7
    return (d, row)


def case_dict_alias_and_copy():
    a = {'x': [1]}
    b = a
    c = a.copy()
    b['y'] = 2
    c['z'] = 3
    c['x'].append(2)
    return (a, b, c)


def case_list_of_lists_shallow_copy():
    grid = [[1, 2], [3, 4]]
    shallow = grid[:]
    deep = [row[:] for row in grid]
    grid[0][0] = 'X'
    shallow.append([5])
    return (grid, shallow, deep)


def case_deep_copy_helper_independent():
    original = {'a': [1, [2, 3]], 'b': {'c': [4]}}
    clone = deep_copy(original)
    clone['a'][1].append(99)
    clone['b']['c'][0] = 0
    return (original, clone, original == clone)


def case_object_attribute_list_shared():
    shared = [1]
    h1 = Holder(shared)
    h2 = Holder(shared)
    h1.items.append(2)
    h2.items = h2.items + [3]
    return (shared, h1.items, h2.items)


def case_same_list_appended_twice():
    row = []
    table = [row, row]
    row.append('x')
    table[1].append('y')
    return (table, len(row))


def case_list_multiplication_aliases_inner_lists():
    grid = [[]] * 3
    grid[0].append(1)
    safe = [[] for _ in range(3)]
    safe[0].append(1)
    return (grid, safe)


def case_loop_variable_rebinding_does_not_mutate():
    xs = [1, 2, 3]
    for x in xs:
        x = x * 10
    return xs


def case_loop_over_inner_lists_mutates():
    rows = [[1], [2], [3]]
    for r in rows:
        r.append(r[0] * 10)
    return rows


# ---- default arguments -----------------------------------------------------------------------


def case_default_list_accumulates_across_calls():
    def record(x, log=[]):
        log.append(x)
        return len(log)

    return (record('a'), record('b'), record('c', []), record('d'))


def case_default_dict_cache():
    def cached_square(n, cache={}):
        if n in cache:
            return ('hit', cache[n])
        cache[n] = n * n
        return ('miss', cache[n])

    return [cached_square(k) for k in [2, 3, 2, 2, 4, 3]]


# ---- accumulating in loops -------------------------------------------------------------------


def case_accumulate_rows_with_fresh_lists():
    rows = []
    for i in range(3):
        row = []
        for j in range(3):
            row.append(i * 3 + j)
        rows.append(row)
    return rows


def case_accumulate_reusing_same_list_pitfall():
    rows = []
    row = []
    for i in range(3):
        row.append(i)
        rows.append(row)
    return rows


def case_accumulate_copy_snapshots():
    snapshots = []
    state = []
    for i in range(4):
        state.append(i)
        snapshots.append(state[:])
    return snapshots


def case_rebuild_vs_in_place_filter():
    xs = [1, 2, 3, 4, 5, 6]
    alias = xs
    xs = [x for x in xs if x % 2 == 0]
    ys = [1, 2, 3, 4, 5, 6]
    yalias = ys
    ys[:] = [y for y in ys if y % 2 == 0]
    return (xs, alias, ys, yalias)


def case_swap_elements_in_place():
    xs = [1, 2, 3, 4]
    xs[0], xs[-1] = xs[-1], xs[0]
    xs[1], xs[2] = xs[2], xs[1]
    return xs


def case_augmented_assignment_on_items():
    counts = [0, 0, 0]
    d = {'a': 1}
    for i in [0, 2, 2, 1, 2]:
        counts[i] += 1
    d['a'] += 10
    d['a'] *= 2
    m = [[1, 2], [3, 4]]
    m[1][0] -= 5
    return (counts, d, m)


# ---- del -------------------------------------------------------------------------------------


def case_del_name_then_use_error():
    x = [1]
    del x
    return x


def case_del_items_and_alias():
    a = [0, 1, 2, 3, 4]
    b = a
    del a[1]
    del b[-1]
    d = {'k': a}
    del d['k'][0]
    return (a, b, d)


def case_del_name_keeps_other_reference():
    a = [1, 2]
    b = a
    del a
    b.append(3)
    return b


# ---- stateful objects ------------------------------------------------------------------------


@given(42)
def case_lcg_sequence(seed):
    rng = LCG(seed)
    return [rng.next_int() for _ in range(5)]


@given(7)
def case_lcg_dice_histogram(seed):
    rng = LCG(seed)
    hist = [0] * 6
    for _ in range(600):
        hist[rng.randrange(6)] += 1
    return (hist, sum(hist), rng.state)


@given(2024)
def case_lcg_shuffle_and_choice(seed):
    rng = LCG(seed)
    deck = list(range(10))
    rng.shuffle(deck)
    picks = [rng.choice('abcde') for _ in range(8)]
    return (deck, sorted(deck) == list(range(10)), picks)


@given(1)
def case_lcg_monte_carlo_pi(seed):
    rng = LCG(seed)
    inside = 0
    n = 2000
    for _ in range(n):
        x = rng.random()
        y = rng.random()
        if x * x + y * y <= 1.0:
            inside += 1
    return (inside, 4 * inside / n)


@given(99)
def case_lcg_random_walk(seed):
    rng = LCG(seed)
    pos = 0
    visited = {0: 1}
    for _ in range(200):
        pos += 1 if rng.randrange(2) else -1
        visited[pos] = visited.get(pos, 0) + 1
    return (pos, min(visited), max(visited), visited[0])


def case_two_lcgs_independent_state():
    a = LCG(1)
    b = LCG(1)
    xs = [a.next_int(), a.next_int()]
    ys = [b.next_int()]
    return (xs, ys, a.state == b.state)


def case_stack_class_reverse_words():
    s = Stack()
    for w in 'one two three four'.split():
        s.push(w)
    out = []
    while not s.is_empty():
        out.append(s.pop())
    return out


def case_queue_class_fifo_order():
    q = Queue()
    out = []
    for i in range(3):
        q.put(i)
    out.append(q.get())
    q.put(10)
    q.put(11)
    while len(q):
        out.append(q.get())
    return out


def case_queue_get_empty_error():
    q = Queue()
    q.put(1)
    q.get()
    return q.get()


def case_tally_counts_in_dict():
    t = Tally()
    for word in 'a b a c b a d'.split():
        t.add(word)
    t.add('z', 5)
    return (t.counts, t.most_common(2))


def case_stack_shared_between_objects():
    s = Stack()
    alias = s
    s.push(1)
    alias.push(2)
    items_ref = s.items
    items_ref.append(3)
    return (s.items, alias.pop(), len(items_ref))


def case_bfs_queue_with_list_pop0():
    graph = {1: [2, 3], 2: [4], 3: [4, 5], 4: [6], 5: [6], 6: []}
    queue = [1]
    order = []
    seen = {1}
    while queue:
        node = queue.pop(0)
        order.append(node)
        for nxt in graph[node]:
            if nxt not in seen:
                seen.add(nxt)
                queue.append(nxt)
    return order


def case_mutating_set_through_alias():
    a = {1, 2}
    b = a
    b.add(3)
    b -= {1}
    c = a | {9}
    return (a, b, c, a is b)


def case_tuple_containing_list_is_mutable_inside():
    t = ([1], 2)
    t[0].append(3)
    return t


def case_tuple_item_iadd_error_but_mutates():
    t = ([1], 2)
    try:
        t[0] += [2]
    except TypeError as e:
        return (t, str(e))
    return (t, 'no error')


def case_closure_mutates_captured_list():
    log = []

    def emit(x):
        log.append(x)

    for i in range(3):
        emit(i * i)
    return log


def case_nested_structure_update_by_path():
    config = {'db': {'hosts': ['a'], 'port': 1}, 'debug': False}
    config['db']['hosts'].append('b')
    config['db']['port'] += 1
    hosts = config['db']['hosts']
    hosts.insert(0, 'primary')
    config['debug'] = not config['debug']
    return config


def case_sort_in_place_vs_sorted_with_alias():
    a = [3, 1, 2]
    b = a
    c = sorted(a)
    b.sort(reverse=True)
    return (a, b, c, c is a)


def case_matrix_row_swap_and_scale_in_place():
    m = [[0, 2, 4], [1, 1, 1], [3, 0, 3]]
    first = m[0]
    m[0], m[1] = m[1], m[0]
    for j in range(3):
        m[2][j] = m[2][j] * 2 - m[0][j]
    first.append('moved')
    return (m, first is m[1])
