"""Strings: code-point indexing and slicing (non-ASCII too), operators, methods, str.format,
f-strings, % formatting, str()/repr() of values, and CPython's error messages."""

from .everyday import check_everyday_case
from .harness import given


def test_case(case, cluster):
    check_everyday_case(case, cluster)


def shout(s):
    return s.upper() + '!'


def pad_table(rows):
    out = []
    for name, qty, price in rows:
        out.append(f'{name:<8}|{qty:>4}|{price:>8.2f}')
    return '\n'.join(out)


# ---- indexing and slicing -------------------------------------------------------------------


@given('python')
def case_str_index_positive(s):
    return (s[0], s[1], s[5])


@given('python')
def case_str_index_negative(s):
    return (s[-1], s[-2], s[-6])


@given('héllo wörld')
def case_str_index_non_ascii(s):
    return (s[1], s[7], s[-4], len(s))


@given('日本語のテキスト')
def case_str_cjk_len_and_index(s):
    return (len(s), s[0], s[3], s[-1], s[2:5])


@given('abcdefghij')
def case_str_slices_basic(s):
    return (s[2:5], s[:3], s[7:], s[:], s[-3:], s[:-3], s[3:-3])


@given('abcdefghij')
def case_str_slices_step(s):
    return (s[::2], s[1::2], s[::3], s[1:8:3], s[::-1], s[::-2], s[8:2:-2])


@given('abc')
def case_str_slices_out_of_range_clamp(s):
    return (s[1:100], s[-100:2], s[5:], s[2:1], s[10:20], s[-1:-5])


@given('añb€c😀d')
def case_str_slice_non_ascii_step(s):
    return (s[::-1], s[1::2], s[2:6], len(s))


@given('hello')
def case_str_index_variable(s):
    out = []
    i = 0
    while i < len(s):
        out.append(s[i] + s[-1 - i])
        i += 1
    return out


@given('hello')
def case_str_index_out_of_range(s):
    return s[5]


@given('hello')
def case_str_index_negative_out_of_range(s):
    return s[-6]


def case_str_index_empty():
    s = ''
    return s[0]


@given('abc')
def case_str_item_assignment_is_type_error(s):
    t = list(s)
    t[0] = 'z'
    try:
        s[0] = 'z'
    except TypeError as e:
        return (''.join(t), str(e))
    return 'no error'


# ---- operators ------------------------------------------------------------------------------


@given('foo', 'bar')
def case_str_concat(a, b):
    return (a + b, a + ' ' + b, a + '' + b, '' + '')


@given('ab', 3)
def case_str_repeat(s, n):
    return (s * n, n * s, s * 0, s * -2, '-' * 10)


@given('needle in a haystack')
def case_str_in_operator(s):
    return ('needle' in s, 'hay' in s, 'x' in s, '' in s, 'stack' not in s, ' a ' in s)


@given('apple', 'banana')
def case_str_comparisons(a, b):
    return (a < b, a > b, a == 'apple', a != b, 'Z' < 'a', 'abc' < 'abd', 'ab' < 'abc', '' < 'a')


def case_str_compare_non_ascii():
    return ('é' > 'z', 'a' < 'é', sorted(['b', 'é', 'a', 'Z', 'ä']), max('hello'), min('hello'))


@given('a')
def case_str_plus_int_type_error(s):
    return s + 1


@given(1)
def case_int_plus_str_type_error(n):
    return n + 'a'


@given('abc')
def case_str_minus_type_error(s):
    return s - 'a'


@given('abc')
def case_str_lt_int_type_error(s):
    return s < 3


@given('abc', 'abc')
def case_str_equality_builds(a, b):
    c = ''
    for ch in a:
        c = c + ch
    return (c == b, c is not None, len(c))


# ---- methods ---------------------------------------------------------------------------------


@given('  the quick  brown fox ')
def case_str_split_whitespace(s):
    return (s.split(), s.split(' '), s.split(None, 1), s.strip().split(' ', 2))


@given('a,b,,c,')
def case_str_split_separator(s):
    return (s.split(','), s.split(',', 1), s.rsplit(',', 1), s.rsplit(','), s.split(',,'))


@given('one two three four')
def case_str_rsplit_maxsplit(s):
    return (s.rsplit(' ', 2), s.rsplit(None, 1), s.split(' ', 0), s.rsplit(maxsplit=1))


@given('line one\nline two\r\nline three\n\nend')
def case_str_splitlines(s):
    return (s.splitlines(), s.splitlines(True), ''.splitlines(), 'x\n'.splitlines())


def case_str_split_empty_separator_error():
    return 'abc'.split('')


@given(['a', 'b', 'c'])
def case_str_join(parts):
    return ('-'.join(parts), ''.join(parts), ', '.join(parts), ' '.join([]), 'x'.join('abc'))


