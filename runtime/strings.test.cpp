/// str methods, indexing and formatting. Every expected value below was printed by CPython 3.11
/// (results as repr(), errors as "Kind: message").

#include "runtime/format.hpp"
#include "runtime/methods.hpp"
#include "runtime/numeric_detail.hpp"

#include <catch2/catch.hpp>

#include <cmath>
#include <cstring>
#include <string>
#include <utility>
#include <vector>

using namespace shoal::rt;

namespace {

struct Fixture {
  std::string out;
  Ctx c{};
  Fixture() {
    gc_init();
    c.memory_limit = 1 << 30;
    c.depth_limit = 1000;
    c.out = &out;
  }
  Val s(const char* text) { return box_ptr(Tag::Str, str_new(text, int64_t(std::strlen(text)))); }
  Val big(const std::string& digits) { return int_from_string(&c, digits); }
  Val list(std::initializer_list<Val> items) {
    auto* l = static_cast<List*>(gc_alloc(sizeof(List)));
    l->n = l->cap = int64_t(items.size());
    l->items = static_cast<Val*>(gc_alloc(sizeof(Val) * (items.size() + 1)));
    std::copy(items.begin(), items.end(), l->items);
    return box_ptr(Tag::List, l);
  }
  Val dict(std::initializer_list<std::pair<Val, Val>> items) {
    Table* d = dict_new(0);
    for (auto& [k, v] : items)
      dict_set(&c, d, k, v);
    return box_ptr(Tag::Dict, d);
  }

  /// repr() of a result as CPython prints it, or "Kind: message" of the raised exception.
  std::string show(Val v) {
    if (c.exc) {
      std::string r = std::string(exc_name(c.exc->kind)) + ": " + exc_message(c.exc);
      c.exc = nullptr;
      return r;
    }
    std::string r;
    switch (v.tag) {
    case Tag::Str: return detail::str_repr(std::string(as<Str>(v)->data, size_t(as<Str>(v)->len)));
    case Tag::List:
      for (int64_t i = 0; i < as<List>(v)->n; ++i)
        r += (i ? ", " : "") + show(as<List>(v)->items[i]);
      return "[" + r + "]";
    case Tag::Tuple:
      for (int64_t i = 0; i < as<Tuple>(v)->n; ++i)
        r += (i ? ", " : "") + show(as<Tuple>(v)->items[i]);
      return "(" + r + (as<Tuple>(v)->n == 1 ? ",)" : ")");
    default: return repr_of(v);
    }
  }
  /// The text of a string result (not its repr), or "Kind: message".
  std::string text(const Str* r) {
    if (!c.exc) {
      REQUIRE(r != nullptr);
      return std::string(r->data, size_t(r->len));
    }
    return show(none());
  }

  std::string call(Val self, const char* name, std::vector<Val> pos, std::vector<std::pair<const char*, Val>> kw) {
    MethodFn fn = str_method(name);
    REQUIRE(fn != nullptr);
    std::vector<const char*> names;
    for (auto& [k, v] : kw) {
      names.push_back(k);
      pos.push_back(v);
    }
    Args a{int64_t(pos.size() - kw.size()), pos.data(), int64_t(kw.size()), names.data()};
    return show(fn(&c, self, a));
  }
  std::string format(Val v, const char* spec) { return text(format_value(&c, v, as<Str>(s(spec)))); }
  std::string percent(const char* fmt, Val args) { return text(str_percent(&c, as<Str>(s(fmt)), args)); }
  std::string slice(Val str, Val a, Val b, Val step) {
    Str* r = str_slice(&c, as<Str>(str), a, b, step);
    return show(r ? box_ptr(Tag::Str, r) : none());
  }
  std::string item(Val str, Val i) {
    Str* r = str_getitem(&c, as<Str>(str), int64_t(i.bits));
    return show(r ? box_ptr(Tag::Str, r) : none());
  }
  std::string contains(Val str, Val sub) { return str_contains(as<Str>(str), as<Str>(sub)) ? "True" : "False"; }
};

} // namespace

TEST_CASE("split, rsplit and splitlines", "[strings]") {
  Fixture f;
  CHECK(f.call(f.s("  a  b  "), "split", {}, {}) == "['a', 'b']");
  CHECK(f.call(f.s("a b\011c\012d"), "split", {}, {}) == "['a', 'b', 'c', 'd']");
  CHECK(f.call(f.s("  a  b  "), "split", {none(), box_int(1LL)}, {}) == "['a', 'b  ']");
  CHECK(f.call(f.s("  a  b  "), "rsplit", {none(), box_int(1LL)}, {}) == "['  a', 'b']");
  CHECK(f.call(f.s("  a b "), "split", {none(), box_int(0LL)}, {}) == "['a b ']");
  CHECK(f.call(f.s("  a b "), "rsplit", {none(), box_int(0LL)}, {}) == "['  a b']");
  CHECK(f.call(f.s("   "), "split", {}, {}) == "[]");
  CHECK(f.call(f.s(""), "split", {}, {}) == "[]");
  CHECK(f.call(f.s(""), "split", {f.s(",")}, {}) == "['']");
  CHECK(f.call(f.s("  a  b  "), "split", {f.s(" ")}, {}) == "['', '', 'a', '', 'b', '', '']");
  CHECK(f.call(f.s("a,b,,c"), "split", {f.s(",")}, {}) == "['a', 'b', '', 'c']");
  CHECK(f.call(f.s("a,b,,c"), "split", {f.s(","), box_int(2LL)}, {}) == "['a', 'b', ',c']");
  CHECK(f.call(f.s("a,b,,c"), "rsplit", {f.s(","), box_int(2LL)}, {}) == "['a,b', '', 'c']");
  CHECK(f.call(f.s("a,b,,c"), "rsplit", {f.s(","), box_int(-1LL)}, {}) == "['a', 'b', '', 'c']");
  CHECK(f.call(f.s("aaa"), "split", {f.s("aa")}, {}) == "['', 'a']");
  CHECK(f.call(f.s("aaa"), "rsplit", {f.s("aa")}, {}) == "['a', '']");
  CHECK(f.call(f.s("a::b::c"), "split", {}, {{"sep", f.s("::")}, {"maxsplit", box_int(1LL)}}) == "['a', 'b::c']");
  CHECK(f.call(f.s("a::b::c"), "rsplit", {}, {{"maxsplit", box_int(1LL)}, {"sep", f.s("::")}}) == "['a::b', 'c']");
  CHECK(f.call(f.s("a\034b\035c\036d\037e\302\205f g\342\200\200h　i\342\200\213j"), "split", {}, {}) == "['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i\\u200bj']");
  CHECK(f.call(f.s("é b  ü　ö"), "split", {}, {}) == "['é', 'b', 'ü', 'ö']");
  CHECK(f.call(f.s("é b  ü　ö "), "rsplit", {none(), box_int(1LL)}, {}) == "['é b  ü', 'ö']");
  CHECK(f.call(f.s("xéyéz"), "split", {f.s("é")}, {}) == "['x', 'y', 'z']");
  CHECK(f.call(f.s("xéyéz"), "rsplit", {f.s("é"), box_int(1LL)}, {}) == "['xéy', 'z']");
  CHECK(f.call(f.s("a b"), "split", {box_int(1LL), box_int(2LL), box_int(3LL)}, {}) == "TypeError: split() takes at most 2 arguments (3 given)");
  CHECK(f.call(f.s("a b"), "split", {}, {{"x", box_int(1LL)}}) == "TypeError: 'x' is an invalid keyword argument for split()");
  CHECK(f.call(f.s("a b"), "split", {box_int(1LL)}, {}) == "TypeError: must be str or None, not int");
  CHECK(f.call(f.s("a b"), "rsplit", {box_int(1LL)}, {}) == "TypeError: must be str or None, not int");
  CHECK(f.call(f.s("a b"), "split", {f.s("")}, {}) == "ValueError: empty separator");
  CHECK(f.call(f.s("a b"), "split", {f.s(" ")}, {{"sep", f.s(" ")}}) == "TypeError: argument for split() given by name ('sep') and position (1)");
  CHECK(f.call(f.s("a b"), "split", {none(), f.s("x")}, {}) == "TypeError: 'str' object cannot be interpreted as an integer");
  CHECK(f.call(f.s("a b"), "split", {}, {{"maxsplit", box_float(1.5)}}) == "TypeError: 'float' object cannot be interpreted as an integer");
  CHECK(f.call(f.s("a b"), "split", {}, {{"maxsplit", none()}}) == "TypeError: 'NoneType' object cannot be interpreted as an integer");
  CHECK(f.call(f.s("a b"), "split", {f.s(" "), box_int(1LL)}, {{"x", box_int(2LL)}}) == "TypeError: split() takes at most 2 arguments (3 given)");
  CHECK(f.call(f.s("a b"), "split", {}, {{"sep", f.s(" ")}, {"maxsplit", box_int(1LL)}, {"x", box_int(3LL)}}) == "TypeError: split() takes at most 2 keyword arguments (3 given)");
  CHECK(f.call(f.s("a"), "split", {none(), f.big("1180591620717411303424")}, {}) == "OverflowError: Python int too large to convert to C ssize_t");
  CHECK(f.call(f.s("a\012b\015\012c\015d\013e\014f\034g\302\205h\342\200\250i"), "splitlines", {}, {}) == "['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i']");
  CHECK(f.call(f.s("a\012b\015\012c\015d\013e\014f\034g\302\205h\342\200\250i\012"), "splitlines", {box_bool(true)}, {}) == "['a\\n', 'b\\r\\n', 'c\\r', 'd\\x0b', 'e\\x0c', 'f\\x1c', 'g\\x85', 'h\\u2028', 'i\\n']");
  CHECK(f.call(f.s("ab\012"), "splitlines", {}, {}) == "['ab']");
  CHECK(f.call(f.s(""), "splitlines", {}, {}) == "[]");
  CHECK(f.call(f.s("\012"), "splitlines", {}, {}) == "['']");
  CHECK(f.call(f.s("\012\012"), "splitlines", {}, {{"keepends", box_bool(true)}}) == "['\\n', '\\n']");
  CHECK(f.call(f.s("a\015"), "splitlines", {box_bool(true)}, {}) == "['a\\r']");
  CHECK(f.call(f.s("a"), "splitlines", {box_int(1LL), box_int(2LL)}, {}) == "TypeError: splitlines() takes at most 1 argument (2 given)");
  CHECK(f.call(f.s("a"), "splitlines", {}, {{"x", box_int(1LL)}}) == "TypeError: 'x' is an invalid keyword argument for splitlines()");
  CHECK(f.call(f.s("a"), "splitlines", {f.s("x")}, {}) == "TypeError: 'str' object cannot be interpreted as an integer");
  CHECK(f.call(f.s("a"), "splitlines", {}, {{"keepends", box_bool(true)}, {"x", box_int(1LL)}}) == "TypeError: splitlines() takes at most 1 keyword argument (2 given)");
}

