"""Container and string benchmark kernels for shoal.

Every kernel is an ordinary Python function of a size and a seed.  It builds
its own input from the seed with a hand-written LCG (glibc rand() constants),
inside the kernel and so inside the timed region: passing millions of
strings or tuples as arguments would time the encoding of the arguments and
their trip to the node rather than the kernel.  Each kernel returns a tuple of
ints, floats and strings that depends on all of the work.

Unlike bench/kernels.py these kernels use what shoal is still gaining: lists,
dicts, str methods, sorted() with key functions, lambdas, comprehensions and a
small class.  Nothing depends on str hashes or set iteration order, so
CPython, PyPy and shoal must return identical results (floats are summed in
the same order everywhere).  The file must stay valid Python 3.9: bench/run.py
runs it under PyPy (Debian's pypy3 implements 3.9).
"""


# --------------------------------------------------------------------------
# word_frequency: count the words of a generated text.  The text picks words
# from a made-up vocabulary of 1,000 words with a skewed distribution, in
# mixed case, with punctuation attached and spaces, tabs, newlines and " - "
# between words.  The kernel lowercases, splits on whitespace, strips
# punctuation and counts in a dict; it returns the number of distinct words
# and the top 10 (count descending, then word).

def make_vocabulary(count, seed):
    syllables = ("ka", "lo", "mi", "ren", "tu", "sha", "vo", "qui", "zen", "dra",
                 "po", "lix", "bre", "nu", "fa", "gor", "el", "ith", "um", "ya")
    words = []
    seen = {}
    state = seed % 2147483648
    while len(words) < count:
        state = (state * 1103515245 + 12345) % 2147483648
        r = state >> 8
        k = 2 + r % 3
        r = r // 3
        word = ""
        for _ in range(k):
            word += syllables[r % 20]
            r = r // 20
        if word not in seen:
            seen[word] = True
            words.append(word)
    return words