@given(['a', 1, 'c'])
def case_str_join_non_str_error(parts):
    return ','.join(parts)


@given('  \t padded \n ')
def case_str_strip_family(s):
    return (s.strip(), s.lstrip(), s.rstrip(), 'xxhixx'.strip('x'), '--a-b--'.lstrip('-'), 'abcba'.rstrip('ab'))


@given('filename.tar.gz')
def case_str_startswith_endswith(s):
    return (
        s.startswith('file'),
        s.startswith('name'),
        s.endswith('.gz'),
        s.endswith(('.zip', '.gz')),
        s.startswith(('a', 'b')),
        s.startswith('name', 4),
        s.endswith(''),
    )


@given('abracadabra')
def case_str_find_rfind(s):
    return (s.find('bra'), s.rfind('bra'), s.find('z'), s.rfind('z'), s.find('a', 1), s.find('a', 1, 3), s.find(''))


@given('abracadabra')
def case_str_index_method(s):
    return (s.index('cad'), s.rindex('a'), s.index('a', 4))


@given('abracadabra')
def case_str_index_method_not_found(s):
    return s.index('xyz')


@given('abracadabra')
def case_str_rindex_not_found(s):
    return s.rindex('q')


@given('mississippi')
def case_str_count(s):
    return (s.count('s'), s.count('ss'), s.count('issi'), s.count('x'), s.count(''), s.count('i', 5))


@given('the cat sat on the mat')
def case_str_replace(s):
    return (s.replace('at', 'og'), s.replace('the', 'a', 1), s.replace('x', 'y'), s.replace(' ', ''), 'aaa'.replace('a', 'bb'))


@given('Hello World ÄÖÜ ß')
def case_str_lower_upper(s):
    return (s.lower(), s.upper(), s.swapcase(), s.casefold())


@given("hello wORLD it's 3rd")
def case_str_title_capitalize(s):
    return (s.title(), s.capitalize(), 'ABC'.capitalize(), ''.capitalize())


def case_str_predicates():
    vals = ['123', '12a', '', 'abc', 'ABC', 'aBc', '   ', 'a1', '٣', 'é']
    out = []
    for v in vals:
        out.append((v.isdigit(), v.isalpha(), v.isalnum(), v.isspace(), v.isupper(), v.islower()))
    return out


@given('42', '-42')
def case_str_zfill(a, b):
    return (a.zfill(5), b.zfill(5), a.zfill(1), '+7'.zfill(4), ''.zfill(3))


@given('mid')
def case_str_center_ljust_rjust(s):
    return (s.center(9), s.center(8, '*'), s.ljust(6, '.'), s.rjust(6), s.rjust(2), s.center(4))


@given('key=value=more')
def case_str_partition(s):
    return (s.partition('='), s.rpartition('='), s.partition('#'), s.rpartition('#'))


@given('word')
def case_str_methods_chain(s):
    return s.upper().center(10, '-').replace('-', '=', 2).lower()


@given('a-b_c d')
def case_str_iterate_and_classify(s):
    letters = 0
    others = []
    for ch in s:
        if ch.isalpha():
            letters += 1
        else:
            others.append(ch)
    return (letters, others)


def case_str_ord_chr():
    return (ord('a'), ord('€'), chr(65), chr(8364), chr(128512), [ord(c) for c in 'hé'])


@given('hello')
def case_str_helper_call(s):
    return (shout(s), shout(shout(s)))


def case_str_build_with_loop():
    s = ''
    for i in range(5):
        s += str(i) * i
    return s


# ---- str.format ------------------------------------------------------------------------------


@given('Ann', 31)
def case_str_format_positional(name, age):
    return ('{} is {}'.format(name, age), '{1} {0} {1}'.format(name, age), '{0}{0}'.format('ab'))


@given('Ann', 31)
def case_str_format_keywords(name, age):
    return '{name} ({age}) / {name!r}'.format(name=name, age=age)


@given(3.14159, 42)
def case_str_format_specs(x, n):
    return (
        '{:.2f}'.format(x),
        '{:8.3f}|'.format(x),
        '{:<8}|'.format(n),
        '{:^8}|'.format(n),
        '{:>8}|'.format(n),
        '{:08.2f}'.format(-x),
        '{:+d}'.format(n),
        '{:x} {:X} {:o} {:b}'.format(255, 255, 8, 5),
        '{:e}'.format(x * 1000),
        '{:%}'.format(0.25),
    )


def case_str_format_braces_and_index():
    return ('{{literal}} {}'.format(1), '{0[1]} {1[0]}'.format((5, 6), 'xy'), '{:*^9}'.format('mid'))


def case_str_format_missing_positional_error():
    return '{} {}'.format(1)