TEST_CASE("join, strip and the find family", "[strings]") {
  Fixture f;
  CHECK(f.call(f.s(", "), "join", {f.list({f.s("a"), f.s("b"), f.s("c")})}, {}) == "'a, b, c'");
  CHECK(f.call(f.s(""), "join", {tuple_of({f.s("x"), f.s("y")})}, {}) == "'xy'");
  CHECK(f.call(f.s("-"), "join", {f.list({})}, {}) == "''");
  CHECK(f.call(f.s("-"), "join", {f.list({f.s("solo")})}, {}) == "'solo'");
  CHECK(f.call(f.s("é"), "join", {f.list({f.s("a"), f.s("ü")})}, {}) == "'aéü'");
  CHECK(f.call(f.s("a"), "join", {f.list({box_int(1LL)})}, {}) == "TypeError: sequence item 0: expected str instance, int found");
  CHECK(f.call(f.s("a"), "join", {f.list({f.s("a"), box_int(1LL)})}, {}) == "TypeError: sequence item 1: expected str instance, int found");
  CHECK(f.call(f.s("a"), "join", {tuple_of({f.s("a"), none()})}, {}) == "TypeError: sequence item 1: expected str instance, NoneType found");
  CHECK(f.call(f.s("a"), "join", {}, {}) == "TypeError: str.join() takes exactly one argument (0 given)");
  CHECK(f.call(f.s("a"), "join", {box_int(1LL)}, {}) == "TypeError: can only join an iterable");
  CHECK(f.call(f.s("a"), "join", {f.list({f.s("a")})}, {{"x", box_int(1LL)}}) == "TypeError: str.join() takes no keyword arguments");
  CHECK(f.call(f.s("  xx  "), "strip", {}, {}) == "'xx'");
  CHECK(f.call(f.s("\034 a \302\205　"), "strip", {}, {}) == "'a'");
  CHECK(f.call(f.s("xyhixy"), "strip", {f.s("xy")}, {}) == "'hi'");
  CHECK(f.call(f.s("xyhixy"), "lstrip", {f.s("xy")}, {}) == "'hixy'");
  CHECK(f.call(f.s("xyhixy"), "rstrip", {f.s("xy")}, {}) == "'xyhi'");
  CHECK(f.call(f.s("éaé"), "strip", {f.s("é")}, {}) == "'a'");
  CHECK(f.call(f.s("  a "), "lstrip", {}, {}) == "'a '");
  CHECK(f.call(f.s("  a "), "rstrip", {none()}, {}) == "'  a'");
  CHECK(f.call(f.s("aaa"), "strip", {f.s("a")}, {}) == "''");
  CHECK(f.call(f.s("a"), "strip", {box_int(1LL)}, {}) == "TypeError: strip arg must be None or str");
  CHECK(f.call(f.s("a"), "lstrip", {box_int(1LL)}, {}) == "TypeError: lstrip arg must be None or str");
  CHECK(f.call(f.s("a"), "strip", {box_int(1LL), box_int(2LL)}, {}) == "TypeError: strip expected at most 1 argument, got 2");
  CHECK(f.call(f.s("a"), "strip", {}, {{"chars", f.s("a")}}) == "TypeError: str.strip() takes no keyword arguments");
  CHECK(f.call(f.s("hello world"), "find", {f.s("o")}, {}) == "4");
  CHECK(f.call(f.s("hello world"), "rfind", {f.s("o")}, {}) == "7");
  CHECK(f.call(f.s("hello world"), "find", {f.s("o"), box_int(5LL)}, {}) == "7");
  CHECK(f.call(f.s("hello world"), "find", {f.s("o"), box_int(5LL), box_int(7LL)}, {}) == "-1");
  CHECK(f.call(f.s("hello world"), "find", {f.s("xyz")}, {}) == "-1");
  CHECK(f.call(f.s("abc"), "find", {f.s(""), box_int(3LL)}, {}) == "3");
  CHECK(f.call(f.s("abc"), "find", {f.s(""), box_int(4LL)}, {}) == "-1");
  CHECK(f.call(f.s("abc"), "rfind", {f.s("")}, {}) == "3");
  CHECK(f.call(f.s("abc"), "rfind", {f.s(""), box_int(1LL), box_int(2LL)}, {}) == "2");
  CHECK(f.call(f.s("abcb"), "rfind", {f.s("b"), box_int(-2LL)}, {}) == "3");
  CHECK(f.call(f.s("abcb"), "find", {f.s("b"), box_int(-100LL), box_int(-1LL)}, {}) == "1");
  CHECK(f.call(f.s("abc"), "find", {f.s("a"), none(), none()}, {}) == "0");
  CHECK(f.call(f.s("abc"), "find", {f.s("a"), f.big("1180591620717411303424")}, {}) == "-1");
  CHECK(f.call(f.s("héllo wörld"), "find", {f.s("w")}, {}) == "6");
  CHECK(f.call(f.s("héllo wörld"), "rfind", {f.s("l")}, {}) == "9");
  CHECK(f.call(f.s("héllo wörld"), "find", {f.s("ö"), box_int(3LL), box_int(9LL)}, {}) == "7");
  CHECK(f.call(f.s("héllo"), "index", {f.s("l"), box_int(3LL)}, {}) == "3");
  CHECK(f.call(f.s("héllo"), "rindex", {f.s("l")}, {}) == "3");
  CHECK(f.call(f.s("a"), "index", {f.s("b")}, {}) == "ValueError: substring not found");
  CHECK(f.call(f.s("a"), "rindex", {f.s("b")}, {}) == "ValueError: substring not found");
  CHECK(f.call(f.s("a"), "find", {}, {}) == "TypeError: find() takes at least 1 argument (0 given)");
  CHECK(f.call(f.s("a"), "find", {box_int(1LL)}, {}) == "TypeError: must be str, not int");
  CHECK(f.call(f.s("a"), "find", {f.s("a"), f.s("x")}, {}) == "TypeError: slice indices must be integers or None or have an __index__ method");
  CHECK(f.call(f.s("a"), "find", {f.s("a"), box_int(1LL), box_int(2LL), box_int(3LL)}, {}) == "TypeError: find() takes at most 3 arguments (4 given)");
  CHECK(f.call(f.s("a"), "find", {}, {{"sub", f.s("a")}}) == "TypeError: str.find() takes no keyword arguments");
  CHECK(f.call(f.s("a"), "index", {}, {}) == "TypeError: index() takes at least 1 argument (0 given)");
  CHECK(f.call(f.s("abcabc"), "count", {f.s("bc")}, {}) == "2");
  CHECK(f.call(f.s("aaaa"), "count", {f.s("aa")}, {}) == "2");
  CHECK(f.call(f.s("abcabc"), "count", {f.s("")}, {}) == "7");
  CHECK(f.call(f.s("abc"), "count", {f.s(""), box_int(1LL)}, {}) == "3");
  CHECK(f.call(f.s("abc"), "count", {f.s(""), box_int(5LL)}, {}) == "0");
  CHECK(f.call(f.s("héllo"), "count", {f.s("l"), box_int(-2LL)}, {}) == "1");
  CHECK(f.call(f.s("a"), "count", {box_int(1LL)}, {}) == "TypeError: must be str, not int");
  CHECK(f.call(f.s("a"), "count", {}, {}) == "TypeError: count() takes at least 1 argument (0 given)");
  CHECK(f.call(f.s("hello"), "startswith", {f.s("he")}, {}) == "True");
  CHECK(f.call(f.s("hello"), "startswith", {f.s("lo"), box_int(3LL)}, {}) == "True");
  CHECK(f.call(f.s("hello"), "endswith", {f.s("ll"), box_int(0LL), box_int(4LL)}, {}) == "True");
  CHECK(f.call(f.s("hello"), "endswith", {tuple_of({f.s("x"), f.s("lo")})}, {}) == "True");
  CHECK(f.call(f.s("abc"), "startswith", {tuple_of({f.s("x"), f.s("b")}), box_int(1LL)}, {}) == "True");
  CHECK(f.call(f.s("abc"), "startswith", {f.s(""), box_int(3LL)}, {}) == "True");
  CHECK(f.call(f.s("abc"), "startswith", {f.s(""), box_int(4LL)}, {}) == "False");
  CHECK(f.call(f.s("abc"), "endswith", {f.s("bc"), box_int(-3LL), none()}, {}) == "True");
  CHECK(f.call(f.s("abc"), "endswith", {f.s(""), box_int(5LL)}, {}) == "False");
  CHECK(f.call(f.s("héllo"), "endswith", {f.s("llo"), box_int(2LL)}, {}) == "True");
  CHECK(f.call(f.s("héllo"), "startswith", {f.s("é"), box_int(1LL)}, {}) == "True");
  CHECK(f.call(f.s("a"), "startswith", {tuple_of({f.s("a"), box_int(1LL)})}, {}) == "True");
  CHECK(f.call(f.s("a"), "endswith", {tuple_of({f.s("b"), box_int(1LL)})}, {}) == "TypeError: tuple for endswith must only contain str, not int");
  CHECK(f.call(f.s("a"), "startswith", {}, {}) == "TypeError: startswith() takes at least 1 argument (0 given)");
  CHECK(f.call(f.s("a"), "startswith", {box_int(1LL)}, {}) == "TypeError: startswith first arg must be str or a tuple of str, not int");
  CHECK(f.call(f.s("a"), "endswith", {box_int(1LL)}, {}) == "TypeError: endswith first arg must be str or a tuple of str, not int");
  CHECK(f.call(f.s("a"), "startswith", {f.s("a"), f.s("x")}, {}) == "TypeError: slice indices must be integers or None or have an __index__ method");
  CHECK(f.call(f.s("a"), "startswith", {f.s("a"), box_int(1LL), box_int(2LL), box_int(3LL)}, {}) == "TypeError: startswith() takes at most 3 arguments (4 given)");
  CHECK(f.call(f.s("a"), "startswith", {}, {{"prefix", f.s("a")}}) == "TypeError: str.startswith() takes no keyword arguments");
}

