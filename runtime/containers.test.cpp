/// Lists, dicts, sets, iteration and the built-ins over iterables. Every expected text below was
/// printed by CPython 3.11.

#include "runtime/containers.hpp"
#include "runtime/format.hpp"
#include "runtime/iterables.hpp"
#include "runtime/methods.hpp"

#include <catch2/catch.hpp>

#include <cstring>
#include <initializer_list>
#include <string>
#include <vector>

using namespace shoal::rt;

namespace {
struct Py {
  std::string out;
  Ctx c{};
  Py() {
    gc_init();
    c.memory_limit = 1 << 30;
    c.depth_limit = 1000;
    c.out = &out;
  }
  static Val i(int64_t v) { return box_int(v); }
  static Val f(double v) { return box_float(v); }
  static Val s(const char* text) { return box_ptr(Tag::Str, str_new(text, int64_t(std::strlen(text)))); }
  static Val list(std::initializer_list<Val> items) {
    return box_ptr(Tag::List, list_from(int64_t(items.size()), items.begin()));
  }
  static Val ints(std::initializer_list<int64_t> items) {
    std::vector<Val> v;
    for (int64_t x : items)
      v.push_back(box_int(x));
    return box_ptr(Tag::List, list_from(int64_t(v.size()), v.data()));
  }
  /// A set (or frozenset) built by adding the items in order, as a set display does.
  Val set(std::initializer_list<int64_t> items, Tag kind = Tag::Set) {
    Table* t = set_new(0);
    for (int64_t v : items)
      set_add(&c, t, box_int(v));
    return box_ptr(kind, t);
  }
  Val range(int64_t start, int64_t stop, int64_t step = 1) { return range_new(&c, start, stop, step); }
  Val dict(std::initializer_list<std::pair<Val, Val>> items) {
    Table* d = dict_new(0);
    for (auto& [k, v] : items)
      dict_set(&c, d, k, v);
    return box_ptr(Tag::Dict, d);
  }
  /// self.name(*pos, **kw) through the method tables; the arguments live in collected memory.
  Val call(MethodFn fn, Val self, std::initializer_list<Val> pos = {},
           std::initializer_list<std::pair<const char*, Val>> kw = {}) {
    REQUIRE(fn != nullptr);
    auto* v = static_cast<Val*>(gc_alloc(sizeof(Val) * (pos.size() + kw.size() + 1)));
    std::vector<const char*> names;
    int64_t n = 0;
    for (Val x : pos)
      v[n++] = x;
    for (auto& [k, x] : kw) {
      names.push_back(k);
      v[n++] = x;
    }
    return fn(&c, self, Args{int64_t(pos.size()), v, int64_t(names.size()), names.data()});
  }
  std::string exc() {
    std::string r = c.exc ? std::string(exc_name(c.exc->kind)) + ": " + exc_message(c.exc) : "<none>";
    c.exc = nullptr;
    return r;
  }
  std::string repr(Val v) { return c.exc ? "<raised " + exc() + ">" : repr_of(v); }
  std::string items(Iter* it) {
    std::string r = "[";
    Val v;
    for (bool first = true; iter_next(&c, it, &v); first = false)
      r += (first ? "" : ", ") + repr_of(v);
    return c.exc ? "<raised " + exc() + ">" : r + "]";
  }
};

/// A function value for the tests: entry and env as compiled code makes them.
Val closure(CallEntry entry, void* env = nullptr) {
  auto* cl = static_cast<Closure*>(gc_alloc(sizeof(Closure)));
  cl->entry = reinterpret_cast<void*>(entry);
  cl->env = env;
  return box_ptr(Tag::Func, cl);
}
Val negate(Ctx* c, int64_t, Val* args, int64_t, void*) { return dyn_neg(c, args[0]); }
Val first_item(Ctx* c, int64_t, Val* args, int64_t, void*) { return dyn_index(c, args[0], box_int(0)); }
Val add2(Ctx* c, int64_t, Val* args, int64_t, void*) { return dyn_binop(c, BinOp::Add, args[0], args[1]); }
Val depth_of(Ctx*, int64_t depth, Val*, int64_t, void*) { return box_int(depth); }
Val mixed_key(Ctx* c, int64_t, Val* args, int64_t, void*) {
  return dyn_equal(args[0], box_int(1)) ? box_ptr(Tag::Str, str_new("a")) : box_int(1);
}
} // namespace

TEST_CASE("hashes match CPython for numbers, tuples, frozensets and ranges", "[containers]") {
  Py p;
  auto h = [&](Val v) {
    int64_t out = 0;
    REQUIRE(hash_of(&p.c, v, &out));
    return out;
  };
  CHECK(h(Py::i(-1)) == -2);
  CHECK(h(int_binop(&p.c, BinOp::Pow, Py::i(2), Py::i(100))) == 549755813888);
  CHECK(h(Py::f(1.5)) == 1152921504606846977);
  CHECK(h(Py::i(1)) == h(Py::f(1.0)));
  CHECK(h(box_bool(true)) == 1);
  CHECK(h(tuple_of({})) == 5740354900026072187);
  CHECK(h(tuple_of({Py::i(1), Py::i(2)})) == -3550055125485641917);
  CHECK(h(tuple_of({Py::i(1), tuple_of({Py::i(2), Py::i(3)})})) == 7267574591690527098);
  CHECK(h(tuple_of({Py::f(1.5), box_bool(true), Py::i(-1)})) == 357167059602383637);
  CHECK(h(p.set({}, Tag::FrozenSet)) == 133146708735736);
  CHECK(h(p.set({1, 2, 3}, Tag::FrozenSet)) == -272375401224217160);
  Table* nested = set_new(0);
  set_add(&p.c, nested, p.set({1}, Tag::FrozenSet));
  set_add(&p.c, nested, Py::i(2));
  CHECK(h(box_ptr(Tag::FrozenSet, nested)) == -1248503628839622056);
  CHECK(h(p.range(1, 10, 2)) == -8580228179051518038);
  CHECK(h(Py::s("abc")) == h(Py::s("abc")));
  int64_t out;
  CHECK_FALSE(hash_of(&p.c, tuple_of({Py::i(1), Py::ints({})}), &out));
  CHECK(p.exc() == "TypeError: unhashable type: 'list'");
  CHECK_FALSE(hash_of(&p.c, p.set({}), &out));
  CHECK(p.exc() == "TypeError: unhashable type: 'set'");
}

