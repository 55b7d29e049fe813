"""Generators: generator functions (finite and infinite), yield in loops and conditions,
consumption by for/list/sum/zip/next, interleaved printing, return in a generator,
generator expressions, and StopIteration from an exhausted generator."""

from .everyday import check_everyday_case
from .harness import given


def test_case(case, cluster):
    check_everyday_case(case, cluster)


def count_up(n):
    i = 0
    while i < n:
        yield i
        i += 1


def naturals(start):
    n = start
    while True:
        yield n
        n += 1


def fib():
    a, b = 0, 1
    while True:
        yield a
        a, b = b, a + b


def evens_of(xs):
    for x in xs:
        if x % 2 == 0:
            yield x


def chatty(n):
    print('start')
    for i in range(n):
        print('yield', i)
        yield i
        print('resume', i)
    print('end')


def first_then_return(xs):
    for x in xs:
        if x < 0:
            return
        yield x


def three_values():
    yield 'a'
    yield 'b'
    yield 'c'


def squares_gen(xs):
    for x in xs:
        yield x * x


def take(gen, n):
    out = []
    for x in gen:
        if len(out) >= n:
            break
        out.append(x)
    return out


def pairs_gen(n):
    for i in range(n):
        for j in range(i + 1, n):
            yield (i, j)


def words_gen(text):
    word = ''
    for ch in text:
        if ch == ' ':
            if word:
                yield word
            word = ''
        else:
            word += ch
    if word:
        yield word


def running_total(xs):
    total = 0
    for x in xs:
        total += x
        yield total


def collatz(n):
    while n != 1:
        yield n
        if n % 2 == 0:
            n = n // 2
        else:
            n = 3 * n + 1
    yield 1


def gen_with_return_value():
    yield 1
    yield 2
    return 'finished'


def raising_gen():
    yield 1
    raise ValueError('generator failed')


def chunks(xs, size):
    for i in range(0, len(xs), size):
        yield xs[i:i + size]


def gen_yield_in_try_finally():
    try:
        yield 1
        yield 2
    finally:
        print('cleanup')


def interleave(a, b):
    ia = iter(a)
    ib = iter(b)
    while True:
        try:
            yield next(ia)
        except StopIteration:
            break
        try:
            yield next(ib)
        except StopIteration:
            break


def empty_gen():
    return
    yield 0


def case_generator_to_list():
    return (list(count_up(5)), list(count_up(0)), list(three_values()))


def case_generator_in_for_loop():
    out = []
    for x in count_up(4):
        out.append(x * 10)
    return out


def case_generator_sum_and_max():
    return (sum(count_up(101)), max(squares_gen([3, -7, 2])), min(count_up(3)))


def case_generator_infinite_with_break():
    out = []
    for n in naturals(5):
        if n > 9:
            break
        out.append(n)
    return out


def case_generator_fibonacci_take():
    return take(fib(), 15)


def case_generator_zip_with_infinite():
    return list(zip('abcd', naturals(1)))


def case_generator_yield_in_condition():
    return list(evens_of([1, 2, 3, 4, 5, 6, 8, 11]))


def case_generator_print_interleaving():
    out = []
    for x in chatty(3):
        print('got', x)
        out.append(x)
    return out


def case_generator_print_interleaving_list():
    return list(chatty(2))


def case_generator_lazy_no_body_until_next():
    g = chatty(2)
    print('created')
    first = next(g)
    print('after first')
    return first


def case_generator_return_stops_iteration():
    return (list(first_then_return([1, 2, -1, 3])), list(first_then_return([])), list(first_then_return([-5, 1])))


def case_generator_next_manual():
    g = three_values()
    return (next(g), next(g), next(g), next(g, 'exhausted'))


def case_generator_next_exhausted_raises():
    g = three_values()
    next(g)
    next(g)
    next(g)
    return next(g)


def case_generator_return_value_in_stop_iteration():
    g = gen_with_return_value()
    out = [next(g), next(g)]
    try:
        next(g)
    except StopIteration as e:
        out.append(e.value)
    return out


def case_generator_reused_is_empty():
    g = count_up(3)
    a = list(g)
    b = list(g)
    return (a, b)


def case_generator_exception_propagates():
    out = []
    for x in raising_gen():
        out.append(x)
    return out


def case_generator_exception_caught_by_consumer():
    out = []
    try:
        for x in raising_gen():
            out.append(x)
    except ValueError as e:
        out.append(str(e))
    return out


def case_generator_nested_loops_pairs():
    return list(pairs_gen(4))


@given('  the quick  brown fox ')
def case_generator_words(text):
    return list(words_gen(text))


@given([3, 1, 4, 1, 5])
def case_generator_running_total(xs):
    return list(running_total(xs))


def case_generator_chained():
    return list(running_total(squares_gen(evens_of(count_up(10)))))


@given(27)
def case_generator_collatz_len_and_peak(n):
    steps = 0
    peak = 0
    for x in collatz(n):
        steps += 1
        if x > peak:
            peak = x
    return (steps, peak)


def case_generator_chunks():
    return list(chunks([1, 2, 3, 4, 5, 6, 7], 3))


def case_generator_try_finally_exhausted():
    out = []
    for x in gen_yield_in_try_finally():
        out.append(x)
        print('item', x)
    return out


def case_generator_interleave():
    return (list(interleave([1, 2, 3], 'ab')), list(interleave([], 'ab')))


def case_generator_empty():
    return (list(empty_gen()), sum(empty_gen()), next(empty_gen(), 'none'))


def case_generator_expression_lazy_printing():
    g = (print('computing', x) or x * 2 for x in range(3))
    print('before')
    out = []
    for v in g:
        print('using', v)
        out.append(v)
    return out


def case_generator_expression_various_consumers():
    return (
        sum(x for x in range(10) if x % 3 == 0),
        list(x * x for x in [1, 2, 3]),
        any(c == 'z' for c in 'xyz'),
        sorted((x % 4 for x in range(10)), reverse=True),
        dict((k, len(k)) for k in ['a', 'bb']),
    )


def case_generator_expression_next_and_exhaust():
    g = (c.upper() for c in 'ab')
    return (next(g), next(g), next(g, '-'))


def case_generator_two_independent_instances():
    a = count_up(3)
    b = count_up(3)
    return (next(a), next(a), next(b), next(a), next(b))


def case_generator_enumerate_and_zip_over_generators():
    return (list(enumerate(three_values(), 1)), list(zip(count_up(10), fib(), three_values())))


def case_generator_closure_over_argument():
    def multiples(k):
        for i in range(1, 5):
            yield i * k

    return [list(multiples(k)) for k in range(1, 4)]