TEST_CASE("replace, partition, affixes, padding and tabs", "[strings]") {
  Fixture f;
  CHECK(f.call(f.s("aXbXc"), "replace", {f.s("X"), f.s("-")}, {}) == "'a-b-c'");
  CHECK(f.call(f.s("aXbXc"), "replace", {f.s("X"), f.s(""), box_int(1LL)}, {}) == "'abXc'");
  CHECK(f.call(f.s("abc"), "replace", {f.s(""), f.s("-")}, {}) == "'-a-b-c-'");
  CHECK(f.call(f.s("abc"), "replace", {f.s(""), f.s("-"), box_int(2LL)}, {}) == "'-a-bc'");
  CHECK(f.call(f.s("abc"), "replace", {f.s("b"), f.s("x"), box_int(-1LL)}, {}) == "'axc'");
  CHECK(f.call(f.s("abc"), "replace", {f.s("b"), f.s("x"), box_int(0LL)}, {}) == "'abc'");
  CHECK(f.call(f.s("abc"), "replace", {f.s("z"), f.s("x")}, {}) == "'abc'");
  CHECK(f.call(f.s("héllo"), "replace", {f.s("l"), f.s("L")}, {}) == "'héLLo'");
  CHECK(f.call(f.s("héllo"), "replace", {f.s(""), f.s(".")}, {}) == "'.h.é.l.l.o.'");
  CHECK(f.call(f.s("a"), "replace", {f.s("a")}, {}) == "TypeError: replace expected at least 2 arguments, got 1");
  CHECK(f.call(f.s("a"), "replace", {box_int(1LL), f.s("b")}, {}) == "TypeError: replace() argument 1 must be str, not int");
  CHECK(f.call(f.s("a"), "replace", {f.s("a"), box_int(1LL)}, {}) == "TypeError: replace() argument 2 must be str, not int");
  CHECK(f.call(f.s("a"), "replace", {f.s("a"), f.s("b"), f.s("c")}, {}) == "TypeError: 'str' object cannot be interpreted as an integer");
  CHECK(f.call(f.s("a"), "replace", {f.s("a"), f.s("b")}, {{"count", box_int(1LL)}}) == "TypeError: str.replace() takes no keyword arguments");
  CHECK(f.call(f.s("a"), "replace", {f.s("a"), f.s("b"), box_int(1LL), box_int(2LL)}, {}) == "TypeError: replace expected at most 3 arguments, got 4");
  CHECK(f.call(f.s("a"), "replace", {f.s("a"), f.s("b"), f.big("1180591620717411303424")}, {}) == "OverflowError: Python int too large to convert to C ssize_t");
  CHECK(f.call(f.s("abc"), "partition", {f.s("b")}, {}) == "('a', 'b', 'c')");
  CHECK(f.call(f.s("abc"), "partition", {f.s("x")}, {}) == "('abc', '', '')");
  CHECK(f.call(f.s("abcbd"), "rpartition", {f.s("b")}, {}) == "('abc', 'b', 'd')");
  CHECK(f.call(f.s("abc"), "rpartition", {f.s("x")}, {}) == "('', '', 'abc')");
  CHECK(f.call(f.s("a"), "partition", {f.s("")}, {}) == "ValueError: empty separator");
  CHECK(f.call(f.s("a"), "partition", {box_int(1LL)}, {}) == "TypeError: must be str, not int");
  CHECK(f.call(f.s("a"), "partition", {}, {}) == "TypeError: str.partition() takes exactly one argument (0 given)");
  CHECK(f.call(f.s("abc"), "removeprefix", {f.s("ab")}, {}) == "'c'");
  CHECK(f.call(f.s("abc"), "removeprefix", {f.s("x")}, {}) == "'abc'");
  CHECK(f.call(f.s("abc"), "removesuffix", {f.s("bc")}, {}) == "'a'");
  CHECK(f.call(f.s("abc"), "removesuffix", {f.s("")}, {}) == "'abc'");
  CHECK(f.call(f.s("a"), "removeprefix", {box_int(1LL)}, {}) == "TypeError: removeprefix() argument must be str, not int");
  CHECK(f.call(f.s("a"), "removesuffix", {box_int(1LL)}, {}) == "TypeError: removesuffix() argument must be str, not int");
  CHECK(f.call(f.s("a"), "removeprefix", {}, {}) == "TypeError: str.removeprefix() takes exactly one argument (0 given)");
  CHECK(f.call(f.s("ab"), "center", {box_int(5LL), f.s("*")}, {}) == "'**ab*'");
  CHECK(f.call(f.s("abc"), "center", {box_int(6LL), f.s("*")}, {}) == "'*abc**'");
  CHECK(f.call(f.s("ab"), "center", {box_int(6LL)}, {}) == "'  ab  '");
  CHECK(f.call(f.s("a"), "center", {box_int(4LL)}, {}) == "' a  '");
  CHECK(f.call(f.s("abc"), "center", {box_int(2LL)}, {}) == "'abc'");
  CHECK(f.call(f.s("ab"), "ljust", {box_int(5LL), f.s("é")}, {}) == "'abééé'");
  CHECK(f.call(f.s("ab"), "rjust", {box_int(5LL), f.s("-")}, {}) == "'---ab'");
  CHECK(f.call(f.s("é"), "rjust", {box_int(3LL)}, {}) == "'  é'");
  CHECK(f.call(f.s("a"), "center", {}, {}) == "TypeError: center expected at least 1 argument, got 0");
  CHECK(f.call(f.s("a"), "center", {box_int(5LL), f.s("ab")}, {}) == "TypeError: The fill character must be exactly one character long");
  CHECK(f.call(f.s("a"), "center", {box_int(5LL), box_int(1LL)}, {}) == "TypeError: The fill character must be a unicode character, not int");
  CHECK(f.call(f.s("a"), "center", {f.s("x")}, {}) == "TypeError: 'str' object cannot be interpreted as an integer");
  CHECK(f.call(f.s("a"), "center", {box_int(5LL), f.s("a"), box_int(1LL)}, {}) == "TypeError: center expected at most 2 arguments, got 3");
  CHECK(f.call(f.s("a"), "center", {}, {{"width", box_int(5LL)}}) == "TypeError: str.center() takes no keyword arguments");
  CHECK(f.call(f.s("a"), "ljust", {box_int(5LL), f.s("")}, {}) == "TypeError: The fill character must be exactly one character long");
  CHECK(f.call(f.s("a"), "rjust", {}, {}) == "TypeError: rjust expected at least 1 argument, got 0");
  CHECK(f.call(f.s("a"), "center", {f.big("1180591620717411303424")}, {}) == "OverflowError: Python int too large to convert to C ssize_t");
  CHECK(f.call(f.s("-42"), "zfill", {box_int(6LL)}, {}) == "'-00042'");
  CHECK(f.call(f.s("+42"), "zfill", {box_int(6LL)}, {}) == "'+00042'");
  CHECK(f.call(f.s("42"), "zfill", {box_int(1LL)}, {}) == "'42'");
  CHECK(f.call(f.s("--"), "zfill", {box_int(4LL)}, {}) == "'-00-'");
  CHECK(f.call(f.s(""), "zfill", {box_int(3LL)}, {}) == "'000'");
  CHECK(f.call(f.s("é"), "zfill", {box_int(3LL)}, {}) == "'00é'");
  CHECK(f.call(f.s("a"), "zfill", {}, {}) == "TypeError: str.zfill() takes exactly one argument (0 given)");
  CHECK(f.call(f.s("a"), "zfill", {f.s("x")}, {}) == "TypeError: 'str' object cannot be interpreted as an integer");
  CHECK(f.call(f.s("a"), "zfill", {box_int(1LL), box_int(2LL)}, {}) == "TypeError: str.zfill() takes exactly one argument (2 given)");
  CHECK(f.call(f.s("a"), "zfill", {box_float(1.5)}, {}) == "TypeError: 'float' object cannot be interpreted as an integer");
  CHECK(f.call(f.s("a\011bc\011d\012\011x\015\011y"), "expandtabs", {}, {}) == "'a       bc      d\\n        x\\r        y'");
  CHECK(f.call(f.s("a\011b"), "expandtabs", {box_int(4LL)}, {}) == "'a   b'");
  CHECK(f.call(f.s("é\011b"), "expandtabs", {box_int(4LL)}, {}) == "'é   b'");
  CHECK(f.call(f.s("a\011b"), "expandtabs", {box_int(0LL)}, {}) == "'ab'");
  CHECK(f.call(f.s("a\011b"), "expandtabs", {}, {{"tabsize", box_int(-1LL)}}) == "'ab'");
  CHECK(f.call(f.s("a"), "expandtabs", {f.s("x")}, {}) == "TypeError: 'str' object cannot be interpreted as an integer");
  CHECK(f.call(f.s("a"), "expandtabs", {box_int(1LL), box_int(2LL)}, {}) == "TypeError: expandtabs() takes at most 1 argument (2 given)");
  CHECK(f.call(f.s("a"), "expandtabs", {}, {{"x", box_int(1LL)}}) == "TypeError: 'x' is an invalid keyword argument for expandtabs()");
  CHECK(f.call(f.s("a"), "expandtabs", {box_int(1099511627776LL)}, {}) == "OverflowError: Python int too large to convert to C int");
}