TEST_CASE("sets iterate in CPython's order, after removals and copies too", "[containers]") {
  Py p;
  CHECK(p.repr(p.set({3, 1, 2})) == "{1, 2, 3}");
  CHECK(p.repr(p.set({10, 2, 33, 17})) == "{33, 10, 2, 17}");
  CHECK(p.repr(p.set({100, 5, 37, 69, 101})) == "{100, 101, 69, 37, 5}");
  CHECK(p.repr(p.set({-1, -2, 8, 16, 24, 32})) == "{32, 8, 16, -2, 24, -1}");
  auto display = [&](std::initializer_list<int64_t> items) { // {100, 5, 37, 69, 101} in source
    std::vector<Val> v;
    for (int64_t x : items)
      v.push_back(Py::i(x));
    return p.repr(box_ptr(Tag::Set, set_display(&p.c, int64_t(v.size()), v.data(), true)));
  };
  CHECK(display({100, 5, 37, 69, 101}) == "{100, 5, 69, 37, 101}");
  CHECK(display({-1, -2, 8, 16, 24, 32}) == "{32, 16, -2, 8, 24, -1}");
  CHECK(display({1, 9, 17, 25}) == "{1, 17, 25, 9}");

  Val s = p.set({5, 13, 21, 29, 37, 45});
  set_discard(&p.c, as<Table>(s), Py::i(13));
  set_discard(&p.c, as<Table>(s), Py::i(29));
  set_add(&p.c, as<Table>(s), Py::i(53));
  set_add(&p.c, as<Table>(s), Py::i(61));
  CHECK(p.repr(s) == "{37, 5, 45, 21, 53, 61}"); // a dummy slot is reused

  Val r = box_ptr(Tag::Set, set_of(&p.c, p.range(0, 20)));
  for (int64_t k = 0; k < 20; k += 3)
    set_discard(&p.c, as<Table>(r), Py::i(k));
  set_add(&p.c, as<Table>(r), Py::i(100));
  set_add(&p.c, as<Table>(r), Py::i(3));
  CHECK(p.repr(r) == "{1, 2, 4, 5, 7, 8, 10, 11, 13, 14, 16, 17, 3, 19, 100}");

  Val q = p.set({1, 9, 17, 25});
  set_remove(&p.c, as<Table>(q), Py::i(9));
  set_add(&p.c, as<Table>(q), Py::i(33));
  CHECK(p.repr(q) == "{1, 33, 17, 25}");
  CHECK(p.repr(set_pop(&p.c, as<Table>(q))) == "1");
  CHECK(p.repr(set_pop(&p.c, as<Table>(q))) == "33");
  CHECK(p.repr(q) == "{17, 25}");

  Val eights = p.set({0, 8, 16, 24, 32});
  CHECK(p.repr(eights) == "{0, 32, 8, 16, 24}");
  CHECK(p.repr(box_ptr(Tag::Set, set_copy(as<Table>(eights)))) == "{0, 32, 16, 8, 24}"); // a smaller table
  CHECK(p.repr(box_ptr(Tag::Set, set_of(&p.c, eights))) == "{0, 32, 16, 8, 24}");
  CHECK(p.repr(p.set({})) == "set()");
  CHECK(p.repr(p.set({}, Tag::FrozenSet)) == "frozenset()");
  CHECK(p.repr(p.set({2, 1}, Tag::FrozenSet)) == "frozenset({1, 2})");
}

TEST_CASE("set operators and methods follow CPython, result kind from the left", "[containers]") {
  Py p;
  auto op = [&](BinOp o, Val a, Val b, bool inplace = false) { return p.repr(dyn_binop(&p.c, o, a, b, inplace)); };
  CHECK(op(BinOp::BitOr, box_ptr(Tag::Set, set_of(&p.c, p.range(0, 5))), p.set({100, 8})) == "{0, 1, 2, 3, 4, 100, 8}");
  CHECK(op(BinOp::BitAnd, p.set({1, 2, 3}), p.set({3, 2, 7})) == "{2, 3}");
  CHECK(op(BinOp::Sub, p.set({1, 2, 3, 4, 5, 6, 7, 8, 9, 10}), p.set({1})) == "{2, 3, 4, 5, 6, 7, 8, 9, 10}");
  CHECK(op(BinOp::BitXor, p.set({1, 2, 3}), p.set({3, 4, 40})) == "{1, 2, 4, 40}");
  CHECK(op(BinOp::BitOr, p.set({1, 2}, Tag::FrozenSet), p.set({3})) == "frozenset({1, 2, 3})");
  CHECK(op(BinOp::BitOr, p.set({3}), p.set({1}, Tag::FrozenSet)) == "{1, 3}");
  Table* t = set_new(0);
  set_add(&p.c, t, box_bool(true));
  CHECK(op(BinOp::BitAnd, p.set({1}), box_ptr(Tag::Set, t)) == "{True}"); // the key comes from the other set
  CHECK(op(BinOp::BitOr, p.set({1}), Py::ints({1})) == "<raised TypeError: unsupported operand type(s) for |: 'set' and 'list'>");

  Val s = p.set({1, 2, 3, 4, 5});
  CHECK(dyn_binop(&p.c, BinOp::BitAnd, s, p.set({5, 4, 100}), true).bits == s.bits); // in place: same object
  CHECK(p.repr(s) == "{4, 5}");
  Val x = p.set({1, 2, 3});
  dyn_binop(&p.c, BinOp::BitXor, x, p.set({3, 4, 40, -5}), true);
  CHECK(p.repr(x) == "{1, 2, 4, 40, -5}");
  CHECK(op(BinOp::BitOr, x, Py::ints({1}), true) == "<raised TypeError: unsupported operand type(s) for |=: 'set' and 'list'>");
  Val fs = p.set({1}, Tag::FrozenSet);
  Val fs2 = dyn_binop(&p.c, BinOp::BitOr, fs, p.set({2}), true); // no in-place form: a new frozenset
  CHECK((fs2.bits != fs.bits && p.repr(fs) == "frozenset({1})" && p.repr(fs2) == "frozenset({1, 2})"));

  CHECK(p.repr(p.call(set_method("union"), p.set({1, 2}), {Py::ints({3}), tuple_of({Py::i(4)})})) == "{1, 2, 3, 4}");
  CHECK(p.repr(p.call(set_method("intersection"), p.set({1, 2, 3}), {Py::ints({2, 3}), p.set({3})})) == "{3}");
  CHECK(p.repr(p.call(set_method("difference"), p.set({1, 2, 3}), {Py::ints({1}), Py::ints({2})})) == "{3}");
  CHECK(p.repr(p.call(set_method("issubset"), p.set({1}), {Py::ints({1, 2})})) == "True");
  CHECK(p.repr(p.call(set_method("isdisjoint"), p.set({1}), {Py::ints({2})})) == "True");
  Val d = p.set({0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25,
                 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39});
  p.call(set_method("difference_update"), d, {p.range(10, 40)});
  CHECK(p.repr(d) == "{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}");
  p.call(set_method("add"), p.set({1}, Tag::FrozenSet), {Py::i(1)});
  CHECK(p.exc() == "AttributeError: 'frozenset' object has no attribute 'add'");
  p.call(set_method("add"), p.set({1}), {});
  CHECK(p.exc() == "TypeError: set.add() takes exactly one argument (0 given)");
  p.call(set_method("union"), p.set({1}, Tag::FrozenSet), {}, {{"x", Py::i(1)}});
  CHECK(p.exc() == "TypeError: frozenset.union() takes no keyword arguments");
  p.call(set_method("remove"), p.set({1}), {Py::i(2)});
  CHECK(p.exc() == "KeyError: 2");
  p.call(set_method("pop"), p.set({}), {});
  CHECK(p.exc() == "KeyError: 'pop from an empty set'");
  p.call(set_method("update"), p.set({}), {Py::i(1)});
  CHECK(p.exc() == "TypeError: 'int' object is not iterable");

  CHECK(dyn_compare(&p.c, CmpOp::Le, p.set({1}), p.set({1, 2})) == 1);
  CHECK(dyn_compare(&p.c, CmpOp::Lt, p.set({1}), p.set({1})) == 0);
  CHECK(dyn_compare(&p.c, CmpOp::Eq, p.set({1}, Tag::FrozenSet), p.set({1})) == 1);
  CHECK(dyn_compare(&p.c, CmpOp::Lt, p.set({1}), Py::ints({1})) == -1);
  CHECK(p.exc() == "TypeError: '<' not supported between instances of 'set' and 'list'");
  CHECK(dyn_contains(&p.c, p.set({1}), Py::ints({})) == -1);
  CHECK(p.exc() == "TypeError: unhashable type: 'list'");
  Table* of_sets = set_new(0);
  set_add(&p.c, of_sets, p.set({1}, Tag::FrozenSet));
  CHECK(dyn_contains(&p.c, box_ptr(Tag::Set, of_sets), p.set({1})) == 1); // a set key is looked up as a frozenset
}