def case_str_format_missing_key_error():
    return '{name}'.format(other=1)


# ---- f-strings -------------------------------------------------------------------------------


@given(3.14159, 1234567, 'hi')
def case_fstring_format_specs(x, n, s):
    return (
        f'{x:>8.3f}|',
        f'{n:,}',
        f'{n:_}',
        f'{s!r}',
        f'{s:>5}|{s:<5}|{s:^6}|',
        f'{x:.1e}',
        f'{n:>12,}|',
        f'{-x:+.2f}',
        f'{0.5:.0%}',
    )


@given(2.71828, 10, 3)
def case_fstring_nested_width(x, w, p):
    return (f'{x:{w}.{p}f}|', f'{"ab":>{w}}|', f'{x:{w}}|')


@given(7, 'seven')
def case_fstring_expressions(n, word):
    return f'{n} squared is {n * n}; {word.upper()} has {len(word)} letters; {[n, n + 1]}; {n > 5}'


def case_fstring_repr_vs_str():
    x = 'a\'b'
    y = 1.5
    t = (1, 'two')
    return (f'{x}', f'{x!r}', f'{y!r}', f'{t}', f'{t!r}', f'{None}', f'{True:}')


def case_fstring_padding_table():
    rows = [('apple', 3, 1.5), ('kiwi', 12, 0.25), ('banana', 100, 12.0)]
    return pad_table(rows)


def case_fstring_int_format_codes():
    vals = [0, 7, 255, -42, 1000000]
    return [f'{v:d}|{v:5d}|{v:<5d}|{v:05d}|{v:x}|{v:#x}|{v:b}|{v:,d}' for v in vals]


def case_fstring_float_format_codes():
    vals = [0.0, 1.0, -2.5, 1234.5678, 0.000123, 1e20]
    return [f'{v:f}|{v:.2f}|{v:10.4f}|{v:g}|{v:.3g}|{v:e}' for v in vals]


def case_fstring_bad_format_code_error():
    x = 'text'
    return f'{x:d}'


# ---- % formatting ----------------------------------------------------------------------------


@given(42, 3.14159, 'str')
def case_percent_basic(n, x, s):
    return ('%d' % n, '%5.2f' % x, '%s' % s, '%r' % s, '%x' % n, '100%%' % (), '%5d|' % n, '%-5d|' % n)


@given(7, 2.5, 'x')
def case_percent_tuple(n, x, s):
    return '%d items at %.2f each (%s) = %08.3f' % (n, x, s, n * x)


def case_percent_dict():
    d = {'name': 'Bob', 'score': 91.456, 'rank': 2}
    return '%(name)s scored %(score).1f and is #%(rank)d; %(name)r' % d


def case_percent_misc_codes():
    return ('%o' % 8, '%X' % 3054, '%e' % 12345.678, '%g' % 0.0001, '%+d' % 5, '%c' % 65, '%s' % [1, 'a'], '%s' % (None,))


def case_percent_not_enough_arguments_error():
    return '%d %d' % (1,)


def case_percent_not_all_converted_error():
    return '%d' % (1, 2)


def case_percent_d_with_str_error():
    return '%d' % 'x'


# ---- str() and repr() ------------------------------------------------------------------------


def case_str_repr_floats():
    vals = [0.1, 1.0, -0.0, 1e16, 1.5e-7, 123456789.0, 2.0 ** 60, 1 / 3, 100.0]
    return ([str(v) for v in vals], [repr(v) for v in vals])


def case_str_repr_ints_and_bools():
    return (str(42), str(-7), repr(10 ** 20), str(True), repr(False), str(None), repr(None), str(0))


def case_str_repr_nested_containers():
    d = {'a': [1, 2.5, 'x'], 'b': (None, True), 3: {'z': ()}}
    return (str([1, 'a', (2,)]), repr(d), str((1,)), str([]), str({}), str(set()), str({7}), str([[], [[]]]))


def case_str_repr_quotes():
    return (repr('plain'), repr("it's"), repr('say "hi"'), repr('both \' and "'), repr('tab\tnl\n'), repr('é€'), str('é'))


def case_str_of_containers_with_strings():
    return str(['a', "b'c", ('d', 1.0)])


def case_str_int_conversions():
    return (int('42'), int('  -17 '), float('2.5'), int('ff', 16), int('101', 2), str(int('007')))


def case_str_int_conversion_error():
    return int('4x2')


def case_str_float_conversion_error():
    return float('abc')


def case_print_strings_and_containers():
    print('plain', 'words', sep='-')
    print([1, 'two', 3.0])
    print({'k': 'v'})
    print('a', 1, None, end='|\n')
    print(repr('q'), str('q'))
    print('%s and %r' % ('x', 'x'))