TEST_CASE("case mapping and predicates", "[strings]") {
  Fixture f;
  CHECK(f.call(f.s("Hello World"), "lower", {}, {}) == "'hello world'");
  CHECK(f.call(f.s("Hello World"), "upper", {}, {}) == "'HELLO WORLD'");
  CHECK(f.call(f.s("Hello World"), "swapcase", {}, {}) == "'hELLO wORLD'");
  CHECK(f.call(f.s("hello world"), "capitalize", {}, {}) == "'Hello world'");
  CHECK(f.call(f.s("HELLO wORLD"), "capitalize", {}, {}) == "'Hello world'");
  CHECK(f.call(f.s("hello world"), "title", {}, {}) == "'Hello World'");
  CHECK(f.call(f.s("they're bill's 1st"), "title", {}, {}) == "\"They'Re Bill'S 1St\"");
  CHECK(f.call(f.s("éCOLE ÜBER"), "lower", {}, {}) == "'école über'");
  CHECK(f.call(f.s("école über"), "upper", {}, {}) == "'ÉCOLE ÜBER'");
  CHECK(f.call(f.s("éCOLE"), "capitalize", {}, {}) == "'École'");
  CHECK(f.call(f.s("straße"), "upper", {}, {}) == "'STRASSE'");
  CHECK(f.call(f.s("straße"), "casefold", {}, {}) == "'strasse'");
  CHECK(f.call(f.s("ﬁx"), "upper", {}, {}) == "'FIX'");
  CHECK(f.call(f.s("İ"), "lower", {}, {}) == "'i̇'");
  CHECK(f.call(f.s("ΣΑΣ Σ"), "lower", {}, {}) == "'σας σ'");
  CHECK(f.call(f.s("aΣ"), "lower", {}, {}) == "'aς'");
  CHECK(f.call(f.s("aΣb"), "lower", {}, {}) == "'aσb'");
  CHECK(f.call(f.s("a.Σ"), "lower", {}, {}) == "'a.ς'");
  CHECK(f.call(f.s("ǆemal"), "title", {}, {}) == "'ǅemal'");
  CHECK(f.call(f.s("ǆ"), "capitalize", {}, {}) == "'ǅ'");
  CHECK(f.call(f.s("ß"), "swapcase", {}, {}) == "'SS'");
  CHECK(f.call(f.s("ÀbC"), "swapcase", {}, {}) == "'àBc'");
  CHECK(f.call(f.s("MASSE"), "casefold", {}, {}) == "'masse'");
  CHECK(f.call(f.s("ΣΑΣ"), "title", {}, {}) == "'Σας'");
  CHECK(f.call(f.s("a"), "lower", {box_int(1LL)}, {}) == "TypeError: str.lower() takes no arguments (1 given)");
  CHECK(f.call(f.s("a"), "lower", {}, {{"x", box_int(1LL)}}) == "TypeError: str.lower() takes no keyword arguments");
  CHECK(f.call(f.s("a"), "upper", {box_int(1LL), box_int(2LL)}, {}) == "TypeError: str.upper() takes no arguments (2 given)");
  CHECK(f.call(f.s("a"), "casefold", {box_int(1LL)}, {}) == "TypeError: str.casefold() takes no arguments (1 given)");
  CHECK(f.call(f.s("a"), "title", {box_int(1LL)}, {}) == "TypeError: str.title() takes no arguments (1 given)");
  CHECK(f.call(f.s("abc"), "isalpha", {}, {}) == "True");
  CHECK(f.call(f.s("ab1"), "isalpha", {}, {}) == "False");
  CHECK(f.call(f.s("é中"), "isalpha", {}, {}) == "True");
  CHECK(f.call(f.s("٣"), "isalpha", {}, {}) == "False");
  CHECK(f.call(f.s(""), "isalpha", {}, {}) == "False");
  CHECK(f.call(f.s("abc1"), "isalnum", {}, {}) == "True");
  CHECK(f.call(f.s("٣"), "isalnum", {}, {}) == "True");
  CHECK(f.call(f.s("a b"), "isalnum", {}, {}) == "False");
  CHECK(f.call(f.s("123"), "isdigit", {}, {}) == "True");
  CHECK(f.call(f.s("²"), "isdigit", {}, {}) == "True");
  CHECK(f.call(f.s("²"), "isdecimal", {}, {}) == "False");
  CHECK(f.call(f.s("٣"), "isdigit", {}, {}) == "True");
  CHECK(f.call(f.s("٣"), "isdecimal", {}, {}) == "True");
  CHECK(f.call(f.s("½"), "isnumeric", {}, {}) == "True");
  CHECK(f.call(f.s("½"), "isdigit", {}, {}) == "False");
  CHECK(f.call(f.s("一"), "isnumeric", {}, {}) == "True");
  CHECK(f.call(f.s(""), "isdigit", {}, {}) == "False");
  CHECK(f.call(f.s(" \011\012\034\302\205　"), "isspace", {}, {}) == "True");
  CHECK(f.call(f.s("\342\200\213"), "isspace", {}, {}) == "False");
  CHECK(f.call(f.s(""), "isspace", {}, {}) == "False");
  CHECK(f.call(f.s("ABC1"), "isupper", {}, {}) == "True");
  CHECK(f.call(f.s("abc"), "isupper", {}, {}) == "False");
  CHECK(f.call(f.s("1"), "isupper", {}, {}) == "False");
  CHECK(f.call(f.s("ÉCOLE"), "isupper", {}, {}) == "True");
  CHECK(f.call(f.s("abc1"), "islower", {}, {}) == "True");
  CHECK(f.call(f.s("aBc"), "islower", {}, {}) == "False");
  CHECK(f.call(f.s("ǅ"), "isupper", {}, {}) == "False");
  CHECK(f.call(f.s("Hello World"), "istitle", {}, {}) == "True");
  CHECK(f.call(f.s("Hello world"), "istitle", {}, {}) == "False");
  CHECK(f.call(f.s("ǅemal"), "istitle", {}, {}) == "True");
  CHECK(f.call(f.s("_a1"), "isidentifier", {}, {}) == "True");
  CHECK(f.call(f.s("1a"), "isidentifier", {}, {}) == "False");
  CHECK(f.call(f.s(""), "isidentifier", {}, {}) == "False");
  CHECK(f.call(f.s("中文"), "isidentifier", {}, {}) == "True");
  CHECK(f.call(f.s("a-b"), "isidentifier", {}, {}) == "False");
  CHECK(f.call(f.s("ab\007"), "isprintable", {}, {}) == "False");
  CHECK(f.call(f.s(""), "isprintable", {}, {}) == "True");
  CHECK(f.call(f.s("abc"), "isascii", {}, {}) == "True");
  CHECK(f.call(f.s("é"), "isascii", {}, {}) == "False");
  CHECK(f.call(f.s("a"), "isdigit", {box_int(1LL)}, {}) == "TypeError: str.isdigit() takes no arguments (1 given)");
  CHECK(f.call(f.s("a"), "isidentifier", {box_int(1LL)}, {}) == "TypeError: str.isidentifier() takes no arguments (1 given)");
}