TEST_CASE("lists grow, mutate and slice as CPython's", "[containers]") {
  Py p;
  List* l = list_new(0);
  for (int64_t k = 0; k < 1000; ++k)
    list_append(&p.c, l, Py::i(k));
  CHECK((l->n == 1000 && l->cap >= 1000 && l->cap < 1600 && l->items[999].bits == 999));
  Val v = Py::ints({1, 2, 3});
  list_extend(&p.c, as<List>(v), v); // l.extend(l) doubles it
  CHECK(p.repr(v) == "[1, 2, 3, 1, 2, 3]");
  CHECK(p.repr(list_pop(&p.c, as<List>(v), -1)) == "3");
  list_insert(&p.c, as<List>(v), -100, Py::i(0));
  list_insert(&p.c, as<List>(v), 100, Py::i(9));
  CHECK(p.repr(v) == "[0, 1, 2, 3, 1, 2, 9]");
  list_remove(&p.c, as<List>(v), Py::f(2.0));
  CHECK(p.repr(v) == "[0, 1, 3, 1, 2, 9]");
  CHECK(list_index(&p.c, as<List>(v), Py::i(1), 2, INT64_MAX) == 3);
  CHECK(list_count(&p.c, as<List>(v), box_bool(true)) == 2);
  list_index(&p.c, as<List>(v), Py::s("b"), 0, INT64_MAX);
  CHECK(p.exc() == "ValueError: 'b' is not in list");
  list_remove(&p.c, as<List>(v), Py::i(7));
  CHECK(p.exc() == "ValueError: list.remove(x): x not in list");
  list_pop(&p.c, list_new(0), -1);
  CHECK(p.exc() == "IndexError: pop from empty list");
  list_pop(&p.c, as<List>(v), 6);
  CHECK(p.exc() == "IndexError: pop index out of range");
  list_setitem(&p.c, as<List>(v), -1, Py::i(8));
  list_setitem(&p.c, as<List>(v), 6, Py::i(8));
  CHECK(p.exc() == "IndexError: list assignment index out of range");
  list_delitem(&p.c, as<List>(v), -6);
  CHECK(p.repr(v) == "[1, 3, 1, 2, 8]");

  Val r = box_ptr(Tag::List, list_of(&p.c, p.range(0, 10)));
  auto slice = [&](Val a, Val b, Val st) { return p.repr(box_ptr(Tag::List, list_slice(&p.c, as<List>(r), a, b, st))); };
  CHECK(slice(none(), none(), Py::i(-1)) == "[9, 8, 7, 6, 5, 4, 3, 2, 1, 0]");
  CHECK(slice(Py::i(-3), none(), none()) == "[7, 8, 9]");
  CHECK(slice(Py::i(8), Py::i(2), Py::i(-2)) == "[8, 6, 4]");
  CHECK(slice(Py::i(100), none(), none()) == "[]");
  CHECK(slice(Py::i(-100), Py::i(2), none()) == "[0, 1]");
  CHECK(slice(none(), none(), Py::i(3)) == "[0, 3, 6, 9]");
  list_slice(&p.c, as<List>(r), none(), none(), Py::i(0));
  CHECK(p.exc() == "ValueError: slice step cannot be zero");
  list_slice(&p.c, as<List>(r), Py::s("a"), none(), none());
  CHECK(p.exc() == "TypeError: slice indices must be integers or None or have an __index__ method");

  Val w = Py::ints({1, 2, 3, 4, 5, 6});
  list_set_slice(&p.c, as<List>(w), Py::i(1), Py::i(3), none(), Py::s("abc"));
  CHECK(p.repr(w) == "[1, 'a', 'b', 'c', 4, 5, 6]");
  list_set_slice(&p.c, as<List>(w), none(), none(), Py::i(-2), Py::ints({7, 8, 9, 10}));
  CHECK(p.repr(w) == "[10, 'a', 9, 'c', 8, 5, 7]");
  list_set_slice(&p.c, as<List>(w), none(), none(), Py::i(2), Py::ints({1, 2, 3}));
  CHECK(p.exc() == "ValueError: attempt to assign sequence of size 3 to extended slice of size 4");
  list_set_slice(&p.c, as<List>(w), Py::i(0), Py::i(1), none(), Py::i(1));
  CHECK(p.exc() == "TypeError: can only assign an iterable");
  list_set_slice(&p.c, as<List>(w), none(), none(), none(), w); // l[:] = l
  CHECK(p.repr(w) == "[10, 'a', 9, 'c', 8, 5, 7]");
  Val z = Py::ints({1, 2});
  list_set_slice(&p.c, as<List>(z), Py::i(5), none(), none(), Py::ints({9}));
  list_set_slice(&p.c, as<List>(z), none(), Py::i(0), none(), Py::ints({0}));
  CHECK(p.repr(z) == "[0, 1, 2, 9]");

  Val d = box_ptr(Tag::List, list_of(&p.c, p.range(0, 10)));
  list_del_slice(&p.c, as<List>(d), none(), none(), Py::i(3));
  CHECK(p.repr(d) == "[1, 2, 4, 5, 7, 8]");
  list_del_slice(&p.c, as<List>(d), Py::i(-2), none(), none());
  CHECK(p.repr(d) == "[1, 2, 4, 5]");
  list_del_slice(&p.c, as<List>(d), Py::i(5), Py::i(1), Py::i(-1));
  CHECK(p.repr(d) == "[1, 2]");
}

