"""Word frequencies with a dict: the same function run on a shoal node and in plain CPython,
which must agree."""

import shoal

WORDS = ("the quick brown fox jumps over the lazy dog while a shoal of fish swims past "
         "the river bank and the dog barks at the fox").split()


def make_text(n, seed):
    """A deterministic text of n words drawn from WORDS with a linear congruential generator."""
    state = seed
    lines = []
    for i in range(n // 10):
        words = []
        for _ in range(10):
            state = (state * 1103515245 + 12345) % 2147483648
            words.append(WORDS[state % len(WORDS)])
        words[0] = words[0].capitalize()
        lines.append(" ".join(words) + ("." if i % 3 else ","))
    return "\n".join(lines)


def word_counts(text):
    counts = {}
    for line in text.splitlines():
        for word in line.split():
            word = word.strip(".,;:!?").lower()
            if word:
                counts[word] = counts.get(word, 0) + 1
    return counts


def top_words(text, k):
    counts = word_counts(text)
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    return ranked[:k], len(counts), sum(counts.values())


with shoal.connect() as cluster:
    text = cluster.submit(make_text, 20_000, 7).result()
    assert text == make_text(20_000, 7)
    top, distinct, total = cluster.submit(top_words, text, 5).result()
    cpython_top, cpython_distinct, cpython_total = top_words(text, 5)
    print(f"{total} words, {distinct} distinct (CPython: {cpython_total}, {cpython_distinct})")
    print("top 5     shoal  CPython")
    for (word, count), (_, cpython_count) in zip(top, cpython_top):
        print(f"  {word:<7} {count:>5}  {cpython_count:>7}")
    assert (top, distinct, total) == (cpython_top, cpython_distinct, cpython_total)
    # the whole dict crosses the wire too, keys in first-seen order as in CPython
    counts = cluster.submit(word_counts, text).result()
    assert list(counts.items()) == list(word_counts(text).items())
    print("shoal and CPython agree")