TEST_CASE("indexing, slicing and containment by code point", "[strings]") {
  Fixture f;
  CHECK(f.item(f.s("hello"), box_int(1LL)) == "'e'");
  CHECK(f.item(f.s("hello"), box_int(-1LL)) == "'o'");
  CHECK(f.item(f.s("héllo"), box_int(1LL)) == "'é'");
  CHECK(f.item(f.s("héllo"), box_int(-4LL)) == "'é'");
  CHECK(f.item(f.s("h€llo😀"), box_int(5LL)) == "'😀'");
  CHECK(f.item(f.s("hello"), box_int(5LL)) == "IndexError: string index out of range");
  CHECK(f.item(f.s("hello"), box_int(-6LL)) == "IndexError: string index out of range");
  CHECK(f.item(f.s(""), box_int(0LL)) == "IndexError: string index out of range");
  CHECK(f.slice(f.s("hello"), box_int(1LL), box_int(3LL), none()) == "'el'");
  CHECK(f.slice(f.s("hello"), none(), none(), box_int(-1LL)) == "'olleh'");
  CHECK(f.slice(f.s("hello"), none(), none(), box_int(2LL)) == "'hlo'");
  CHECK(f.slice(f.s("hello"), box_int(-3LL), none(), none()) == "'llo'");
  CHECK(f.slice(f.s("hello"), none(), box_int(-3LL), none()) == "'he'");
  CHECK(f.slice(f.s("hello"), box_int(10LL), none(), none()) == "''");
  CHECK(f.slice(f.s("hello"), box_int(3LL), box_int(1LL), none()) == "''");
  CHECK(f.slice(f.s("hello"), box_int(4LL), box_int(1LL), box_int(-2LL)) == "'ol'");
  CHECK(f.slice(f.s("héllo wörld"), box_int(1LL), box_int(8LL), none()) == "'éllo wö'");
  CHECK(f.slice(f.s("héllo wörld"), none(), none(), box_int(-1LL)) == "'dlröw olléh'");
  CHECK(f.slice(f.s("héllo wörld"), none(), none(), box_int(3LL)) == "'hlwl'");
  CHECK(f.slice(f.s("héllo wörld"), box_int(-5LL), box_int(-1LL), none()) == "'wörl'");
  CHECK(f.slice(f.s("h€llo😀"), box_int(4LL), none(), none()) == "'o😀'");
  CHECK(f.slice(f.s("hello"), box_int(-100LL), box_int(100LL), none()) == "'hello'");
  CHECK(f.slice(f.s("hello"), f.big("1180591620717411303424"), none(), none()) == "''");
  CHECK(f.slice(f.s("hello"), none(), f.big("-1180591620717411303424"), none()) == "''");
  CHECK(f.slice(f.s("hello"), none(), none(), f.big("1180591620717411303424")) == "'h'");
  CHECK(f.slice(f.s("hello"), none(), none(), f.big("-1180591620717411303424")) == "'o'");
  CHECK(f.contains(f.s("abc"), f.s("b")) == "True");
  CHECK(f.contains(f.s("abc"), f.s("")) == "True");
  CHECK(f.contains(f.s("abc"), f.s("bd")) == "False");
  CHECK(f.contains(f.s("héllo"), f.s("é")) == "True");
}

TEST_CASE("format specs for ints and bools", "[strings]") {
  Fixture f;
  CHECK(f.format(box_int(1234LL), "") == "1234");
  CHECK(f.format(box_int(1234LL), "d") == "1234");
  CHECK(f.format(box_int(1234LL), "10") == "      1234");
  CHECK(f.format(box_int(1234LL), "<10") == "1234      ");
  CHECK(f.format(box_int(1234LL), "^10") == "   1234   ");
  CHECK(f.format(box_int(1234LL), "*^11") == "***1234****");
  CHECK(f.format(box_int(-1234LL), "=10") == "-     1234");
  CHECK(f.format(box_int(1234LL), "+") == "+1234");
  CHECK(f.format(box_int(1234LL), " ") == " 1234");
  CHECK(f.format(box_int(-1234LL), " ") == "-1234");
  CHECK(f.format(box_int(1234567LL), ",") == "1,234,567");
  CHECK(f.format(box_int(1234567LL), "_") == "1_234_567");
  CHECK(f.format(box_int(-1234567LL), "015,") == "-00,001,234,567");
  CHECK(f.format(box_int(1234LL), "010,") == "00,001,234");
  CHECK(f.format(box_int(1234LL), "09,") == "0,001,234");
  CHECK(f.format(box_int(1234LL), "0=9,") == "0,001,234");
  CHECK(f.format(box_int(1234LL), "*=10,") == "*****1,234");
  CHECK(f.format(box_int(-1LL), "05") == "-0001");
  CHECK(f.format(box_int(-1LL), "<05") == "-1000");
  CHECK(f.format(box_int(1LL), "0<5") == "10000");
  CHECK(f.format(box_int(255LL), "x") == "ff");
  CHECK(f.format(box_int(255LL), "#X") == "0XFF");
  CHECK(f.format(box_int(255LL), "#b") == "0b11111111");
  CHECK(f.format(box_int(-255LL), "#o") == "-0o377");
  CHECK(f.format(box_int(11259375LL), "_x") == "ab_cdef");
  CHECK(f.format(box_int(11259375LL), "#012_x") == "0x0_00ab_cdef");
  CHECK(f.format(box_int(123LL), "x^+#12_b") == "+0b111_1011x");
  CHECK(f.format(box_int(65LL), "c") == "A");
  CHECK(f.format(box_int(233LL), ">5c") == "    é");
  CHECK(f.format(box_int(1234567LL), "n") == "1234567");
  CHECK(f.format(f.big("1180591620717411303424"), ",") == "1,180,591,620,717,411,303,424");
  CHECK(f.format(f.big("1180591620717411303424"), "x") == "400000000000000000");
  CHECK(f.format(f.big("-1180591620717411303424"), "#b") == "-0b10000000000000000000000000000000000000000000000000000000000000000000000");
  CHECK(f.format(box_int(INT64_MIN), "x") == "-8000000000000000");
  CHECK(f.format(box_int(9223372036854775807LL), "o") == "777777777777777777777");
  CHECK(f.format(box_int(12LL), "%") == "1200.000000%");
  CHECK(f.format(box_int(12LL), "g") == "12");
  CHECK(f.format(f.big("100000000000000000000"), "e") == "1.000000e+20");
  CHECK(f.format(box_int(1LL), ".2f") == "1.00");
  CHECK(f.format(box_bool(true), "") == "True");
  CHECK(f.format(box_bool(false), "") == "False");
  CHECK(f.format(box_bool(true), "d") == "1");
  CHECK(f.format(box_bool(true), ">5") == "    1");
  CHECK(f.format(box_bool(true), "s") == "ValueError: Unknown format code 's' for object of type 'bool'");
  CHECK(f.format(box_int(1114112LL), "c") == "OverflowError: %c arg not in range(0x110000)");
  CHECK(f.format(box_int(-1LL), "c") == "OverflowError: %c arg not in range(0x110000)");
  CHECK(f.format(box_int(65LL), "+c") == "ValueError: Sign not allowed with integer format specifier 'c'");
  CHECK(f.format(box_int(65LL), "#c") == "ValueError: Alternate form (#) not allowed with integer format specifier 'c'");
  CHECK(f.format(box_int(1LL), ".2") == "ValueError: Precision not allowed in integer format specifier");
  CHECK(f.format(box_int(1LL), "s") == "ValueError: Unknown format code 's' for object of type 'int'");
  CHECK(f.format(box_int(1LL), "z") == "ValueError: Negative zero coercion (z) not allowed in integer format specifier");
  CHECK(f.format(box_int(1LL), ",_") == "ValueError: Cannot specify both ',' and '_'.");
  CHECK(f.format(box_int(1LL), "_,") == "ValueError: Cannot specify both ',' and '_'.");
  CHECK(f.format(box_int(1LL), ",x") == "ValueError: Cannot specify ',' with 'x'.");
  CHECK(f.format(box_int(1LL), ",s") == "ValueError: Cannot specify ',' with 's'.");
  CHECK(f.format(box_int(1LL), "_c") == "ValueError: Cannot specify '_' with 'c'.");
  CHECK(f.format(box_int(1LL), "_n") == "ValueError: Cannot specify '_' with 'n'.");
  CHECK(f.format(box_int(1LL), ".") == "ValueError: Format specifier missing precision");
  CHECK(f.format(box_int(1LL), "abc") == "ValueError: Invalid format specifier 'abc' for object of type 'int'");
  CHECK(f.format(box_int(1LL), "99999999999999999999") == "ValueError: Too many decimal digits in format string");
  CHECK(f.format(box_int(1LL), "é") == "ValueError: Unknown format code '\\xe9' for object of type 'int'");
  CHECK(f.format(box_int(1LL), "\001") == "ValueError: Unknown format code '\\x1' for object of type 'int'");
  CHECK(f.format(f.big("13582985290493858492773514283592667786034938469317445497485196697278130927542418487205392083207560592298578262953847383475038725543234929971155548342800628721885763499406390331782864144164680730766837160526223176512798435772129956553355286032203080380775759732320198985094884004069116123084147875437183658467465148948790552744165376"), "e") == "OverflowError: int too large to convert to float");
}