TEST_CASE("list operators alias in place and raise CPython's messages", "[containers]") {
  Py p;
  auto op = [&](BinOp o, Val a, Val b, bool inplace = false) { return p.repr(dyn_binop(&p.c, o, a, b, inplace)); };
  Val l = Py::ints({1, 2, 3});
  Val same = dyn_binop(&p.c, BinOp::Add, l, tuple_of({Py::i(4), Py::i(5)}), true);
  CHECK((same.bits == l.bits && p.repr(l) == "[1, 2, 3, 4, 5]"));
  Val twice = dyn_binop(&p.c, BinOp::Mul, l, Py::i(2), true);
  CHECK((twice.bits == l.bits && p.repr(l) == "[1, 2, 3, 4, 5, 1, 2, 3, 4, 5]"));
  CHECK(op(BinOp::Add, Py::ints({1}), Py::ints({2})) == "[1, 2]");
  CHECK(op(BinOp::Mul, Py::i(2), Py::ints({0})) == "[0, 0]");
  CHECK(op(BinOp::Mul, Py::ints({0}), Py::i(-1)) == "[]");
  CHECK(op(BinOp::Add, Py::ints({1}), tuple_of({})) == "<raised TypeError: can only concatenate list (not \"tuple\") to list>");
  CHECK(op(BinOp::Add, Py::i(1), Py::ints({})) == "<raised TypeError: unsupported operand type(s) for +: 'int' and 'list'>");
  CHECK(op(BinOp::Mul, Py::ints({1}), Py::f(1.5)) == "<raised TypeError: can't multiply sequence by non-int of type 'float'>");
  CHECK(op(BinOp::Mul, Py::ints({1}), Py::s("a"), true) == "<raised TypeError: can't multiply sequence by non-int of type 'str'>");
  CHECK(op(BinOp::Add, Py::ints({1}), Py::i(1), true) == "<raised TypeError: 'int' object is not iterable>");
  CHECK(op(BinOp::Add, tuple_of({Py::i(1)}), Py::ints({1}), true) ==
        "<raised TypeError: can only concatenate tuple (not \"list\") to tuple>");
  CHECK(op(BinOp::Mul, Py::ints({1}), int_binop(&p.c, BinOp::Pow, Py::i(2), Py::i(70))) ==
        "<raised OverflowError: cannot fit 'int' into an index-sized integer>");

  CHECK(dyn_compare(&p.c, CmpOp::Lt, Py::ints({1, 2}), Py::ints({1, 2, 3})) == 1);
  CHECK(dyn_compare(&p.c, CmpOp::Gt, Py::ints({1, 3}), Py::ints({1, 2, 9})) == 1);
  CHECK(dyn_compare(&p.c, CmpOp::Eq, Py::ints({1}), tuple_of({Py::i(1)})) == 0);
  CHECK(dyn_compare(&p.c, CmpOp::Lt, Py::ints({1}), tuple_of({Py::i(1)})) == -1);
  CHECK(p.exc() == "TypeError: '<' not supported between instances of 'list' and 'tuple'");
  CHECK(dyn_compare(&p.c, CmpOp::Lt, Py::list({Py::i(1)}), Py::list({Py::s("a")})) == -1);
  CHECK(p.exc() == "TypeError: '<' not supported between instances of 'int' and 'str'");
  CHECK(p.repr(dyn_index(&p.c, Py::ints({7, 8}), Py::i(-1))) == "8");
  CHECK(p.repr(dyn_index(&p.c, Py::ints({7}), Py::i(5))) == "<raised IndexError: list index out of range>");
  CHECK(p.repr(dyn_index(&p.c, Py::ints({7}), Py::s("a"))) ==
        "<raised TypeError: list indices must be integers or slices, not str>");
  dyn_setitem(&p.c, tuple_of({}), Py::i(0), Py::i(0));
  CHECK(p.exc() == "TypeError: 'tuple' object does not support item assignment");
  CHECK((dyn_truthy(Py::ints({})) == false && dyn_len(&p.c, Py::ints({1, 2})) == 2));

  Val rec = Py::ints({1});
  list_append(&p.c, as<List>(rec), rec);
  CHECK(p.repr(rec) == "[1, [...]]");
  CHECK(dyn_compare(&p.c, CmpOp::Eq, rec, rec) == 1);
  Val rec2 = Py::ints({1});
  list_append(&p.c, as<List>(rec2), rec2);
  CHECK(dyn_compare(&p.c, CmpOp::Eq, rec, rec2) == -1);
  CHECK(p.exc() == "RecursionError: maximum recursion depth exceeded in comparison");
}

