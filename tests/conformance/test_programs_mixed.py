"""Realistic small programs mixing strings, lists, dicts, sets, classes, generators and
exceptions: text processing, aggregation, parsing and interpreting, graphs, dynamic
programming, simulations and report formatting."""

import math

from .everyday import check_everyday_case
from .harness import given


def test_case(case, cluster):
    check_everyday_case(case, cluster)


TEXT = '''The quick brown fox jumps over the lazy dog. The dog sleeps;
the fox runs! A quick fox, a lazy dog, and the end.'''

SALES_CSV = '''region,product,units,price
north,widget,10,2.50
south,widget,4,2.50
north,gadget,3,10.00
east,widget,7,2.25
south,gizmo,1,99.99
north,widget,5,2.50
east,gadget,2,9.50'''


# ---- 1. word frequency --------------------------------------------------------------------


def normalize_words(text):
    words = []
    current = []
    for ch in text.lower():
        if ch.isalpha() or ch == "'":
            current.append(ch)
        elif current:
            words.append(''.join(current))
            current = []
    if current:
        words.append(''.join(current))
    return words


def case_program_word_frequency():
    words = normalize_words(TEXT)
    freq = {}
    for w in words:
        freq[w] = freq.get(w, 0) + 1
    top = sorted(freq.items(), key=lambda kv: (-kv[1], kv[0]))[:5]
    lines = []
    for word, n in top:
        lines.append(f'{word:<6}{n:>3} {"#" * n}')
    singletons = sorted(w for w, n in freq.items() if n == 1)
    print('\n'.join(lines))
    return (len(words), len(freq), top, singletons[:4])


# ---- 2. group-by aggregation over CSV -----------------------------------------------------


def parse_csv(text):
    lines = text.strip().splitlines()
    header = lines[0].split(',')
    rows = []
    for line in lines[1:]:
        fields = line.split(',')
        row = {}
        for name, value in zip(header, fields):
            row[name] = value
        row['units'] = int(row['units'])
        row['price'] = float(row['price'])
        rows.append(row)
    return rows


def case_program_group_by_region_and_product():
    rows = parse_csv(SALES_CSV)
    by_region = {}
    by_product = {}
    for r in rows:
        revenue = r['units'] * r['price']
        agg = by_region.setdefault(r['region'], {'units': 0, 'revenue': 0.0, 'products': set()})
        agg['units'] += r['units']
        agg['revenue'] += revenue
        agg['products'].add(r['product'])
        by_product[r['product']] = by_product.get(r['product'], 0) + r['units']
    report = []
    for region in sorted(by_region):
        agg = by_region[region]
        report.append('%-6s units=%3d revenue=%8.2f products=%s' % (region, agg['units'], agg['revenue'], ','.join(sorted(agg['products']))))
    best = max(by_product, key=by_product.get)
    return (report, by_product, best)