TEST_CASE("format specs for floats", "[strings]") {
  Fixture f;
  CHECK(f.format(box_float(1.0), "") == "1.0");
  CHECK(f.format(box_float(1e+16), "") == "1e+16");
  CHECK(f.format(box_float(1.5), ">8") == "     1.5");
  CHECK(f.format(box_float(1.5), "+") == "+1.5");
  CHECK(f.format(box_float(-1.5), " ") == "-1.5");
  CHECK(f.format(box_float(-0.0), "") == "-0.0");
  CHECK(f.format(box_float(1.0), ".3") == "1.0");
  CHECK(f.format(box_float(10.0), ".3") == "10.0");
  CHECK(f.format(box_float(123.0), ".3") == "1.23e+02");
  CHECK(f.format(box_float(100.0), ".3") == "1e+02");
  CHECK(f.format(box_float(0.0001), ".3") == "0.0001");
  CHECK(f.format(box_float(1e-05), ".3") == "1e-05");
  CHECK(f.format(box_float(1.5), ".0") == "2e+00");
  CHECK(f.format(box_float(1e+22), ".3") == "1e+22");
  CHECK(f.format(box_float(1234.5), ",") == "1,234.5");
  CHECK(f.format(box_float(1234.5), ",.2f") == "1,234.50");
  CHECK(f.format(box_float(1234.5), "015,.2f") == "0,000,001,234.50");
  CHECK(f.format(box_float(1234.5), "_.1f") == "1_234.5");
  CHECK(f.format(box_float(3.14159), "f") == "3.141590");
  CHECK(f.format(box_float(3.14159), ".2f") == "3.14");
  CHECK(f.format(box_float(3.14159), "10.2e") == "  3.14e+00");
  CHECK(f.format(box_float(3.14159), "^10.2E") == " 3.14E+00 ");
  CHECK(f.format(box_float(1234.5), "e") == "1.234500e+03");
  CHECK(f.format(box_float(1234.5), ".0e") == "1e+03");
  CHECK(f.format(box_float(1234.5), "#.0e") == "1.e+03");
  CHECK(f.format(box_float(1.0), "#.0f") == "1.");
  CHECK(f.format(box_float(2.675), ".2f") == "2.67");
  CHECK(f.format(box_float(0.1), ".20f") == "0.10000000000000000555");
  CHECK(f.format(box_float(5e-324), ".1e") == "4.9e-324");
  CHECK(f.format(box_float(1e+200), ".3e") == "1.000e+200");
  CHECK(f.format(box_float(1e-05), "g") == "1e-05");
  CHECK(f.format(box_float(0.0001), "g") == "0.0001");
  CHECK(f.format(box_float(123456789.0), "g") == "1.23457e+08");
  CHECK(f.format(box_float(123456789.0), ".12g") == "123456789");
  CHECK(f.format(box_float(100.0), "#.3g") == "100.");
  CHECK(f.format(box_float(1.0), "#.3g") == "1.00");
  CHECK(f.format(box_float(0.0001), "#.3g") == "0.000100");
  CHECK(f.format(box_float(1e+20), "G") == "1E+20");
  CHECK(f.format(box_float(0.0), "g") == "0");
  CHECK(f.format(box_float(0.5), "%") == "50.000000%");
  CHECK(f.format(box_float(0.5), ".1%") == "50.0%");
  CHECK(f.format(box_float(-0.0001), "z.2f") == "0.00");
  CHECK(f.format(box_float(-0.0), "z") == "0.0");
  CHECK(f.format(box_float(-1e-05), "z.1%") == "0.0%");
  CHECK(f.format(box_float(-1e-10), "z.3e") == "-1.000e-10");
  CHECK(f.format(box_float(1.5), "n") == "1.5");
  CHECK(f.format(box_float(1e+20), "#") == "1.e+20");
  CHECK(f.format(box_float(INFINITY), "") == "inf");
  CHECK(f.format(box_float(-INFINITY), "+") == "-inf");
  CHECK(f.format(box_float(INFINITY), "010") == "0000000inf");
  CHECK(f.format(box_float(-INFINITY), "010,.2f") == "-000000inf");
  CHECK(f.format(box_float(NAN), "+F") == "+NAN");
  CHECK(f.format(box_float(NAN), "G") == "NAN");
  CHECK(f.format(box_float(INFINITY), "%") == "inf%");
  CHECK(f.format(box_float(1.5), "d") == "ValueError: Unknown format code 'd' for object of type 'float'");
  CHECK(f.format(box_float(1.5), "zd") == "ValueError: Unknown format code 'd' for object of type 'float'");
  CHECK(f.format(box_float(1.5), ",n") == "ValueError: Cannot specify ',' with 'n'.");
  CHECK(f.format(box_float(1.2), "ss") == "ValueError: Invalid format specifier 'ss' for object of type 'float'");
  CHECK(f.format(box_float(1.0), "é") == "ValueError: Unknown format code '\\xe9' for object of type 'float'");
}

TEST_CASE("format specs for strings and other values", "[strings]") {
  Fixture f;
  CHECK(f.format(f.s("abc"), "") == "abc");
  CHECK(f.format(f.s("abc"), ".2") == "ab");
  CHECK(f.format(f.s("abc"), "^7.2") == "  ab   ");
  CHECK(f.format(f.s("abc"), "é^7") == "ééabcéé");
  CHECK(f.format(f.s("héllo"), "*>8") == "***héllo");
  CHECK(f.format(f.s("héllo"), ".3") == "hél");
  CHECK(f.format(f.s("abc"), "010") == "abc0000000");
  CHECK(f.format(f.s("abc"), ">2") == "abc");
  CHECK(f.format(f.s("abc"), "s") == "abc");
  CHECK(f.format(f.s("a"), "d") == "ValueError: Unknown format code 'd' for object of type 'str'");
  CHECK(f.format(f.s("a"), "+") == "ValueError: Sign not allowed in string format specifier");
  CHECK(f.format(f.s("a"), " ") == "ValueError: Space not allowed in string format specifier");
  CHECK(f.format(f.s("a"), "z") == "ValueError: Negative zero coercion (z) not allowed in string format specifier");
  CHECK(f.format(f.s("a"), "#") == "ValueError: Alternate form (#) not allowed in string format specifier");
  CHECK(f.format(f.s("a"), "=5") == "ValueError: '=' alignment not allowed in string format specifier");
  CHECK(f.format(f.s("a"), ",") == "ValueError: Cannot specify ',' with 's'.");
  CHECK(f.format(f.s("a"), "_") == "ValueError: Cannot specify '_' with 's'.");
  CHECK(f.format(f.s("a"), "ss") == "ValueError: Invalid format specifier 'ss' for object of type 'str'");
  CHECK(f.format(none(), "") == "None");
  CHECK(f.format(none(), "s") == "TypeError: unsupported format string passed to NoneType.__format__");
  CHECK(f.format(tuple_of({box_int(1LL), f.s("a")}), "") == "(1, 'a')");
  CHECK(f.format(tuple_of({box_int(1LL), box_int(2LL)}), "s") == "TypeError: unsupported format string passed to tuple.__format__");
}