TEST_CASE("sort is stable, with keys and reverse, and raises CPython's TypeError", "[containers]") {
  Py p;
  Val pairs = Py::list({tuple_of({Py::i(2), Py::s("a")}), tuple_of({Py::i(1), Py::s("b")}),
                        tuple_of({Py::i(2), Py::s("c")}), tuple_of({Py::i(1), Py::s("d")})});
  Val key = closure(first_item);
  list_sort(&p.c, as<List>(pairs), key, false);
  CHECK(p.repr(pairs) == "[(1, 'b'), (1, 'd'), (2, 'a'), (2, 'c')]");
  list_sort(&p.c, as<List>(pairs), key, true); // equal keys keep their order when reversed too
  CHECK(p.repr(pairs) == "[(2, 'a'), (2, 'c'), (1, 'b'), (1, 'd')]");

  List* big = list_new(0);
  for (int64_t k = 0; k < 500; ++k)
    list_append(&p.c, big, Py::i((k * 7919) % 503));
  list_sort(&p.c, big, closure(negate), false);
  bool descending = true;
  for (int64_t k = 1; k < big->n; ++k)
    descending &= big->items[k - 1].bits >= big->items[k].bits;
  CHECK(descending);

  CHECK(p.repr(box_ptr(Tag::List, sorted_of(&p.c, Py::s("cab"), none(), false))) == "['a', 'b', 'c']");
  list_sort(&p.c, as<List>(Py::list({Py::i(1), Py::s("a")})), none(), false);
  CHECK(p.exc() == "TypeError: '<' not supported between instances of 'str' and 'int'");
  list_sort(&p.c, as<List>(Py::list({Py::s("a"), Py::i(1)})), none(), false);
  CHECK(p.exc() == "TypeError: '<' not supported between instances of 'int' and 'str'");
  list_sort(&p.c, as<List>(Py::list({Py::i(3), Py::s("a"), Py::i(1)})), none(), false);
  CHECK(p.exc() == "TypeError: '<' not supported between instances of 'str' and 'int'");
  list_sort(&p.c, as<List>(Py::ints({1, 2})), closure(mixed_key), false);
  CHECK(p.exc() == "TypeError: '<' not supported between instances of 'int' and 'str'");
  list_sort(&p.c, as<List>(Py::ints({2, 1})), Py::i(1), false);
  CHECK(p.exc() == "TypeError: 'int' object is not callable");

  Val l = Py::ints({3, 1, 2});
  p.call(list_method("sort"), l, {}, {{"reverse", box_bool(true)}});
  CHECK(p.repr(l) == "[3, 2, 1]");
  p.call(list_method("sort"), l, {Py::i(1)});
  CHECK(p.exc() == "TypeError: sort() takes no positional arguments");
  p.call(list_method("sort"), l, {}, {{"foo", Py::i(1)}});
  CHECK(p.exc() == "TypeError: 'foo' is an invalid keyword argument for sort()");
  p.call(list_method("sort"), l, {}, {{"reverse", none()}});
  CHECK(p.exc() == "TypeError: 'NoneType' object cannot be interpreted as an integer");
}

TEST_CASE("list and tuple methods check arity as CPython", "[containers]") {
  Py p;
  Val l = Py::ints({1, 2, 3});
  p.call(list_method("append"), l, {});
  CHECK(p.exc() == "TypeError: list.append() takes exactly one argument (0 given)");
  p.call(list_method("append"), l, {}, {{"x", Py::i(1)}});
  CHECK(p.exc() == "TypeError: list.append() takes no keyword arguments");
  p.call(list_method("pop"), l, {Py::i(1), Py::i(2)});
  CHECK(p.exc() == "TypeError: pop expected at most 1 argument, got 2");
  p.call(list_method("insert"), l, {Py::i(1)});
  CHECK(p.exc() == "TypeError: insert expected 2 arguments, got 1");
  p.call(list_method("index"), l, {});
  CHECK(p.exc() == "TypeError: index expected at least 1 argument, got 0");
  p.call(list_method("index"), l, {Py::i(1), Py::s("a")});
  CHECK(p.exc() == "TypeError: slice indices must be integers or have an __index__ method");
  p.call(list_method("reverse"), l, {Py::i(1)});
  CHECK(p.exc() == "TypeError: list.reverse() takes no arguments (1 given)");
  p.call(list_method("pop"), l, {Py::s("a")});
  CHECK(p.exc() == "TypeError: 'str' object cannot be interpreted as an integer");
  CHECK(p.repr(p.call(list_method("pop"), l, {})) == "3");
  CHECK(p.repr(p.call(list_method("index"), l, {Py::i(2)})) == "1");
  Val copy = p.call(list_method("copy"), l);
  CHECK((copy.bits != l.bits && p.repr(copy) == "[1, 2]"));
  CHECK(list_method("nope") == nullptr);

  Val t = tuple_of({Py::i(1), Py::i(2), Py::i(1)});
  CHECK(p.repr(p.call(tuple_method("count"), t, {Py::i(1)})) == "2");
  CHECK(p.repr(p.call(tuple_method("index"), t, {Py::i(1), Py::i(1)})) == "2");
  p.call(tuple_method("index"), t, {Py::i(5)});
  CHECK(p.exc() == "ValueError: tuple.index(x): x not in tuple");
  p.call(tuple_method("count"), t, {});
  CHECK(p.exc() == "TypeError: tuple.count() takes exactly one argument (0 given)");
  CHECK(p.repr(tuple_slice(&p.c, as<Tuple>(t), none(), none(), Py::i(-1))) == "(1, 2, 1)");
}

