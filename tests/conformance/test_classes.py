"""User classes: __init__ and attributes, methods, inheritance and super(), class attributes,
staticmethod/classmethod/property, operator and container dunders, __repr__/__str__,
__hash__/__eq__ in sets and dicts, __bool__/__len__ truthiness, isinstance, user-defined
exceptions, and AttributeError messages.  Cases return attributes, never instances."""

import math

from .everyday import check_everyday_case
from .harness import given


def test_case(case, cluster):
    check_everyday_case(case, cluster)


class Point:
    def __init__(self, x, y):
        self.x = x
        self.y = y

    def norm(self):
        return math.sqrt(self.x * self.x + self.y * self.y)

    def moved(self, dx, dy):
        return Point(self.x + dx, self.y + dy)

    def move(self, dx, dy):
        self.x += dx
        self.y += dy

    def as_tuple(self):
        return (self.x, self.y)


class Vec:
    def __init__(self, x, y):
        self.x = x
        self.y = y

    def __add__(self, other):
        return Vec(self.x + other.x, self.y + other.y)

    def __sub__(self, other):
        return Vec(self.x - other.x, self.y - other.y)

    def __mul__(self, k):
        return Vec(self.x * k, self.y * k)

    def __rmul__(self, k):
        return Vec(self.x * k, self.y * k)

    def __neg__(self):
        return Vec(-self.x, -self.y)

    def __eq__(self, other):
        return isinstance(other, Vec) and self.x == other.x and self.y == other.y

    def __hash__(self):
        return self.x * 1000003 + self.y

    def __repr__(self):
        return 'Vec(' + repr(self.x) + ', ' + repr(self.y) + ')'

    def __abs__(self):
        return math.hypot(self.x, self.y)