def case_program_csv_column_stats():
    rows = parse_csv(SALES_CSV)
    prices = [r['price'] for r in rows]
    units = [r['units'] for r in rows]
    mean = sum(prices) / len(prices)
    var = sum((p - mean) ** 2 for p in prices) / len(prices)
    med_units = sorted(units)[len(units) // 2]
    return (round(mean, 4), round(math.sqrt(var), 4), min(units), max(units), med_units, f'{sum(units) / len(units):.3f}')


# ---- 3. records with a small class --------------------------------------------------------


class Employee:
    def __init__(self, name, dept, salary, years):
        self.name = name
        self.dept = dept
        self.salary = salary
        self.years = years

    def raise_pct(self):
        if self.years >= 10:
            return 0.05
        if self.years >= 5:
            return 0.03
        return 0.01

    def give_raise(self):
        self.salary = round(self.salary * (1 + self.raise_pct()), 2)

    def row(self):
        return (self.name, self.dept, self.salary)


def parse_employees(text):
    staff = []
    for line in text.split(';'):
        name, dept, salary, years = [part.strip() for part in line.split('|')]
        staff.append(Employee(name, dept, float(salary), int(years)))
    return staff


@given('ann|eng|120000|12; bob|ops|65000|3; cy|eng|98000|6; dee|ops|71000|11; eve|sales|50000|1')
def case_program_employee_records(text):
    staff = parse_employees(text)
    for e in staff:
        e.give_raise()
    staff.sort(key=lambda e: (e.dept, -e.salary))
    payroll = {}
    for e in staff:
        payroll[e.dept] = payroll.get(e.dept, 0.0) + e.salary
    senior = [e.name for e in staff if e.years >= 10]
    return ([e.row() for e in staff], payroll, senior)


# ---- 4. inventory ---------------------------------------------------------------------------


class OutOfStock(Exception):
    pass


class Inventory:
    def __init__(self):
        self.stock = {}
        self.prices = {}
        self.log = []

    def add(self, item, qty, price):
        self.stock[item] = self.stock.get(item, 0) + qty
        self.prices[item] = price
        self.log.append(('add', item, qty))

    def remove(self, item, qty):
        have = self.stock.get(item, 0)
        if have < qty:
            raise OutOfStock(f'{item}: have {have}, need {qty}')
        self.stock[item] = have - qty
        if self.stock[item] == 0:
            del self.stock[item]
        self.log.append(('remove', item, qty))

    def value(self):
        return sum(q * self.prices[i] for i, q in self.stock.items())

    def report(self):
        lines = []
        for item in sorted(self.stock):
            q = self.stock[item]
            lines.append(f'{item:<8}{q:>4} @ {self.prices[item]:6.2f} = {q * self.prices[item]:8.2f}')
        return lines


def case_program_inventory():
    inv = Inventory()
    inv.add('bolt', 100, 0.25)
    inv.add('nut', 250, 0.1)
    inv.add('gear', 5, 12.5)
    errors = []
    for item, qty in [('bolt', 30), ('gear', 6), ('nut', 250), ('cog', 1), ('gear', 5)]:
        try:
            inv.remove(item, qty)
        except OutOfStock as e:
            errors.append(str(e))
    for line in inv.report():
        print(line)
    return (inv.stock, round(inv.value(), 2), errors, len(inv.log))


# ---- 5. matrices with nested lists ------------------------------------------------------------


def mat_mul(a, b):
    n, m, p = len(a), len(b), len(b[0])
    if len(a[0]) != m:
        raise ValueError('shape mismatch')
    return [[sum(a[i][k] * b[k][j] for k in range(m)) for j in range(p)] for i in range(n)]


def transpose(a):
    return [list(row) for row in zip(*a)]


def determinant(a):
    if len(a) == 1:
        return a[0][0]
    total = 0
    for j in range(len(a)):
        minor = [row[:j] + row[j + 1:] for row in a[1:]]
        total += (-1) ** j * a[0][j] * determinant(minor)
    return total


def identity(n):
    return [[1 if i == j else 0 for j in range(n)] for i in range(n)]


def case_program_matrix_operations():
    a = [[1, 2, 3], [4, 5, 6]]
    b = [[7, 8], [9, 10], [11, 12]]
    c = mat_mul(a, b)
    sq = [[2, -1, 0], [1, 3, 2], [0, 5, -4]]
    power = identity(3)
    for _ in range(3):
        power = mat_mul(power, sq)
    return (c, transpose(a), determinant(sq), determinant(power), power[0], mat_mul(identity(2), c) == c)


def case_program_matrix_shape_error():
    return mat_mul([[1, 2]], [[1, 2]])


def case_program_gaussian_elimination():
    a = [[2.0, 1.0, -1.0], [-3.0, -1.0, 2.0], [-2.0, 1.0, 2.0]]
    b = [8.0, -11.0, -3.0]
    n = len(a)
    m = [a[i][:] + [b[i]] for i in range(n)]
    for col in range(n):
        pivot = max(range(col, n), key=lambda r: abs(m[r][col]))
        m[col], m[pivot] = m[pivot], m[col]
        for r in range(col + 1, n):
            f = m[r][col] / m[col][col]
            for c in range(col, n + 1):
                m[r][c] -= f * m[col][c]
    x = [0.0] * n
    for i in range(n - 1, -1, -1):
        s = m[i][n] - sum(m[i][j] * x[j] for j in range(i + 1, n))
        x[i] = s / m[i][i]
    return [round(v, 9) for v in x]


# ---- 6/7. tokenizer and arithmetic interpreter ------------------------------------------------


def tokenize(src):
    tokens = []
    i = 0
    while i < len(src):
        ch = src[i]
        if ch.isspace():
            i += 1
        elif ch.isdigit() or ch == '.':
            j = i
            while j < len(src) and (src[j].isdigit() or src[j] == '.'):
                j += 1
            text = src[i:j]
            tokens.append(('num', float(text) if '.' in text else int(text)))
            i = j
        elif ch.isalpha() or ch == '_':
            j = i
            while j < len(src) and (src[j].isalnum() or src[j] == '_'):
                j += 1
            tokens.append(('name', src[i:j]))
            i = j
        elif ch in '+-*/()=%^':
            tokens.append(('op', ch))
            i += 1
        else:
            raise ValueError(f'unexpected character {ch!r} at {i}')
    return tokens


class Parser:
    def __init__(self, tokens, env):
        self.tokens = tokens
        self.pos = 0
        self.env = env

    def peek(self):
        if self.pos < len(self.tokens):
            return self.tokens[self.pos]
        return ('end', None)

    def take(self):
        tok = self.peek()
        self.pos += 1
        return tok

    def expect(self, value):
        tok = self.take()
        if tok[1] != value:
            raise ValueError(f'expected {value!r}, got {tok[1]!r}')

    def expr(self):
        value = self.term()
        while self.peek() in (('op', '+'), ('op', '-')):
            op = self.take()[1]
            rhs = self.term()
            value = value + rhs if op == '+' else value - rhs
        return value

    def term(self):
        value = self.factor()
        while self.peek() in (('op', '*'), ('op', '/'), ('op', '%')):
            op = self.take()[1]
            rhs = self.factor()
            if op == '*':
                value = value * rhs
            elif op == '/':
                value = value / rhs
            else:
                value = value % rhs
        return value

    def factor(self):
        base = self.unary()
        if self.peek() == ('op', '^'):
            self.take()
            return base ** self.factor()
        return base

    def unary(self):
        if self.peek() == ('op', '-'):
            self.take()
            return -self.unary()
        return self.atom()

    def atom(self):
        kind, value = self.take()
        if kind == 'num':
            return value
        if kind == 'name':
            if value not in self.env:
                raise NameError(f'undefined variable {value!r}')
            return self.env[value]
        if value == '(':
            v = self.expr()
            self.expect(')')
            return v
        raise ValueError(f'unexpected token {value!r}')


def run_program(lines):
    env = {}
    outputs = []
    for line in lines:
        tokens = tokenize(line)
        if len(tokens) >= 2 and tokens[0][0] == 'name' and tokens[1] == ('op', '='):
            p = Parser(tokens[2:], env)
            env[tokens[0][1]] = p.expr()
        else:
            p = Parser(tokens, env)
            outputs.append(p.expr())
        if p.pos != len(p.tokens):
            raise ValueError('trailing input in ' + repr(line))
    return (env, outputs)


def case_program_tokenizer():
    return (tokenize('x1 = 3.5*(y_2 - 10) % 4'), tokenize(''), [t[1] for t in tokenize('a+b^2')])


def case_program_tokenizer_bad_char():
    return tokenize('1 + $')


def case_program_interpreter():
    lines = ['x = 4', 'y = x * (3 + 2) - 1', 'z = -y / 2', 'y % 7 + 2 ^ 3 ^ 2', 'x * 1.5', '(x + y) * z', '-2 ^ 2']
    env, outputs = run_program(lines)
    return (env, outputs)


def case_program_interpreter_errors():
    results = []
    for src in [['1 +'], ['a + 1'], ['(1 + 2'], ['1 / 0'], ['2 3'], ['q = 5', 'q * q']]:
        try:
            results.append(('ok', run_program(src)[1]))
        except (ValueError, ZeroDivisionError, NameError) as e:
            results.append((type(e).__name__, str(e)))
    return results


# ---- 8/9. graphs ----------------------------------------------------------------------------


def build_graph(edges, directed=False):
    g = {}
    for a, b in edges:
        g.setdefault(a, []).append(b)
        g.setdefault(b, [])
        if not directed:
            g[b].append(a)
    return g


def bfs_path(g, start, goal):
    prev = {start: None}
    queue = [start]
    head = 0
    while head < len(queue):
        node = queue[head]
        head += 1
        if node == goal:
            break
        for nxt in g[node]:
            if nxt not in prev:
                prev[nxt] = node
                queue.append(nxt)
    if goal not in prev:
        return None
    path = []
    node = goal
    while node is not None:
        path.append(node)
        node = prev[node]
    path.reverse()
    return path


def case_program_graph_bfs_shortest_paths():
    edges = [('a', 'b'), ('a', 'c'), ('b', 'd'), ('c', 'd'), ('d', 'e'), ('e', 'f'), ('c', 'f'), ('x', 'y')]
    g = build_graph(edges)
    return (bfs_path(g, 'a', 'f'), bfs_path(g, 'f', 'b'), bfs_path(g, 'a', 'y'), bfs_path(g, 'e', 'e'), sorted(g['d']))


def dfs_order(g, start, seen, order):
    seen.add(start)
    for nxt in g[start]:
        if nxt not in seen:
            dfs_order(g, nxt, seen, order)
    order.append(start)


def topo_sort(g):
    seen = set()
    order = []
    for node in g:
        if node not in seen:
            dfs_order(g, node, seen, order)
    order.reverse()
    return order


def has_cycle(g):
    state = {}

    def visit(n):
        state[n] = 'active'
        for m in g[n]:
            s = state.get(m)
            if s == 'active':
                return True
            if s is None and visit(m):
                return True
        state[n] = 'done'
        return False

    return any(visit(n) for n in g if n not in state)


def case_program_graph_dfs_topological_sort():
    deps = [('shop', 'cook'), ('cook', 'eat'), ('wake', 'shop'), ('wake', 'shower'), ('shower', 'dress'), ('dress', 'shop'), ('eat', 'nap')]
    g = build_graph(deps, directed=True)
    order = topo_sort(g)
    pos = {n: i for i, n in enumerate(order)}
    valid = all(pos[a] < pos[b] for a, b in deps)
    cyclic = build_graph([(1, 2), (2, 3), (3, 1), (3, 4)], directed=True)
    return (order, valid, has_cycle(g), has_cycle(cyclic))


def connected_components(g):
    seen = set()
    comps = []
    for start in g:
        if start in seen:
            continue
        stack = [start]
        comp = []
        seen.add(start)
        while stack:
            n = stack.pop()
            comp.append(n)
            for m in g[n]:
                if m not in seen:
                    seen.add(m)
                    stack.append(m)
        comps.append(sorted(comp))
    return comps


def case_program_graph_components_and_dijkstra():
    g = build_graph([(1, 2), (2, 3), (4, 5), (6, 6), (7, 5)])
    comps = connected_components(g)
    weighted = {'A': {'B': 7, 'C': 9, 'F': 14}, 'B': {'A': 7, 'C': 10, 'D': 15}, 'C': {'A': 9, 'B': 10, 'D': 11, 'F': 2},
                'D': {'B': 15, 'C': 11, 'E': 6}, 'E': {'D': 6, 'F': 9}, 'F': {'A': 14, 'C': 2, 'E': 9}}
    dist = {n: math.inf for n in weighted}
    dist['A'] = 0
    done = set()
    while len(done) < len(weighted):
        node = min((n for n in weighted if n not in done), key=lambda n: dist[n])
        done.add(node)
        for nb, w in weighted[node].items():
            if dist[node] + w < dist[nb]:
                dist[nb] = dist[node] + w
    return (comps, dist)


# ---- 10/11/12. dynamic programming ------------------------------------------------------------


def lcs(a, b):
    table = [[0] * (len(b) + 1) for _ in range(len(a) + 1)]
    for i in range(1, len(a) + 1):
        for j in range(1, len(b) + 1):
            if a[i - 1] == b[j - 1]:
                table[i][j] = table[i - 1][j - 1] + 1
            else:
                table[i][j] = max(table[i - 1][j], table[i][j - 1])
    out = []
    i, j = len(a), len(b)
    while i and j:
        if a[i - 1] == b[j - 1]:
            out.append(a[i - 1])
            i -= 1
            j -= 1
        elif table[i - 1][j] >= table[i][j - 1]:
            i -= 1
        else:
            j -= 1
    return (table[len(a)][len(b)], ''.join(reversed(out)))


def edit_distance(a, b):
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]