TEST_CASE("dicts keep insertion order and raise CPython's errors", "[containers]") {
  Py p;
  Val d = p.dict({});
  Table* t = as<Table>(d);
  dict_set(&p.c, t, Py::s("b"), Py::i(1));
  dict_set(&p.c, t, Py::s("a"), Py::i(2));
  dict_set(&p.c, t, Py::i(1), Py::i(3));
  dict_del(&p.c, t, Py::s("b"), nullptr);
  dict_set(&p.c, t, Py::s("b"), Py::i(4));
  dict_set(&p.c, t, Py::f(1.0), Py::i(5)); // the key stays 1
  CHECK(p.repr(d) == "{'a': 2, 1: 5, 'b': 4}");
  CHECK(p.repr(dict_popitem(&p.c, t)) == "('b', 4)");
  CHECK(p.repr(d) == "{'a': 2, 1: 5}");
  CHECK(p.repr(dyn_index(&p.c, d, box_bool(true))) == "5");
  dyn_index(&p.c, d, Py::s("zz"));
  REQUIRE(p.c.exc);
  CHECK(repr_of(p.c.exc->args) == "('zz',)");
  CHECK(p.exc() == "KeyError: 'zz'");
  dyn_index(&p.c, d, Py::ints({}));
  CHECK(p.exc() == "TypeError: unhashable type: 'list'");
  dict_popitem(&p.c, dict_new(0));
  CHECK(p.exc() == "KeyError: 'popitem(): dictionary is empty'");

  Table* many = dict_new(0);
  for (int64_t k = 0; k < 2000; ++k)
    dict_set(&p.c, many, Py::i(k * 37 % 2000), Py::i(k));
  for (int64_t k = 0; k < 2000; k += 2)
    dict_del(&p.c, many, Py::i(k), nullptr);
  for (int round = 0; round < 100; ++round) { // popitem/insert cycles must not fill the index
    Table* small = as<Table>(p.dict({{Py::i(1), Py::i(1)}, {Py::i(2), Py::i(2)}}));
    for (int k = 0; k < 50; ++k) {
      dict_popitem(&p.c, small);
      dict_set(&p.c, small, Py::i(100 + k), Py::i(k));
    }
    Val missing;
    REQUIRE(dict_get(&p.c, small, Py::i(-1), &missing) == 0);
  }
  Val out;
  CHECK((many->n == 1000 && dict_get(&p.c, many, Py::i(37), &out) == 1 && out.bits == 1));
  CHECK(dict_get(&p.c, many, Py::i(36), &out) == 0);

  Val u = box_ptr(Tag::Dict, dict_of(&p.c, Py::list({tuple_of({Py::i(1), Py::i(2)}), tuple_of({Py::i(3), Py::i(4)})})));
  dict_update(&p.c, as<Table>(u), p.dict({{Py::i(5), Py::i(6)}, {Py::i(1), Py::i(0)}}));
  dict_update(&p.c, as<Table>(u), Py::list({Py::s("xy")}));
  CHECK(p.repr(u) == "{1: 0, 3: 4, 5: 6, 'x': 'y'}");
  CHECK(p.repr(dyn_binop(&p.c, BinOp::BitOr, u, p.dict({{Py::i(9), Py::i(9)}}))) == "{1: 0, 3: 4, 5: 6, 'x': 'y', 9: 9}");
  dict_of(&p.c, Py::list({tuple_of({Py::i(1), Py::i(2), Py::i(3)})}));
  CHECK(p.exc() == "ValueError: dictionary update sequence element #0 has length 3; 2 is required");
  dict_of(&p.c, Py::list({tuple_of({Py::i(1), Py::i(2)}), Py::i(1)}));
  CHECK(p.exc() == "TypeError: cannot convert dictionary update sequence element #1 to a sequence");
  dict_of(&p.c, Py::i(1));
  CHECK(p.exc() == "TypeError: 'int' object is not iterable");
  CHECK(dyn_compare(&p.c, CmpOp::Eq, p.dict({{Py::i(1), Py::i(2)}}), p.dict({{Py::i(1), Py::f(2.0)}})) == 1);
  CHECK(dyn_compare(&p.c, CmpOp::Lt, p.dict({}), p.dict({})) == -1);
  CHECK(p.exc() == "TypeError: '<' not supported between instances of 'dict' and 'dict'");

  Val rec = p.dict({});
  dict_set(&p.c, as<Table>(rec), Py::i(1), rec);
  CHECK(p.repr(rec) == "{1: {...}}");
}

TEST_CASE("dict methods and views", "[containers]") {
  Py p;
  Val d = p.dict({{Py::i(1), Py::i(2)}});
  CHECK(p.repr(p.call(dict_method("get"), d, {Py::i(3), Py::s("x")})) == "'x'");
  CHECK(p.repr(p.call(dict_method("get"), d, {Py::i(3)})) == "None");
  CHECK(p.repr(p.call(dict_method("setdefault"), d, {Py::i(5)})) == "None");
  CHECK(p.repr(p.call(dict_method("pop"), d, {Py::i(9), Py::s("z")})) == "'z'");
  p.call(dict_method("pop"), d, {Py::i(9)});
  CHECK(p.exc() == "KeyError: 9");
  p.call(dict_method("get"), d, {});
  CHECK(p.exc() == "TypeError: get expected at least 1 argument, got 0");
  p.call(dict_method("get"), d, {}, {{"key", Py::i(1)}});
  CHECK(p.exc() == "TypeError: dict.get() takes no keyword arguments");
  p.call(dict_method("keys"), d, {Py::i(1)});
  CHECK(p.exc() == "TypeError: dict.keys() takes no arguments (1 given)");
  p.call(dict_method("update"), d, {Py::i(1), Py::i(2)});
  CHECK(p.exc() == "TypeError: update expected at most 1 argument, got 2");
  p.call(dict_method("update"), d, {Py::list({tuple_of({Py::i(7), Py::i(8)})})}, {{"a", Py::i(3)}});
  CHECK(p.repr(d) == "{1: 2, 5: None, 7: 8, 'a': 3}");

  Val keys = p.call(dict_method("keys"), d);
  Val items = p.call(dict_method("items"), d);
  Val values = p.call(dict_method("values"), d);
  CHECK(p.repr(keys) == "dict_keys([1, 5, 7, 'a'])");
  CHECK(p.repr(items) == "dict_items([(1, 2), (5, None), (7, 8), ('a', 3)])");
  CHECK(p.repr(values) == "dict_values([2, None, 8, 3])");
  dict_del(&p.c, as<Table>(d), Py::i(5), nullptr);
  CHECK((dyn_len(&p.c, keys) == 3 && type_name(items) == std::string("dict_items"))); // views are live
  CHECK(dyn_contains(&p.c, items, tuple_of({Py::i(7), Py::i(8)})) == 1);
  CHECK(dyn_contains(&p.c, items, tuple_of({Py::i(1), Py::ints({})})) == 0);
  CHECK(dyn_contains(&p.c, values, Py::i(3)) == 1);
  CHECK(dyn_contains(&p.c, keys, Py::ints({})) == -1);
  CHECK(p.exc() == "TypeError: unhashable type: 'list'");
  Val one = p.dict({{Py::i(1), Py::i(2)}});
  Val k1 = dict_view(as<Table>(one), ViewKind::Keys);
  CHECK(dyn_compare(&p.c, CmpOp::Eq, k1, p.set({1})) == 1);
  CHECK(dyn_compare(&p.c, CmpOp::Lt, k1, p.set({1, 2})) == 1);
  CHECK(p.repr(dyn_binop(&p.c, BinOp::BitAnd, k1, p.set({1, 3}))) == "{1}");
  CHECK(p.repr(dyn_binop(&p.c, BinOp::BitAnd, p.set({1, 3}), k1)) == "{1}");
  CHECK(p.repr(dyn_binop(&p.c, BinOp::BitOr, k1, Py::ints({5}))) == "{1, 5}");
  CHECK(p.repr(dyn_binop(&p.c, BinOp::Sub, k1, Py::ints({1}))) == "set()");
  CHECK(p.repr(dyn_binop(&p.c, BinOp::BitXor, k1, Py::ints({1, 7}))) == "{7}");
  CHECK(p.repr(dyn_binop(&p.c, BinOp::BitOr, dict_view(as<Table>(one), ViewKind::Values), p.set({1}))) ==
        "<raised TypeError: unsupported operand type(s) for |: 'dict_values' and 'set'>");
  CHECK(p.repr(dict_view(dict_new(0), ViewKind::Keys)) == "dict_keys([])");
  CHECK(p.repr(p.dict({})) == "{}");
}