TEST_CASE("printf-style formatting", "[strings]") {
  Fixture f;
  CHECK(f.percent("%s and %r", tuple_of({f.s("a"), f.s("b")})) == "a and 'b'");
  CHECK(f.percent("%s", f.s("solo")) == "solo");
  CHECK(f.percent("%s", tuple_of({box_int(1LL)})) == "1");
  CHECK(f.percent("%s", tuple_of({tuple_of({box_int(1LL), box_int(2LL)})})) == "(1, 2)");
  CHECK(f.percent("%d%%", box_int(5LL)) == "5%");
  CHECK(f.percent("%%", tuple_of({})) == "%");
  CHECK(f.percent("abc", tuple_of({})) == "abc");
  CHECK(f.percent("%5d|%-5d|%05d|%+d|% d", tuple_of({box_int(42LL), box_int(42LL), box_int(42LL), box_int(42LL), box_int(42LL)})) == "   42|42   |00042|+42| 42");
  CHECK(f.percent("%.3d", box_int(5LL)) == "005");
  CHECK(f.percent("%8.3d", box_int(-5LL)) == "    -005");
  CHECK(f.percent("%-08.3d", box_int(-5LL)) == "-005    ");
  CHECK(f.percent("%0-5d|", box_int(3LL)) == "3    |");
  CHECK(f.percent("%x %X %#x %#X %o %#o", tuple_of({box_int(255LL), box_int(255LL), box_int(255LL), box_int(255LL), box_int(8LL), box_int(8LL)})) == "ff FF 0xff 0XFF 10 0o10");
  CHECK(f.percent("%#5x|%#05x|%.3x|%#.3x", tuple_of({box_int(255LL), box_int(255LL), box_int(255LL), box_int(255LL)})) == " 0xff|0x0ff|0ff|0x0ff");
  CHECK(f.percent("%x|%#X|%#o|%#x", tuple_of({box_int(-255LL), box_int(-255LL), box_int(0LL), box_int(0LL)})) == "-ff|-0XFF|0o0|0x0");
  CHECK(f.percent("%+x|% x", tuple_of({box_int(255LL), box_int(255LL)})) == "+ff| ff");
  CHECK(f.percent("%d|%d|%i|%u", tuple_of({box_float(3.7), box_float(-3.7), box_bool(true), box_int(5LL)})) == "3|-3|1|5");
  CHECK(f.percent("%d|%x", tuple_of({f.big("1180591620717411303424"), f.big("1180591620717411303424")})) == "1180591620717411303424|400000000000000000");
  CHECK(f.percent("%f %e %g %G %E %F", tuple_of({box_float(1.5), box_float(1.5), box_float(1.5), box_float(1e+20), box_float(1.5), box_float(1.5)})) == "1.500000 1.500000e+00 1.5 1E+20 1.500000E+00 1.500000");
  CHECK(f.percent("%.2f", box_float(2.675)) == "2.67");
  CHECK(f.percent("%10.3f|%-10.3f|%010.3f|%+.1f", tuple_of({box_float(3.14159), box_float(3.14159), box_float(-3.14159), box_float(2.0)})) == "     3.142|3.142     |-00003.142|+2.0");
  CHECK(f.percent("%#.0f %#g %g %g", tuple_of({box_float(1.0), box_float(1.0), box_float(100000.0), box_float(1e+16)})) == "1. 1.00000 100000 1e+16");
  CHECK(f.percent("%.1e|%10.4g|%+.3e", tuple_of({box_float(0.0001234), box_float(123.456), box_float(-0.0)})) == "1.2e-04|     123.5|-0.000e+00");
  CHECK(f.percent("%f|%F|%05f", tuple_of({box_float(INFINITY), box_float(INFINITY), box_float(-INFINITY)})) == "inf|INF|-0inf");
  CHECK(f.percent("%f", box_int(1LL)) == "1.000000");
  CHECK(f.percent("%5s|%-5s|%.2s|%05s", tuple_of({f.s("ab"), f.s("ab"), f.s("abc"), f.s("ab")})) == "   ab|ab   |ab|   ab");
  CHECK(f.percent("%10.3s|", f.s("héllo")) == "       hél|");
  CHECK(f.percent("%.3r|%a", tuple_of({f.s("abc"), f.s("é")})) == "'ab|'\\xe9'");
  CHECK(f.percent("%r|%a", tuple_of({f.s("\302\205é\342\200\213\177"), f.s("\302\205")})) == "'\\x85é\\u200b\\x7f'|'\\x85'");
  CHECK(f.percent("%c%c|%5c|%-6c|", tuple_of({box_int(72LL), f.s("i"), f.s("a"), f.s("é")})) == "Hi|    a|é     |");
  CHECK(f.percent("%*d|%-*d|%*d|%.*f", tuple_of({box_int(5LL), box_int(1LL), box_int(5LL), box_int(1LL), box_int(-5LL), box_int(1LL), box_int(2LL), box_float(3.14159)})) == "    1|1    |1    |3.14");
  CHECK(f.percent("%ld %hs", tuple_of({box_int(5LL), f.s("a")})) == "5 a");
  CHECK(f.percent("%(a)s %(b)d %(a)r", f.dict({{f.s("a"), f.s("x")}, {f.s("b"), box_int(2LL)}})) == "x 2 'x'");
  CHECK(f.percent("%(a(b))s", f.dict({{f.s("a(b)"), box_int(1LL)}})) == "1");
  CHECK(f.percent("abc", f.dict({{f.s("a"), box_int(1LL)}})) == "abc");
  CHECK(f.percent("%s %s", tuple_of({box_int(1LL)})) == "TypeError: not enough arguments for format string");
  CHECK(f.percent("%s", tuple_of({box_int(1LL), box_int(2LL)})) == "TypeError: not all arguments converted during string formatting");
  CHECK(f.percent("abc", box_int(5LL)) == "TypeError: not all arguments converted during string formatting");
  CHECK(f.percent("%d", f.s("a")) == "TypeError: %d format: a real number is required, not str");
  CHECK(f.percent("%d", none()) == "TypeError: %d format: a real number is required, not NoneType");
  CHECK(f.percent("%x", box_float(3.7)) == "TypeError: %x format: an integer is required, not float");
  CHECK(f.percent("%o", f.s("a")) == "TypeError: %o format: an integer is required, not str");
  CHECK(f.percent("%f", f.s("a")) == "TypeError: must be real number, not str");
  CHECK(f.percent("%e", none()) == "TypeError: must be real number, not NoneType");
  CHECK(f.percent("%f", f.big("13582985290493858492773514283592667786034938469317445497485196697278130927542418487205392083207560592298578262953847383475038725543234929971155548342800628721885763499406390331782864144164680730766837160526223176512798435772129956553355286032203080380775759732320198985094884004069116123084147875437183658467465148948790552744165376")) == "OverflowError: int too large to convert to float");
  CHECK(f.percent("%d", box_float(INFINITY)) == "OverflowError: cannot convert float infinity to integer");
  CHECK(f.percent("%d", box_float(NAN)) == "ValueError: cannot convert float NaN to integer");
  CHECK(f.percent("%c", f.s("ab")) == "TypeError: %c requires int or char");
  CHECK(f.percent("%c", box_float(1.5)) == "TypeError: %c requires int or char");
  CHECK(f.percent("%c", box_int(-1LL)) == "OverflowError: %c arg not in range(0x110000)");
  CHECK(f.percent("%c", box_int(1114112LL)) == "OverflowError: %c arg not in range(0x110000)");
  CHECK(f.percent("%c", f.big("1180591620717411303424")) == "OverflowError: %c arg not in range(0x110000)");
  CHECK(f.percent("%*d", tuple_of({f.s("a"), box_int(1LL)})) == "TypeError: * wants int");
  CHECK(f.percent("%.*f", tuple_of({f.s("a"), box_float(1.0)})) == "TypeError: * wants int");
  CHECK(f.percent("%y", box_int(1LL)) == "ValueError: unsupported format character 'y' (0x79) at index 1");
  CHECK(f.percent("%y", tuple_of({})) == "TypeError: not enough arguments for format string");
  CHECK(f.percent("é%y", box_int(1LL)) == "ValueError: unsupported format character 'y' (0x79) at index 2");
  CHECK(f.percent("%é", box_int(1LL)) == "ValueError: unsupported format character '\?' (0xe9) at index 1");
  CHECK(f.percent("%5%", box_int(1LL)) == "ValueError: unsupported format character '%' (0x25) at index 2");
  CHECK(f.percent("%", box_int(1LL)) == "ValueError: incomplete format");
  CHECK(f.percent("%5", box_int(1LL)) == "ValueError: incomplete format");
  CHECK(f.percent("%*", tuple_of({box_int(5LL)})) == "ValueError: incomplete format");
  CHECK(f.percent("%.", box_int(1LL)) == "ValueError: incomplete format");
  CHECK(f.percent("%(a)s", tuple_of({box_int(1LL)})) == "TypeError: format requires a mapping");
  CHECK(f.percent("%(a)s", box_int(1LL)) == "TypeError: format requires a mapping");
  CHECK(f.percent("%(b)s", f.dict({{f.s("a"), box_int(1LL)}})) == "KeyError: 'b'");
  CHECK(f.percent("%(a", f.dict({{f.s("a"), box_int(1LL)}})) == "ValueError: incomplete format key");
  CHECK(f.percent("%(a)s %s", f.dict({{f.s("a"), box_int(1LL)}})) == "TypeError: not enough arguments for format string");
  CHECK(f.percent("%(a)*d", f.dict({{f.s("a"), box_int(255LL)}})) == "TypeError: not enough arguments for format string");
}