class Money:
    def __init__(self, cents):
        self.cents = cents

    def __lt__(self, other):
        return self.cents < other.cents

    def __le__(self, other):
        return self.cents <= other.cents

    def __eq__(self, other):
        return self.cents == other.cents

    def __str__(self):
        return '$' + str(self.cents // 100) + '.' + str(self.cents % 100).zfill(2)

    def __repr__(self):
        return 'Money(' + str(self.cents) + ')'


class Animal:
    kingdom = 'animalia'

    def __init__(self, name, sound='...'):
        self.name = name
        self.sound = sound

    def speak(self):
        return self.name + ' says ' + self.sound

    def kind(self):
        return 'animal'


class Dog(Animal):
    def __init__(self, name, tricks):
        super().__init__(name, 'woof')
        self.tricks = tricks

    def kind(self):
        return 'dog'

    def describe(self):
        return self.speak() + ' and knows ' + str(len(self.tricks)) + ' tricks'


class Puppy(Dog):
    def __init__(self, name):
        super().__init__(name, [])
        self.sound = 'yip'

    def kind(self):
        return 'puppy (' + super().kind() + ')'


class Cat(Animal):
    kingdom = 'felines-are-special'

    def speak(self):
        return super().speak().upper()


class Temperature:
    def __init__(self, celsius):
        self._c = celsius

    @property
    def celsius(self):
        return self._c

    @property
    def fahrenheit(self):
        return self._c * 9 / 5 + 32

    @staticmethod
    def c_to_f(c):
        return c * 9 / 5 + 32

    @classmethod
    def from_fahrenheit(cls, f):
        return cls((f - 32) * 5 / 9)


class Counter:
    created = 0

    def __init__(self):
        Counter.created += 1
        self.n = 0

    def inc(self, by=1):
        self.n += by
        return self


class Bag:
    def __init__(self, items):
        self.items = list(items)

    def __len__(self):
        return len(self.items)

    def __getitem__(self, i):
        return self.items[i]

    def __contains__(self, x):
        return x in self.items

    def __iter__(self):
        return iter(self.items)


class Countdown:
    def __init__(self, start):
        self.start = start

    def __iter__(self):
        n = self.start
        while n > 0:
            yield n
            n -= 1


class Flag:
    def __init__(self, on):
        self.on = on

    def __bool__(self):
        return self.on


class Empty:
    pass


class Stack:
    def __init__(self):
        self._items = []

    def push(self, x):
        self._items.append(x)

    def pop(self):
        if not self._items:
            raise IndexError('pop from empty stack')
        return self._items.pop()

    def peek(self):
        return self._items[-1]

    def __len__(self):
        return len(self._items)

    def __repr__(self):
        return 'Stack(' + repr(self._items) + ')'


class InsufficientFunds(ValueError):
    pass


class AppError(Exception):
    def __init__(self, code, message):
        super().__init__(message)
        self.code = code


class NotFound(AppError):
    pass


class Account:
    def __init__(self, owner, balance=0):
        self.owner = owner
        self.balance = balance
        self.history = []

    def deposit(self, amount):
        if amount <= 0:
            raise ValueError('deposit must be positive')
        self.balance += amount
        self.history.append(('dep', amount))

    def withdraw(self, amount):
        if amount > self.balance:
            raise InsufficientFunds('balance ' + str(self.balance) + ' < ' + str(amount))
        self.balance -= amount
        self.history.append(('wd', amount))


class Shape:
    def area(self):
        raise NotImplementedError('subclass must implement area')

    def describe(self):
        return self.name() + ' with area ' + str(round(self.area(), 2))

    def name(self):
        return 'shape'


class Rect(Shape):
    def __init__(self, w, h):
        self.w = w
        self.h = h

    def area(self):
        return self.w * self.h

    def name(self):
        return 'rect'


class Square(Rect):
    def __init__(self, side):
        super().__init__(side, side)

    def name(self):
        return 'square'


class Circle(Shape):
    def __init__(self, r):
        self.r = r

    def area(self):
        return math.pi * self.r ** 2

    def name(self):
        return 'circle'


class Matrix2:
    def __init__(self, a, b, c, d):
        self.m = [[a, b], [c, d]]

    def __mul__(self, other):
        r = [[0, 0], [0, 0]]
        for i in range(2):
            for j in range(2):
                for k in range(2):
                    r[i][j] += self.m[i][k] * other.m[k][j]
        return Matrix2(r[0][0], r[0][1], r[1][0], r[1][1])

    def __eq__(self, other):
        return self.m == other.m

    def rows(self):
        return [row[:] for row in self.m]


class Card:
    RANKS = '23456789TJQKA'

    def __init__(self, rank, suit):
        self.rank = rank
        self.suit = suit

    def value(self):
        return Card.RANKS.index(self.rank)

    def __lt__(self, other):
        return (self.value(), self.suit) < (other.value(), other.suit)

    def __repr__(self):
        return self.rank + self.suit


class Node:
    def __init__(self, value, next_node=None):
        self.value = value
        self.next = next_node


class LinkedList:
    def __init__(self):
        self.head = None
        self.size = 0

    def push_front(self, v):
        self.head = Node(v, self.head)
        self.size += 1

    def to_list(self):
        out = []
        node = self.head
        while node is not None:
            out.append(node.value)
            node = node.next
        return out

    def reverse(self):
        prev = None
        node = self.head
        while node is not None:
            nxt = node.next
            node.next = prev
            prev = node
            node = nxt
        self.head = prev


def total_area(shapes):
    return sum(s.area() for s in shapes)


def midpoint(p, q):
    return Point((p.x + q.x) / 2, (p.y + q.y) / 2)


# ---- attributes and methods ------------------------------------------------------------------


@given(3, 4)
def case_class_init_and_attributes(x, y):
    p = Point(x, y)
    return (p.x, p.y, p.norm(), p.as_tuple())


def case_class_method_returns_new_instance():
    p = Point(1, 2)
    q = p.moved(10, 20)
    return (p.as_tuple(), q.as_tuple())


def case_class_method_mutates_self():
    p = Point(1, 2)
    alias = p
    p.move(5, 5)
    p.move(-1, 0)
    return (alias.as_tuple(), p.x)


def case_class_attribute_added_later():
    p = Point(0, 0)
    p.label = 'origin'
    p.x = 'changed'
    return (p.label, p.x, p.y)


def case_class_missing_attribute_error():
    p = Point(1, 2)
    return p.z


def case_class_missing_method_error():
    p = Point(1, 2)
    return p.rotate(90)


def case_class_attribute_error_caught():
    p = Point(1, 2)
    try:
        p.z
    except AttributeError as e:
        return str(e)
    return 'none'


def case_class_empty_class_attributes():
    e = Empty()
    e.a = 1
    e.b = [e.a, 2]
    return (e.a, e.b)


def case_class_init_wrong_arg_count():
    return Point(1)


def case_class_instances_passed_and_returned():
    m = midpoint(Point(0, 0), Point(4, 6))
    n = midpoint(m, Point(0, 0))
    return (m.as_tuple(), n.as_tuple())


def case_class_instances_in_list_sorted_by_key():
    pts = [Point(3, 4), Point(1, 1), Point(0, 2), Point(-5, 0)]
    pts.sort(key=lambda p: p.norm())
    return [p.as_tuple() for p in pts]


def case_class_bound_method_as_value():
    p = Point(3, 4)
    f = p.norm
    g = p.move
    g(1, 1)
    return (f(), p.as_tuple())


# ---- class attributes, static/class methods, properties -------------------------------------


def case_class_attribute_shared_and_shadowed():
    a = Animal('a')
    b = Animal('b')
    before = (a.kingdom, b.kingdom, Animal.kingdom)
    a.kingdom = 'own'
    return (before, a.kingdom, b.kingdom, Animal.kingdom, Cat('c').kingdom)


def case_class_counter_class_attribute():
    Counter.created = 0
    a = Counter()
    b = Counter()
    a.inc().inc(5)
    b.inc(2)
    return (Counter.created, a.n, b.n, a.created)


def case_class_staticmethod_and_classmethod():
    t = Temperature.from_fahrenheit(212)
    return (Temperature.c_to_f(100), t.celsius, t.fahrenheit, Temperature(0).c_to_f(-40))


def case_class_property_reads():
    t = Temperature(25)
    return (t.celsius, t.fahrenheit, Temperature(-40).fahrenheit)


def case_class_property_no_setter_error():
    t = Temperature(25)
    t.celsius = 30
    return t.celsius


# ---- inheritance and super() -----------------------------------------------------------------


def case_class_inheritance_and_super_init():
    d = Dog('Rex', ['sit', 'roll'])
    return (d.name, d.sound, d.tricks, d.speak(), d.describe(), d.kind(), d.kingdom)


def case_class_multilevel_super():
    p = Puppy('Bit')
    return (p.speak(), p.kind(), p.tricks, p.describe())


def case_class_override_calls_super_method():
    c = Cat('Tom', 'meow')
    return (c.speak(), c.kind(), c.kingdom)


def case_class_polymorphism_over_list():
    zoo = [Animal('Gen'), Dog('Rex', []), Cat('Tom', 'meow'), Puppy('Bit')]
    return [(a.kind(), a.speak()) for a in zoo]


def case_class_isinstance_with_inheritance():
    d = Dog('Rex', [])
    p = Puppy('Bit')
    c = Cat('Tom')
    return (
        isinstance(d, Dog),
        isinstance(d, Animal),
        isinstance(p, Dog),
        isinstance(c, Dog),
        isinstance(c, (Dog, Cat)),
        isinstance(d, Point),
        isinstance(3, Animal),
        isinstance(InsufficientFunds('x'), ValueError),
    )


def case_class_abstract_method_not_implemented():
    s = Shape()
    return s.describe()


def case_class_shapes_polymorphic_area():
    shapes = [Rect(2, 3), Square(4), Circle(1)]
    return ([s.describe() for s in shapes], round(total_area(shapes), 6), [isinstance(s, Rect) for s in shapes])


# ---- operator dunders ------------------------------------------------------------------------


def case_class_add_sub_mul_neg():
    a = Vec(1, 2)
    b = Vec(10, 20)
    c = a + b
    d = b - a
    e = a * 3
    f = 2 * a
    g = -a
    return ((c.x, c.y), (d.x, d.y), (e.x, e.y), (f.x, f.y), (g.x, g.y), abs(Vec(3, 4)))


def case_class_eq_and_ne():
    return (Vec(1, 2) == Vec(1, 2), Vec(1, 2) == Vec(2, 1), Vec(1, 2) != Vec(1, 2), Vec(0, 0) == (0, 0), Point(1, 1) == Point(1, 1))


def case_class_hash_in_set_and_dict():
    s = {Vec(1, 2), Vec(1, 2), Vec(2, 1)}
    d = {Vec(0, 0): 'origin'}
    d[Vec(0, 0)] = 'still origin'
    return (len(s), Vec(2, 1) in s, Vec(3, 3) in s, len(d), d[Vec(0, 0)])


def case_class_eq_without_hash_is_unhashable():
    s = set()
    s.add(Money(5))
    return len(s)


def case_class_ordering_dunders_and_sorted():
    prices = [Money(250), Money(99), Money(1000), Money(99)]
    ordered = sorted(prices)
    return ([m.cents for m in ordered], Money(1) < Money(2), Money(3) <= Money(3), Money(5) > Money(4), Money(5) >= Money(6), str(max(prices)))


def case_class_unsupported_operator_error():
    return Money(5) + Money(6)


def case_class_missing_ordering_error():
    return Point(1, 2) < Point(3, 4)


def case_class_repr_and_str():
    v = Vec(1, 2.5)
    m = Money(1234)
    return (repr(v), str(v), str(m), repr(m), str([v, Vec(0, 0)]), f'{m} / {m!r}', str([m]))


def case_class_print_uses_str():
    print(Money(5))
    print(Vec(3, -1))
    print([Money(7), Money(100)])
    print('total:', Money(9999))


def case_class_matrix_mul_and_eq():
    fibm = Matrix2(1, 1, 1, 0)
    r = fibm
    for _ in range(9):
        r = r * fibm
    return (r.rows(), r == Matrix2(89, 55, 55, 34), fibm * Matrix2(1, 0, 0, 1) == fibm)


def case_class_cards_sorted_with_lt():
    hand = [Card('K', 's'), Card('2', 'h'), Card('K', 'd'), Card('A', 'c'), Card('9', 'h')]
    hand.sort()
    return (repr(hand), str(max(hand)), [c.value() for c in hand])


# ---- container protocol ----------------------------------------------------------------------


def case_class_len_getitem_contains_iter():
    b = Bag('abc')
    out = []
    for x in b:
        out.append(x * 2)
    return (len(b), b[0], b[-1], 'b' in b, 'z' in b, out, list(b), sorted(Bag([3, 1, 2])))


def case_class_getitem_index_error_propagates():
    b = Bag([1, 2])
    return b[5]


def case_class_iter_with_generator_method():
    return (list(Countdown(4)), sum(Countdown(10)), [x * x for x in Countdown(3)])


def case_class_bool_and_len_truthiness():
    out = []
    for obj in [Flag(True), Flag(False), Bag([]), Bag([0]), Empty()]:
        if obj:
            out.append('T')
        else:
            out.append('F')
    return (out, bool(Flag(False)), not Bag([]))


def case_class_not_iterable_error():
    total = 0
    for x in Point(1, 2):
        total += x
    return total


def case_class_len_missing_error():
    return len(Point(1, 2))


# ---- stack and linked list -------------------------------------------------------------------


def case_class_stack_usage():
    s = Stack()
    for x in range(5):
        s.push(x * x)
    a = s.pop()
    b = s.pop()
    top = s.peek()
    return (a, b, top, len(s), repr(s))


def case_class_stack_pop_empty_custom_error():
    s = Stack()
    s.push(1)
    s.pop()
    return s.pop()


def case_class_balanced_brackets_with_stack():
    pairs = {')': '(', ']': '[', '}': '{'}
    results = []
    for text in ['([]{})', '([)]', '((', '', '{[()()]}']:
        s = Stack()
        ok = True
        for ch in text:
            if ch in '([{':
                s.push(ch)
            elif ch in pairs:
                if len(s) == 0 or s.pop() != pairs[ch]:
                    ok = False
                    break
        results.append(ok and len(s) == 0)
    return results


def case_class_linked_list():
    ll = LinkedList()
    for v in [1, 2, 3, 4]:
        ll.push_front(v)
    before = ll.to_list()
    ll.reverse()
    return (before, ll.to_list(), ll.size, ll.head.value, ll.head.next.next.next.next)


# ---- user-defined exceptions -----------------------------------------------------------------


def case_class_user_exception_caught_as_base():
    acct = Account('ann', 100)
    acct.deposit(50)
    try:
        acct.withdraw(500)
    except ValueError as e:
        return (str(e), acct.balance, acct.history, isinstance(e, InsufficientFunds))
    return 'no error'


def case_class_user_exception_escapes():
    acct = Account('bob', 10)
    acct.withdraw(11)
    return acct.balance


def case_class_user_exception_with_attributes():
    out = []
    for code in [404, 500]:
        try:
            if code == 404:
                raise NotFound(code, 'no such page')
            raise AppError(code, 'server error')
        except NotFound as e:
            out.append(('not found', e.code, str(e)))
        except AppError as e:
            out.append(('app', e.code, str(e)))
    return out


def case_class_user_exception_hierarchy_isinstance():
    e = NotFound(1, 'x')
    return (isinstance(e, AppError), isinstance(e, Exception), isinstance(e, ValueError), e.args)


def case_class_builtin_error_from_method():
    acct = Account('cy')
    acct.deposit(-5)
    return acct.balance


def case_class_raise_custom_caught_as_exception():
    class_error = None
    try:
        raise NotFound(7, 'seven')
    except Exception as e:
        class_error = (str(e), e.code)
    return class_error


def case_class_accounts_transfer_simulation():
    a = Account('a', 100)
    b = Account('b', 20)
    log = []
    for amount in [30, 80, 10, 50]:
        try:
            a.withdraw(amount)
            b.deposit(amount)
            log.append('ok ' + str(amount))
        except InsufficientFunds as e:
            log.append('fail: ' + str(e))
    return (a.balance, b.balance, log, b.history)


class Range3:
    """An iterator class: __iter__ returns self, __next__ raises StopIteration."""

    def __init__(self, stop):
        self.i = 0
        self.stop = stop

    def __iter__(self):
        return self

    def __next__(self):
        if self.i >= self.stop:
            raise StopIteration
        self.i += 1
        return self.i * 3


class Score:
    def __init__(self, points):
        self.points = points

    def __add__(self, other):
        if isinstance(other, Score):
            return Score(self.points + other.points)
        return Score(self.points + other)

    def __radd__(self, other):
        return Score(self.points + other)

    def __eq__(self, other):
        return isinstance(other, Score) and self.points == other.points

    def __repr__(self):
        return 'Score(' + str(self.points) + ')'


class Polynomial:
    def __init__(self, coeffs):
        self.coeffs = coeffs

    def __call__(self, x):
        total = 0
        for c in reversed(self.coeffs):
            total = total * x + c
        return total

    def degree(self):
        return len(self.coeffs) - 1

    def derivative(self):
        return Polynomial([i * c for i, c in enumerate(self.coeffs)][1:])


class OnlyRepr:
    def __init__(self, v):
        self.v = v

    def __repr__(self):
        return '<OnlyRepr ' + str(self.v) + '>'


class Student:
    passing = 60

    def __init__(self, name, grades):
        self.name = name
        self.grades = grades

    def average(self):
        return sum(self.grades) / len(self.grades)

    def passed(self):
        return self.average() >= self.passing

    def summary(self):
        return self.name + ': ' + format(self.average(), '.1f') + (' pass' if self.passed() else ' fail')


def case_class_iterator_protocol_next():
    it = Range3(4)
    first = next(it)
    rest = list(it)
    return (first, rest, list(Range3(0)), sum(Range3(3)), next(Range3(0), 'empty'))


def case_class_eq_used_by_list_methods():
    xs = [Score(1), Score(2), Score(1)]
    return (Score(1) in xs, Score(5) in xs, xs.count(Score(1)), xs.index(Score(2)))


def case_class_radd_with_sum():
    total = sum([Score(3), Score(4), Score(5)])
    return (repr(total), repr(Score(1) + 2), repr(10 + Score(1)), repr(Score(1) + Score(1)))


def case_class_callable_instance():
    p = Polynomial([1, 0, 2])
    d = p.derivative()
    return ([p(x) for x in range(4)], p.degree(), d.coeffs, d(5))


def case_class_str_falls_back_to_repr():
    o = OnlyRepr(3)
    print(o)
    return (str(o), repr(o), f'{o}', str([o]))


def case_class_methods_calling_methods():
    students = [Student('ann', [70, 80, 95]), Student('bob', [50, 55, 61]), Student('cy', [60])]
    return [s.summary() for s in students]


def case_class_attribute_lookup_through_instance_and_class():
    s = Student('dee', [59])
    before = s.passed()
    s.passing = 50
    after = s.passed()
    return (before, after, Student.passing, s.passing)


def case_class_list_of_instances_group_by_attribute():
    students = [Student('a', [90]), Student('b', [40]), Student('c', [75]), Student('d', [10])]
    groups = {}
    for s in students:
        key = 'pass' if s.passed() else 'fail'
        groups.setdefault(key, []).append(s.name)
    return groups