def knapsack(items, capacity):
    best = [[0] * (capacity + 1) for _ in range(len(items) + 1)]
    for i, (name, weight, value) in enumerate(items, 1):
        for c in range(capacity + 1):
            best[i][c] = best[i - 1][c]
            if weight <= c and best[i - 1][c - weight] + value > best[i][c]:
                best[i][c] = best[i - 1][c - weight] + value
    chosen = []
    c = capacity
    for i in range(len(items), 0, -1):
        if best[i][c] != best[i - 1][c]:
            chosen.append(items[i - 1][0])
            c -= items[i - 1][1]
    return (best[len(items)][capacity], sorted(chosen))


def case_program_dp_lcs_and_edit_distance():
    pairs = [('ABCBDAB', 'BDCABA'), ('kitten', 'sitting'), ('', 'abc'), ('flaw', 'lawn'), ('héllo', 'hello')]
    return [(lcs(a, b), edit_distance(a, b)) for a, b in pairs]


def case_program_dp_knapsack():
    items = [('map', 9, 150), ('compass', 13, 35), ('water', 153, 200), ('sandwich', 50, 160), ('glucose', 15, 60),
             ('tin', 68, 45), ('banana', 27, 60), ('apple', 39, 40), ('cheese', 23, 30)]
    return (knapsack(items, 200), knapsack(items, 10), knapsack([], 5))