TEST_CASE("iteration: live lists, mutation checks, ranges, str and the iterator builtins", "[containers]") {
  Py p;
  Val l = Py::ints({1, 2});
  Iter* it = iter_of(&p.c, l);
  Val v;
  std::string seen;
  while (iter_next(&p.c, it, &v)) {
    seen += repr_of(v);
    if (v.bits < 4)
      list_append(&p.c, as<List>(l), Py::i(int64_t(v.bits) + 2)); // appends are seen, as CPython
  }
  CHECK(seen == "12345");
  list_append(&p.c, as<List>(l), Py::i(9));
  CHECK_FALSE(iter_next(&p.c, it, &v)); // an exhausted list iterator stays exhausted

  Val d = p.dict({{Py::i(1), Py::i(2)}});
  it = iter_of(&p.c, d);
  REQUIRE(iter_next(&p.c, it, &v));
  dict_del(&p.c, as<Table>(d), Py::i(1), nullptr);
  CHECK_FALSE(iter_next(&p.c, it, &v));
  CHECK(p.exc() == "RuntimeError: dictionary changed size during iteration");
  Val d2 = p.dict({{Py::i(1), Py::i(2)}});
  it = iter_of(&p.c, d2);
  REQUIRE(iter_next(&p.c, it, &v));
  dict_set(&p.c, as<Table>(d2), Py::i(2), Py::i(0));
  dict_del(&p.c, as<Table>(d2), Py::i(1), nullptr);
  CHECK_FALSE(iter_next(&p.c, it, &v));
  CHECK(p.exc() == "RuntimeError: dictionary keys changed during iteration");
  Val s = p.set({1});
  it = iter_of(&p.c, s);
  REQUIRE(iter_next(&p.c, it, &v));
  set_add(&p.c, as<Table>(s), Py::i(2));
  CHECK_FALSE(iter_next(&p.c, it, &v));
  CHECK(p.exc() == "RuntimeError: Set changed size during iteration");

  Val r = p.range(1, 10, 2);
  CHECK(p.repr(r) == "range(1, 10, 2)");
  CHECK(p.repr(p.range(0, 10)) == "range(0, 10)");
  CHECK(p.items(iter_of(&p.c, r)) == "[1, 3, 5, 7, 9]");
  CHECK(p.items(iter_reversed(&p.c, r)) == "[9, 7, 5, 3, 1]");
  CHECK(p.items(iter_of(&p.c, p.range(5, -5, -3))) == "[5, 2, -1, -4]");
  CHECK((dyn_len(&p.c, r) == 5 && dyn_contains(&p.c, r, Py::i(7)) == 1 && dyn_contains(&p.c, r, Py::i(8)) == 0));
  CHECK((dyn_contains(&p.c, r, Py::f(3.0)) == 1 && dyn_contains(&p.c, r, Py::s("a")) == 0));
  CHECK(p.repr(dyn_index(&p.c, r, Py::i(-1))) == "9");
  CHECK(p.repr(dyn_index(&p.c, r, Py::i(5))) == "<raised IndexError: range object index out of range>");
  CHECK(dyn_compare(&p.c, CmpOp::Eq, p.range(0, 0), p.range(5, 2)) == 1);
  CHECK(dyn_compare(&p.c, CmpOp::Eq, p.range(1, 2, 3), p.range(1, 2, 4)) == 1);
  CHECK(dyn_compare(&p.c, CmpOp::Eq, p.range(0, 10, 2), p.range(0, 9, 2)) == 1);
  range_new(&p.c, 1, 2, 0);
  CHECK(p.exc() == "ValueError: range() arg 3 must not be zero");
  CHECK(p.items(iter_of(&p.c, p.range(INT64_MAX - 1, INT64_MAX))) == "[9223372036854775806]");

  CHECK(p.items(iter_of(&p.c, Py::s("h\xc3\xa9!"))) == "['h', '\xc3\xa9', '!']");
  CHECK(p.items(iter_reversed(&p.c, Py::s("h\xc3\xa9!"))) == "['!', '\xc3\xa9', 'h']");
  CHECK(type_name(box_ptr(Tag::Iter, iter_of(&p.c, Py::s("ab")))) == std::string("str_ascii_iterator"));
  CHECK(type_name(box_ptr(Tag::Iter, iter_of(&p.c, Py::s("\xc3\xa9")))) == std::string("str_iterator"));
  CHECK(type_name(box_ptr(Tag::Iter, iter_reversed(&p.c, d))) == std::string("dict_reversekeyiterator"));
  Iter* self = iter_of(&p.c, Py::ints({}));
  CHECK(iter_of(&p.c, box_ptr(Tag::Iter, self)) == self);
  iter_of(&p.c, Py::i(1));
  CHECK(p.exc() == "TypeError: 'int' object is not iterable");
  iter_reversed(&p.c, p.set({1}));
  CHECK(p.exc() == "TypeError: 'set' object is not reversible");
  iter_reversed(&p.c, box_ptr(Tag::Iter, self));
  CHECK(p.exc() == "TypeError: 'list_iterator' object is not reversible");

  Val abc = Py::s("ab");
  CHECK(p.items(iter_enumerate(&p.c, abc, Py::i(5))) == "[(5, 'a'), (6, 'b')]");
  Val zipped[] = {Py::ints({1, 2, 3}), abc};
  CHECK(p.items(iter_zip(&p.c, 2, zipped)) == "[(1, 'a'), (2, 'b')]");
  CHECK(p.items(iter_zip(&p.c, 0, nullptr)) == "[]");
  Val mapped[] = {Py::ints({1, 2}), Py::ints({3, 4, 5})};
  CHECK(p.items(iter_map(&p.c, closure(add2), 2, mapped)) == "[4, 6]");
  CHECK(p.items(iter_map(&p.c, Py::i(1), 1, mapped)) == "<raised TypeError: 'int' object is not callable>");
  CHECK(p.items(iter_filter(&p.c, none(), Py::list({Py::i(0), Py::i(1), Py::s(""), Py::i(2)}))) == "[1, 2]");
  CHECK(p.items(iter_filter(&p.c, closure(negate), Py::ints({0, 3}))) == "[3]");
  CHECK(p.items(iter_reversed(&p.c, Py::ints({1, 2, 3}))) == "[3, 2, 1]");
  CHECK(p.items(iter_reversed(&p.c, tuple_of({Py::i(1), Py::i(2)}))) == "[2, 1]");
  CHECK(p.items(iter_reversed(&p.c, dict_view(as<Table>(p.dict({{Py::i(1), Py::i(2)}, {Py::i(3), Py::i(4)}})),
                                              ViewKind::Items))) == "[(3, 4), (1, 2)]");
  p.c.depth = 7;
  CHECK(p.repr(call_value(&p.c, closure(depth_of), 0, nullptr)) == "8");
  CHECK(p.c.depth == 7);
}