def make_text(n_words, seed):
    # 4,096 decorated tokens ("Word, ", "(word)\n", ...) drawn from the
    # vocabulary with a skewed distribution, then n_words of them picked
    # uniformly: the text is cheap to build, so the counting dominates.
    vocab = make_vocabulary(1000, seed)
    v = len(vocab)
    marks = (",", ".", ";", ":", "!", "?")
    pool = []
    state = (seed * 7 + 3) % 2147483648
    for _ in range(4096):
        state = (state * 1103515245 + 12345) % 2147483648
        r = state >> 4
        a = r % 1000
        b = (r // 1000) % 1000
        d = r // 1000000
        word = vocab[a * b // 1000 % v]
        case = d % 8
        if case == 0:
            word = word.upper()
        elif case < 3:
            word = word.capitalize()
        mark = d // 8
        if mark < 6:
            word = word + marks[mark]
        elif mark == 6:
            word = "(" + word + ")"
        sep = a % 17
        if sep == 0:
            word += "\n"
        elif sep == 1:
            word += " - "
        elif sep == 2:
            word += "\t"
        else:
            word += " "
        pool.append(word)
    parts = []
    for _ in range(n_words):
        state = (state * 1103515245 + 12345) % 2147483648
        parts.append(pool[state >> 19])
    return "".join(parts)


def word_frequency(n_words, seed):
    text = make_text(n_words, seed)
    counts = {}
    for token in text.lower().split():
        word = token.strip(",.;:!?()-")
        if word:
            counts[word] = counts.get(word, 0) + 1
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return (len(counts), tuple(ranked[:10]))


# --------------------------------------------------------------------------
# group_by: n (key, value) records, keys drawn from 200 group names ("east-838"),
# values floats with three decimals; aggregate count/sum/min/max per key in a
# dict of lists and return (key, count, sum, min, max) tuples sorted by key.

def make_group_records(n, seed):
    # up to 65,536 distinct records, repeated to n: cheap to build, so the
    # aggregation dominates.
    regions = ("north", "south", "east", "west", "central")
    names = []
    for i in range(200):
        names.append(f"{regions[i % 5]}-{i * 7919 % 1000:03d}")
    pool = []
    state = seed % 2147483648
    for _ in range(min(n, 65536)):
        state = (state * 1103515245 + 12345) % 2147483648
        key = names[(state >> 8) % 200]
        state = (state * 1103515245 + 12345) % 2147483648
        pool.append((key, ((state >> 4) % 2000001 - 1000000) / 1000.0))
    return pool * (n // len(pool)) + pool[:n % len(pool)]


def group_by(n, seed):
    records = make_group_records(n, seed)
    stats = {}
    for key, value in records:
        s = stats.get(key)
        if s is None:
            stats[key] = [1, value, value, value]
        else:
            s[0] += 1
            s[1] += value
            if value < s[2]:
                s[2] = value
            if value > s[3]:
                s[3] = value
    out = []
    for key in sorted(stats):
        count, total, lo, hi = stats[key]
        out.append((key, count, total, lo, hi))
    return tuple(out)


# --------------------------------------------------------------------------
# records: n Trade instances built from generated tuples; keep the large
# trades outside one symbol, then total their notional, find the largest and
# net the positions per symbol.

class Trade:
    def __init__(self, ident, symbol, side, qty, price):
        self.ident = ident
        self.symbol = symbol
        self.side = side
        self.qty = qty
        self.price = price

    def notional(self):
        return self.qty * self.price

    def signed_qty(self):
        if self.side == "buy":
            return self.qty
        return -self.qty


def make_trade_rows(n, seed):
    symbols = ("ACME", "BOLT", "CRUX", "DYNA", "EPIC", "FLUX",
               "GRID", "HALO", "IONX", "JADE", "KILO", "LUMA")
    rows = []
    state = seed % 2147483648
    for i in range(n):
        state = (state * 1103515245 + 12345) % 2147483648
        r = state >> 4
        symbol = symbols[r % 12]
        side = "buy" if (r >> 4) % 2 == 0 else "sell"
        qty = 1 + (r >> 5) % 500
        state = (state * 1103515245 + 12345) % 2147483648
        price = 10.0 + ((state >> 4) % 100000) / 100.0
        rows.append((i, symbol, side, qty, price))
    return rows


def records(n, seed):
    rows = make_trade_rows(n, seed)
    trades = []
    for ident, symbol, side, qty, price in rows:
        trades.append(Trade(ident, symbol, side, qty, price))
    big = [t for t in trades if t.qty >= 100 and t.symbol != "KILO"]
    total = 0.0
    largest = big[0]
    largest_value = largest.notional()
    position = {}
    for t in big:
        value = t.notional()
        total += value
        if value > largest_value:
            largest = t
            largest_value = value
        position[t.symbol] = position.get(t.symbol, 0) + t.signed_qty()
    return (len(big), total, largest.ident, largest_value, tuple(sorted(position.items())))


# --------------------------------------------------------------------------
# sort_key: n (id, group, score) tuples with many ties; sorted() by
# (group, -id) and list.sort() by score with reverse=True (stable: ties keep
# their original order).  Returns a checksum of each order.

def sort_key(n, seed):
    rows = []
    state = seed % 2147483648
    for i in range(n):
        state = (state * 1103515245 + 12345) % 2147483648
        rows.append((i, (state >> 8) % 1000, ((state >> 4) % 500) / 4.0))
    by_group = sorted(rows, key=lambda r: (r[1], -r[0]))
    rows.sort(key=lambda r: r[2], reverse=True)
    check_group = 0
    for r in by_group:
        check_group = (check_group * 31 + r[0]) % 1000000007
    check_score = 0
    for r in rows:
        check_score = (check_score * 31 + r[0]) % 1000000007
    return (check_group, check_score, by_group[0][0], by_group[-1][0], rows[0][0], rows[-1][0])