def case_program_dp_coin_change_and_paths():
    coins = [1, 5, 10, 25]
    ways = [1] + [0] * 100
    for c in coins:
        for amt in range(c, 101):
            ways[amt] += ways[amt - c]
    fewest = [0] + [math.inf] * 63
    for amt in range(1, 64):
        for c in [1, 7, 10]:
            if c <= amt and fewest[amt - c] + 1 < fewest[amt]:
                fewest[amt] = fewest[amt - c] + 1
    grid = ['..#.', '....', '.#..', '....']
    paths = [[0] * 4 for _ in range(4)]
    for r in range(4):
        for c in range(4):
            if grid[r][c] == '#':
                continue
            if r == 0 and c == 0:
                paths[r][c] = 1
            else:
                paths[r][c] = (paths[r - 1][c] if r else 0) + (paths[r][c - 1] if c else 0)
    return (ways[100], fewest[14], fewest[63], paths[3][3], paths)


# ---- 13. run-length encoding --------------------------------------------------------------------


def rle_encode(s):
    out = []
    i = 0
    while i < len(s):
        j = i
        while j < len(s) and s[j] == s[i]:
            j += 1
        out.append(f'{j - i}{s[i]}')
        i = j
    return ''.join(out)


def rle_decode(code):
    out = []
    num = ''
    for ch in code:
        if ch.isdigit():
            num += ch
        else:
            if not num:
                raise ValueError(f'missing count before {ch!r}')
            out.append(ch * int(num))
            num = ''
    return ''.join(out)