TEST_CASE("str.format", "[strings]") {
  Fixture f;
  CHECK(f.call(f.s("{} {}"), "format", {box_int(1LL), f.s("a")}, {}) == "'1 a'");
  CHECK(f.call(f.s("{1} {0} {1}"), "format", {f.s("a"), f.s("b")}, {}) == "'b a b'");
  CHECK(f.call(f.s("{name}={value!r}"), "format", {}, {{"name", f.s("x")}, {"value", f.s("y")}}) == "\"x='y'\"");
  CHECK(f.call(f.s("{:>5}|{:<5}|{:^5}"), "format", {box_int(1LL), box_int(2LL), box_int(3LL)}, {}) == "'    1|2    |  3  '");
  CHECK(f.call(f.s("{0!r:>5}"), "format", {f.s("a")}, {}) == "\"  'a'\"");
  CHECK(f.call(f.s("{!s:}"), "format", {box_int(3LL)}, {}) == "'3'");
  CHECK(f.call(f.s("{!a}"), "format", {f.s("é\012")}, {}) == "\"'\\\\xe9\\\\n'\"");
  CHECK(f.call(f.s("{{}} {{0}}"), "format", {}, {}) == "'{} {0}'");
  CHECK(f.call(f.s("x}}y{{"), "format", {}, {}) == "'x}y{'");
  CHECK(f.call(f.s("{:{}}"), "format", {f.s("a"), box_int(5LL)}, {}) == "'a    '");
  CHECK(f.call(f.s("{:{}{}}"), "format", {f.s("a"), f.s(">"), box_int(5LL)}, {}) == "'    a'");
  CHECK(f.call(f.s("{:{w}.{p}f}"), "format", {box_float(3.14159)}, {{"w", box_int(10LL)}, {"p", box_int(2LL)}}) == "'      3.14'");
  CHECK(f.call(f.s("{0:{1}}"), "format", {box_int(3LL), f.s(">5")}, {}) == "'    3'");
  CHECK(f.call(f.s("{:^{}.{}}"), "format", {f.s("abcdef"), box_int(7LL), box_int(3LL)}, {}) == "'  abc  '");
  CHECK(f.call(f.s("{:,}"), "format", {box_int(1234567LL)}, {}) == "'1,234,567'");
  CHECK(f.call(f.s("{:x}{}"), "format", {box_int(255LL), f.s("y")}, {}) == "'ffy'");
  CHECK(f.call(f.s("{foo}"), "format", {}, {{"foo", f.s("{bar}")}}) == "'{bar}'");
  CHECK(f.call(f.s("{0[1]}"), "format", {tuple_of({box_int(1LL), box_int(2LL)})}, {}) == "'2'");
  CHECK(f.call(f.s("{0[1]}"), "format", {f.list({box_int(4LL), box_int(5LL)})}, {}) == "'5'");
  CHECK(f.call(f.s("{0[1]}"), "format", {f.s("xyz")}, {}) == "'y'");
  CHECK(f.call(f.s("{0[a]}"), "format", {f.dict({{f.s("a"), box_int(3LL)}})}, {}) == "'3'");
  CHECK(f.call(f.s("{0[1]}"), "format", {f.dict({{box_int(1LL), box_int(3LL)}})}, {}) == "'3'");
  CHECK(f.call(f.s("{0[5]}"), "format", {tuple_of({box_int(1LL), box_int(2LL)})}, {}) == "IndexError: tuple index out of range");
  CHECK(f.call(f.s("{0[b]}"), "format", {f.dict({{f.s("a"), box_int(3LL)}})}, {}) == "KeyError: 'b'");
  CHECK(f.call(f.s("{} {}"), "format", {box_int(1LL)}, {}) == "IndexError: Replacement index 1 out of range for positional args tuple");
  CHECK(f.call(f.s("{0} {}"), "format", {box_int(1LL), box_int(2LL)}, {}) == "ValueError: cannot switch from manual field specification to automatic field numbering");
  CHECK(f.call(f.s("{} {0}"), "format", {box_int(1LL), box_int(2LL)}, {}) == "ValueError: cannot switch from automatic field numbering to manual field specification");
  CHECK(f.call(f.s("{2}"), "format", {box_int(1LL), box_int(2LL)}, {}) == "IndexError: Replacement index 2 out of range for positional args tuple");
  CHECK(f.call(f.s("{name}"), "format", {box_int(1LL)}, {}) == "KeyError: 'name'");
  CHECK(f.call(f.s("{name}"), "format", {}, {{"nam", box_int(1LL)}}) == "KeyError: 'name'");
  CHECK(f.call(f.s("}"), "format", {}, {}) == "ValueError: Single '}' encountered in format string");
  CHECK(f.call(f.s("{"), "format", {}, {}) == "ValueError: Single '{' encountered in format string");
  CHECK(f.call(f.s("a{0"), "format", {box_int(1LL)}, {}) == "ValueError: expected '}' before end of string");
  CHECK(f.call(f.s("{0!x}"), "format", {box_int(1LL)}, {}) == "ValueError: Unknown conversion specifier x");
  CHECK(f.call(f.s("{0!}"), "format", {box_int(1LL)}, {}) == "ValueError: unmatched '{' in format spec");
  CHECK(f.call(f.s("{0!rr}"), "format", {f.s("a")}, {}) == "ValueError: expected ':' after conversion specifier");
  CHECK(f.call(f.s("{0!r"), "format", {f.s("a")}, {}) == "ValueError: unmatched '{' in format spec");
  CHECK(f.call(f.s("{0:"), "format", {f.s("a")}, {}) == "ValueError: unmatched '{' in format spec");
  CHECK(f.call(f.s("{:{:{}}}"), "format", {f.s("a"), box_int(5LL), box_int(1LL)}, {}) == "ValueError: Max string recursion exceeded");
  CHECK(f.call(f.s("{0.}"), "format", {box_int(1LL)}, {}) == "ValueError: Empty attribute in format string");
  CHECK(f.call(f.s("{0[}"), "format", {box_int(1LL)}, {}) == "ValueError: expected '}' before end of string");
  CHECK(f.call(f.s("{0[1]x}"), "format", {tuple_of({box_int(1LL), box_int(2LL)})}, {}) == "ValueError: Only '.' or '[' may follow ']' in format field specifier");
  CHECK(f.call(f.s("{0[]}"), "format", {tuple_of({box_int(1LL), box_int(2LL)})}, {}) == "ValueError: Empty attribute in format string");
  CHECK(f.call(f.s("{}}"), "format", {box_int(1LL)}, {}) == "ValueError: Single '}' encountered in format string");
  CHECK(f.call(f.s("{:d}"), "format", {f.s("a")}, {}) == "ValueError: Unknown format code 'd' for object of type 'str'");
  CHECK(f.call(f.s("{99999999999999999999}"), "format", {box_int(1LL)}, {}) == "ValueError: Too many decimal digits in format string");
  CHECK(f.call(f.s("{:{}}"), "format", {box_int(1LL)}, {}) == "IndexError: Replacement index 1 out of range for positional args tuple");
  CHECK(f.call(f.s("{0:{}}"), "format", {box_int(1LL), box_int(2LL)}, {}) == "ValueError: cannot switch from manual field specification to automatic field numbering");
  CHECK(f.call(f.s("{:{0}}"), "format", {box_int(1LL), box_int(2LL)}, {}) == "ValueError: cannot switch from automatic field numbering to manual field specification");
  CHECK(f.call(f.s("{:{}"), "format", {box_int(1LL), box_int(2LL)}, {}) == "ValueError: unmatched '{' in format spec");
  CHECK(f.call(f.s("{}"), "format", {}, {}) == "IndexError: Replacement index 0 out of range for positional args tuple");
}

TEST_CASE("str method table and string operations", "[strings]") {
  Fixture f;
  for (const char* name : {"split", "rsplit", "splitlines", "join", "strip", "lstrip", "rstrip", "startswith",
                           "endswith", "find", "rfind", "index", "rindex", "count", "replace", "lower", "upper",
                           "capitalize", "title", "swapcase", "casefold", "isdigit", "isalpha", "isalnum",
                           "isspace", "isupper", "islower", "isdecimal", "isnumeric", "isidentifier", "zfill",
                           "center", "ljust", "rjust", "partition", "rpartition", "removeprefix", "removesuffix",
                           "format", "expandtabs", "istitle", "isprintable", "isascii"})
    CHECK(str_method(name) != nullptr);
  CHECK(str_method("sort") == nullptr);
  CHECK(str_method("") == nullptr);

  Str* parts[] = {as<Str>(f.s("ab")), as<Str>(f.s("")), as<Str>(f.s("é")), as<Str>(f.s("c"))};
  Str* joined = str_join_n(&f.c, 4, parts);
  CHECK(std::string(joined->data) == "abéc");
  CHECK(joined->ncp == 4);
  CHECK(str_join_n(&f.c, 2, parts) == parts[0]);
  CHECK(str_join_n(&f.c, 0, parts)->len == 0);
  Str* cat = str_concat(&f.c, parts[2], parts[0]);
  CHECK(std::string(cat->data) == "éab");
  CHECK(cat->ncp == 3);

  Str* spec = as<Str>(f.s(""));
  Val word = f.s("word");
  CHECK(format_value(&f.c, word, spec) == as<Str>(word));
  Val huge = int_binop(&f.c, BinOp::Pow, box_int(10), box_int(4300));
  CHECK(f.format(huge, "") ==
        "ValueError: Exceeds the limit (4300 digits) for integer string conversion; use "
        "sys.set_int_max_str_digits() to increase the limit");

  Args none_args;
  CHECK(f.text(str_format(&f.c, as<Str>(f.s("{0.real}")), Args{1, &word})) ==
        "UnsupportedError: format field attribute/index access is not supported by shoal yet");
  CHECK(f.text(str_format(&f.c, as<Str>(f.s("plain")), none_args)) == "plain");
}

TEST_CASE("the % operator on a str formats it", "[strings]") {
  Fixture f;
  CHECK(f.show(dyn_binop(&f.c, BinOp::Mod, f.s("%d-%s"), tuple_of({box_int(1), f.s("x")}))) == "'1-x'");
  CHECK(f.show(dyn_binop(&f.c, BinOp::Mod, f.s("%.1f"), box_float(2.25))) == "'2.2'");
  CHECK(f.show(dyn_binop(&f.c, BinOp::Mod, f.s("%d"), f.s("x"))) ==
        "TypeError: %d format: a real number is required, not str");
  CHECK(f.show(dyn_binop(&f.c, BinOp::Add, f.s("é"), f.s("a"))) == "'éa'");
  CHECK(dyn_contains(&f.c, f.s("héllo"), f.s("él")) == 1);
}