TEST_CASE("builtins over iterables: min, max, sum, any, all, constructors", "[containers]") {
  Py p;
  Val xs = Py::list({Py::i(1), Py::f(1.0)});
  CHECK(p.repr(min_max(&p.c, true, 1, &xs, none(), nullptr)) == "1"); // ties keep the first
  CHECK(p.repr(min_max(&p.c, false, 1, &xs, none(), nullptr)) == "1");
  Val pair[] = {Py::i(3), Py::i(-5)};
  CHECK(p.repr(min_max(&p.c, true, 2, pair, closure(negate), nullptr)) == "-5");
  Val empty = Py::ints({});
  Val five = Py::i(5);
  CHECK(p.repr(min_max(&p.c, false, 1, &empty, none(), &five)) == "5");
  min_max(&p.c, true, 1, &empty, none(), nullptr);
  CHECK(p.exc() == "ValueError: max() arg is an empty sequence");
  min_max(&p.c, true, 2, pair, none(), &five);
  CHECK(p.exc() == "TypeError: Cannot specify a default for max() with multiple positional arguments");
  min_max(&p.c, false, 0, nullptr, none(), nullptr);
  CHECK(p.exc() == "TypeError: min expected at least 1 argument, got 0");
  Val mixed = Py::list({Py::i(1), Py::s("a")});
  min_max(&p.c, true, 1, &mixed, none(), nullptr);
  CHECK(p.exc() == "TypeError: '>' not supported between instances of 'str' and 'int'");

  List* tenths = list_new(0);
  for (int k = 0; k < 10; ++k)
    list_append(&p.c, tenths, Py::f(0.1));
  CHECK(p.repr(sum_of(&p.c, box_ptr(Tag::List, tenths), Py::i(0))) == "0.9999999999999999");
  Val big = Py::list({Py::i(1), Py::i(INT64_MAX), Py::i(INT64_MAX)});
  CHECK(p.repr(sum_of(&p.c, big, Py::i(0))) == "18446744073709551615");
  CHECK(p.repr(sum_of(&p.c, Py::list({Py::i(1), int_binop(&p.c, BinOp::Pow, Py::i(2), Py::i(63)), Py::f(1.5)}),
                      Py::i(0))) == "9.223372036854776e+18");
  CHECK(p.repr(sum_of(&p.c, Py::list({box_bool(true), box_bool(true)}), Py::i(0))) == "2");
  CHECK(p.repr(sum_of(&p.c, empty, box_bool(true))) == "True");
  sum_of(&p.c, Py::list({Py::s("a")}), Py::i(0));
  CHECK(p.exc() == "TypeError: unsupported operand type(s) for +: 'int' and 'str'");
  sum_of(&p.c, empty, Py::s(""));
  CHECK(p.exc() == "TypeError: sum() can't sum strings [use ''.join(seq) instead]");
  CHECK((any_of(&p.c, Py::ints({0, 0, 3})) == 1 && any_of(&p.c, empty) == 0));
  CHECK((all_of(&p.c, Py::ints({1, 0})) == 0 && all_of(&p.c, empty) == 1));
  CHECK(any_of(&p.c, Py::i(1)) == -1);
  CHECK(p.exc() == "TypeError: 'int' object is not iterable");

  Val t = tuple_of({Py::i(1)});
  CHECK(tuple_of_iterable(&p.c, t).bits == t.bits);
  CHECK(p.repr(tuple_of_iterable(&p.c, p.set({2, 1}))) == "(1, 2)");
  CHECK(p.repr(box_ptr(Tag::List, list_of(&p.c, p.dict({{Py::s("k"), Py::i(1)}})))) == "['k']");
  CHECK(p.repr(frozenset_of(&p.c, Py::s("aa"))) == "frozenset({'a'})");
  CHECK(p.repr(box_ptr(Tag::List, sorted_of(&p.c, p.set({3, 1, 2}), none(), true))) == "[3, 2, 1]");
}

TEST_CASE("frozen containers refuse mutation, naming where they were shared", "[containers]") {
  Py p;
  Val inner = Py::ints({1});
  Val outer = Py::list({inner, tuple_of({p.dict({})})});
  freeze(outer, "job.py:12");
  list_append(&p.c, as<List>(inner), Py::i(2));
  CHECK(p.exc() == "ImmutabilityError: cannot mutate this list: it was frozen when shared at job.py:12");
  Val d = as<Tuple>(as<List>(outer)->items[1])->items[0];
  dict_set(&p.c, as<Table>(d), Py::i(1), Py::i(1));
  CHECK(p.exc() == "ImmutabilityError: cannot mutate this dict: it was frozen when shared at job.py:12");
  Val s = p.set({1});
  freeze(s, "a.py:1");
  dyn_binop(&p.c, BinOp::BitOr, s, p.set({2}), true);
  CHECK(p.exc() == "ImmutabilityError: cannot mutate this set: it was frozen when shared at a.py:1");
  list_sort(&p.c, as<List>(outer), none(), false);
  CHECK(p.exc() == "ImmutabilityError: cannot mutate this list: it was frozen when shared at job.py:12");
  CHECK(p.repr(outer) == "[[1], ({},)]");
}

TEST_CASE("sorting keys laid out flat keeps CPython's order and stability", "[containers]") {
  gc_init();
  Ctx c{};
  c.depth_limit = 1000;
  // (group, id) tuples of ints, sorted by themselves; then the same by plain int keys, reversed
  std::vector<Val> items;
  for (int64_t i = 0; i < 200; ++i) {
    Val pair[2] = {box_int((i * 37) % 7), box_int(-i)};
    items.push_back(tuple_new(2, pair));
  }
  List* l = list_from(int64_t(items.size()), items.data());
  list_sort(&c, l, none(), false);
  REQUIRE(c.exc == nullptr);
  for (int64_t i = 1; i < l->n; ++i) {
    auto* a = as<Tuple>(l->items[i - 1]);
    auto* b = as<Tuple>(l->items[i]);
    bool ordered = a->items[0].bits < b->items[0].bits ||
                   (a->items[0].bits == b->items[0].bits && int64_t(a->items[1].bits) <= int64_t(b->items[1].bits));
    CHECK(ordered);
  }
  // equal float keys keep their original order when reversed (reverse keeps stability)
  std::vector<Val> fl;
  for (int64_t i = 0; i < 50; ++i)
    fl.push_back(box_float(double(i % 5)));
  List* f = list_from(int64_t(fl.size()), fl.data());
  list_sort(&c, f, none(), true);
  CHECK(unbox_float(f->items[0]) == 4.0);
  CHECK(unbox_float(f->items[49]) == 0.0);
}