@given(['WWWWWWWWWWWWBWWWWWWWWWWWWBBBWWWWWWWWWWWWWWWWWWWWWWWWBWWWWWWWWWWWWWW', 'abc', '', 'aabbbcccc', 'ééé'])
def case_program_run_length_encoding(samples):
    results = []
    for s in samples:
        enc = rle_encode(s)
        results.append((enc, rle_decode(enc) == s, len(enc) - len(s)))
    return results


def case_program_run_length_decode_error():
    return rle_decode('3a2b' + 'c')


# ---- 15/16. top-k and histogram -----------------------------------------------------------------


def top_k(scores, k):
    ranked = sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))
    out = []
    for i, (name, s) in enumerate(ranked):
        if i >= k and s != ranked[k - 1][1]:
            break
        out.append((name, s))
    return out


def case_program_top_k_with_ties():
    scores = {'ann': 91, 'bob': 78, 'cy': 91, 'dee': 85, 'eve': 78, 'fay': 60, 'gus': 85}
    return (top_k(scores, 1), top_k(scores, 2), top_k(scores, 4), top_k(scores, 7))


def histogram(values, bins, lo, hi):
    counts = [0] * bins
    width = (hi - lo) / bins
    for v in values:
        if v < lo or v >= hi:
            continue
        counts[int((v - lo) // width)] += 1
    return counts


def case_program_histogram_printout():
    rng = 12345
    values = []
    for _ in range(200):
        rng = (rng * 1103515245 + 12345) % 2147483648
        u1 = (rng >> 8) / 8388608
        rng = (rng * 1103515245 + 12345) % 2147483648
        u2 = (rng >> 8) / 8388608
        values.append((u1 + u2) * 50)
    counts = histogram(values, 10, 0, 100)
    peak = max(counts)
    for i, c in enumerate(counts):
        bar = '*' * round(c * 30 / peak)
        print(f'{i * 10:3d}-{i * 10 + 9:<3d}|{bar:<30}| {c}')
    return (counts, sum(counts))


# ---- more programs --------------------------------------------------------------------------


def to_roman(n):
    table = [(1000, 'M'), (900, 'CM'), (500, 'D'), (400, 'CD'), (100, 'C'), (90, 'XC'), (50, 'L'), (40, 'XL'),
             (10, 'X'), (9, 'IX'), (5, 'V'), (4, 'IV'), (1, 'I')]
    out = ''
    for value, sym in table:
        while n >= value:
            out += sym
            n -= value
    return out


def from_roman(s):
    values = {'I': 1, 'V': 5, 'X': 10, 'L': 50, 'C': 100, 'D': 500, 'M': 1000}
    total = 0
    for i, ch in enumerate(s):
        v = values[ch]
        if i + 1 < len(s) and values[s[i + 1]] > v:
            total -= v
        else:
            total += v
    return total


def case_program_roman_numerals():
    nums = [1, 4, 9, 14, 40, 90, 400, 1994, 2024, 3999]
    romans = [to_roman(n) for n in nums]
    back = [from_roman(r) for r in romans]
    return (romans, back == nums)


def case_program_roman_bad_digit():
    return from_roman('MCMZ')


def life_step(live, rows, cols):
    counts = {}
    for r, c in live:
        for dr in (-1, 0, 1):
            for dc in (-1, 0, 1):
                if dr or dc:
                    key = ((r + dr) % rows, (c + dc) % cols)
                    counts[key] = counts.get(key, 0) + 1
    return {cell for cell, n in counts.items() if n == 3 or (n == 2 and cell in live)}


def render(live, rows, cols):
    return [''.join('#' if (r, c) in live else '.' for c in range(cols)) for r in range(rows)]


def case_program_game_of_life_glider():
    live = {(0, 1), (1, 2), (2, 0), (2, 1), (2, 2)}
    frames = [render(live, 6, 6)]
    for _ in range(4):
        live = life_step(live, 6, 6)
    frames.append(render(live, 6, 6))
    return (frames, sorted(live))


def spiral(m):
    out = []
    top, bottom, left, right = 0, len(m) - 1, 0, len(m[0]) - 1
    while top <= bottom and left <= right:
        for c in range(left, right + 1):
            out.append(m[top][c])
        for r in range(top + 1, bottom + 1):
            out.append(m[r][right])
        if top < bottom:
            for c in range(right - 1, left - 1, -1):
                out.append(m[bottom][c])
        if left < right:
            for r in range(bottom - 1, top, -1):
                out.append(m[r][left])
        top, bottom, left, right = top + 1, bottom - 1, left + 1, right - 1
    return out


def case_program_matrix_spiral():
    m = [[r * 4 + c for c in range(4)] for r in range(3)]
    return (spiral(m), spiral([[1]]), spiral([[1, 2, 3]]), spiral([[1], [2], [3]]))


def case_program_anagram_groups():
    words = ['listen', 'silent', 'enlist', 'google', 'gogole', 'cat', 'act', 'tac', 'dog']
    groups = {}
    for w in words:
        groups.setdefault(''.join(sorted(w)), []).append(w)
    multi = [g for g in groups.values() if len(g) > 1]
    multi.sort(key=lambda g: (-len(g), g[0]))
    return (multi, len(groups))


def parse_ini(text):
    config = {}
    section = None
    for lineno, raw in enumerate(text.splitlines(), 1):
        line = raw.split('#', 1)[0].strip()
        if not line:
            continue
        if line.startswith('[') and line.endswith(']'):
            section = line[1:-1].strip()
            config.setdefault(section, {})
        elif '=' in line:
            if section is None:
                raise ValueError(f'line {lineno}: key outside section')
            key, _, value = line.partition('=')
            value = value.strip()
            if value.isdigit():
                value = int(value)
            elif value.lower() in ('true', 'false'):
                value = value.lower() == 'true'
            config[section][key.strip()] = value
        else:
            raise ValueError(f'line {lineno}: cannot parse {line!r}')
    return config


def case_program_ini_parser():
    text = '''
# settings
[server]
host = example.org
port = 8080   # default
debug = False

[paths]
root=/srv/www
[server]
workers = 4
'''
    cfg = parse_ini(text)
    errors = []
    for bad in ['x = 1', '[a]\njunk line']:
        try:
            parse_ini(bad)
        except ValueError as e:
            errors.append(str(e))
    return (cfg, errors)


class LRUCache:
    def __init__(self, capacity):
        self.capacity = capacity
        self.data = {}
        self.hits = 0
        self.misses = 0

    def get(self, key):
        if key in self.data:
            value = self.data.pop(key)
            self.data[key] = value
            self.hits += 1
            return value
        self.misses += 1
        return None

    def put(self, key, value):
        if key in self.data:
            self.data.pop(key)
        elif len(self.data) >= self.capacity:
            oldest = next(iter(self.data))
            del self.data[oldest]
        self.data[key] = value


def case_program_lru_cache():
    cache = LRUCache(3)
    trace = []
    for op in ['p1', 'p2', 'p3', 'g1', 'p4', 'g2', 'g3', 'p5', 'g1', 'g4', 'g5']:
        key = int(op[1])
        if op[0] == 'p':
            cache.put(key, key * 100)
        else:
            trace.append(cache.get(key))
    return (trace, list(cache.data), cache.hits, cache.misses)


def merge_intervals(intervals):
    out = []
    for start, end in sorted(intervals):
        if out and start <= out[-1][1]:
            out[-1][1] = max(out[-1][1], end)
        else:
            out.append([start, end])
    return out


def case_program_merge_intervals_and_free_time():
    busy = [(9, 10), (13, 15), (9, 11), (14, 16), (18, 19), (10, 12)]
    merged = merge_intervals(busy)
    free = []
    prev_end = 8
    for s, e in merged:
        if s > prev_end:
            free.append((prev_end, s))
        prev_end = e
    if prev_end < 20:
        free.append((prev_end, 20))
    return (merged, free, sum(e - s for s, e in free))


def caesar(text, shift):
    out = []
    for ch in text:
        if 'a' <= ch <= 'z':
            out.append(chr((ord(ch) - 97 + shift) % 26 + 97))
        elif 'A' <= ch <= 'Z':
            out.append(chr((ord(ch) - 65 + shift) % 26 + 65))
        else:
            out.append(ch)
    return ''.join(out)


def case_program_caesar_crack_by_frequency():
    secret = caesar('Meet me near the eastern gate at seven, bring the keys.', 11)
    best = None
    for shift in range(26):
        candidate = caesar(secret, -shift)
        score = sum(candidate.lower().count(c) for c in 'etaoin')
        if best is None or score > best[0]:
            best = (score, shift, candidate)
    return (secret, best[1], best[2])


def factorize(n):
    factors = {}
    d = 2
    while d * d <= n:
        while n % d == 0:
            factors[d] = factors.get(d, 0) + 1
            n //= d
        d += 1
    if n > 1:
        factors[n] = factors.get(n, 0) + 1
    return factors


def case_program_factor_table():
    lines = []
    for n in [12, 97, 360, 1001, 65536, 999999]:
        f = factorize(n)
        text = ' * '.join(f'{p}^{e}' if e > 1 else str(p) for p, e in f.items())
        divisors = 1
        for e in f.values():
            divisors *= e + 1
        lines.append(f'{n:>7} = {text:<20} ({divisors} divisors)')
    print('\n'.join(lines))
    return len(lines)


def wrap(text, width):
    lines = []
    line = []
    length = 0
    for word in text.split():
        if line and length + 1 + len(word) > width:
            lines.append(' '.join(line))
            line = []
            length = 0
        length += len(word) + (1 if line else 0)
        line.append(word)
    if line:
        lines.append(' '.join(line))
    return lines


def case_program_text_wrap_and_justify():
    lines = wrap(TEXT, 24)
    justified = []
    for line in lines[:-1]:
        words = line.split()
        gaps = len(words) - 1
        spaces = 24 - sum(len(w) for w in words)
        if gaps == 0:
            justified.append(words[0].ljust(24))
            continue
        out = ''
        for i, w in enumerate(words[:-1]):
            out += w + ' ' * (spaces // gaps + (1 if i < spaces % gaps else 0))
        justified.append(out + words[-1])
    justified.append(lines[-1].ljust(24))
    for j in justified:
        print('|' + j + '|')
    return [len(j) for j in justified]


def count_queens(n):
    cols = set()
    diag1 = set()
    diag2 = set()

    def place(row):
        if row == n:
            return 1
        total = 0
        for c in range(n):
            if c in cols or row - c in diag1 or row + c in diag2:
                continue
            cols.add(c)
            diag1.add(row - c)
            diag2.add(row + c)
            total += place(row + 1)
            cols.remove(c)
            diag1.remove(row - c)
            diag2.remove(row + c)
        return total

    return place(0)


def case_program_n_queens_counts():
    return [count_queens(n) for n in range(1, 8)]


def pretty(value, indent=0):
    pad = '  ' * indent
    if isinstance(value, dict):
        if not value:
            return '{}'
        parts = [pad + '  ' + repr(k) + ': ' + pretty(v, indent + 1) for k, v in value.items()]
        return '{\n' + ',\n'.join(parts) + '\n' + pad + '}'
    if isinstance(value, list):
        if all(not isinstance(v, (list, dict)) for v in value):
            return '[' + ', '.join(repr(v) for v in value) + ']'
        parts = [pad + '  ' + pretty(v, indent + 1) for v in value]
        return '[\n' + ',\n'.join(parts) + '\n' + pad + ']'
    return repr(value)


def case_program_pretty_printer():
    doc = {'name': 'shoal', 'version': (1, 2), 'tags': ['fast', 'python'], 'deps': [{'name': 'llvm', 'opt': False}, {'name': 'gmp', 'pins': []}],
           'empty': {}, 'ratio': 0.75}
    text = pretty(doc)
    print(text)
    return len(text.splitlines())


class Die:
    def __init__(self, seed):
        self.state = seed

    def roll(self):
        self.state = (self.state * 6364136223846793005 + 1442695040888963407) % 18446744073709551616
        return (self.state >> 33) % 6 + 1


def play_pig(seed, target):
    die = Die(seed)
    scores = [0, 0]
    player = 0
    turns = 0
    while max(scores) < target:
        turn_total = 0
        while turn_total < 20:
            r = die.roll()
            if r == 1:
                turn_total = 0
                break
            turn_total += r
        scores[player] += turn_total
        player = 1 - player
        turns += 1
    return (scores, turns, 0 if scores[0] >= target else 1)


def case_program_dice_game_simulation():
    results = [play_pig(seed, 100) for seed in range(1, 6)]
    wins = [0, 0]
    for _, _, winner in results:
        wins[winner] += 1
    return (results, wins)


def case_program_bank_ledger_with_errors():
    ledger = 'open:ann:100;open:bob:50;move:ann:bob:30;move:bob:cy:10;move:bob:ann:500;close:ann;move:ann:bob:1;open:bob:5'
    accounts = {}
    errors = []
    for step, cmd in enumerate(ledger.split(';')):
        parts = cmd.split(':')
        try:
            if parts[0] == 'open':
                if parts[1] in accounts:
                    raise ValueError(f'{parts[1]} already open')
                accounts[parts[1]] = int(parts[2])
            elif parts[0] == 'move':
                src, dst, amount = parts[1], parts[2], int(parts[3])
                if accounts[src] < amount:
                    raise ValueError(f'{src} cannot pay {amount}')
                accounts[dst] += amount
                accounts[src] -= amount
            elif parts[0] == 'close':
                del accounts[parts[1]]
        except KeyError as e:
            errors.append((step, 'no account ' + str(e)))
        except ValueError as e:
            errors.append((step, str(e)))
    return (accounts, errors)
