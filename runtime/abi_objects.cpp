// The C entry points compiled code calls for containers, strings, instances and the built-ins the
// run time implements over boxed values (see runtime/abi.hpp for the conventions).
#include "runtime/abi.hpp"

#include "runtime/format.hpp"
#include "runtime/numeric.hpp"
#include "runtime/iterables.hpp"
#include "runtime/methods.hpp"
#include "runtime/objects.hpp"

#include <gc.h>

#include <cctype>
#include <cstring>
#include <string>
#include <vector>

using namespace shoal::rt;

namespace {
Val V(int64_t tag, int64_t bits) { return {Tag(tag), uint64_t(bits)}; }

Val str_val(const std::string& s) { return box_ptr(Tag::Str, str_new(s)); }

/// The value of keyword `name` among a call's keywords, or null.
const Val* keyword(const Args& a, const char* name) {
  for (int64_t i = 0; i < a.nkw; ++i)
    if (std::strcmp(a.kw[i], name) == 0)
      return &a.v[a.n + i];
  return nullptr;
}

bool check_arity(Ctx* c, const char* name, const Args& a, int64_t lo, int64_t hi, bool keywords_ok = false) {
  if (!keywords_ok && a.nkw) {
    raise(c, ExcKind::TypeError, std::string(name) + "() takes no keyword arguments");
    return false;
  }
  if (a.n < lo || a.n > hi) {
    std::string msg = std::string(name) + (lo == hi ? "() takes exactly " : a.n < lo ? "() takes at least " : "() takes at most ");
    int64_t k = a.n < lo ? lo : hi;
    if (lo == hi && k == 1)
      msg = std::string(name) + "() takes exactly one argument";
    else
      msg += std::to_string(k) + " argument" + (k == 1 ? "" : "s");
    raise(c, ExcKind::TypeError, msg + " (" + std::to_string(a.n) + " given)");
    return false;
  }
  return true;
}

Val builtin(Ctx* c, const std::string& name, const Args& a) {
  const Val none_v = none();
  auto arg = [&](int64_t i) { return a.v[i]; };
  auto key_of = [&]() { const Val* k = keyword(a, "key"); return k ? *k : none_v; };
  if (name == "list" || name == "set" || name == "frozenset" || name == "tuple" || name == "dict") {
    if (name != "dict" && !check_arity(c, name.c_str(), a, 0, 1))
      return none();
    if (name == "list")
      return box_ptr(Tag::List, a.n ? list_of(c, arg(0)) : list_new(0));
    if (name == "set")
      return box_ptr(Tag::Set, a.n ? set_of(c, arg(0)) : set_new(0));
    if (name == "frozenset") {
      if (!a.n) {
        Table* t = set_new(0);
        return box_ptr(Tag::FrozenSet, t);
      }
      return frozenset_of(c, arg(0));
    }
    if (name == "tuple")
      return a.n ? tuple_of_iterable(c, arg(0)) : tuple_new(0, nullptr);
    if (a.n > 1) {
      raise(c, ExcKind::TypeError, "dict expected at most 1 argument, got " + std::to_string(a.n));
      return none();
    }
    Table* d = a.n ? dict_of(c, arg(0)) : dict_new(0);
    if (c->exc)
      return none();
    for (int64_t i = 0; i < a.nkw; ++i)
      if (!dict_set(c, d, str_val(a.kw[i]), a.v[a.n + i]))
        return none();
    return box_ptr(Tag::Dict, d);
  }
  if (name == "sorted") {
    if (a.n != 1) {
      raise(c, ExcKind::TypeError, "sorted expected 1 argument, got " + std::to_string(a.n));
      return none();
    }
    const Val* rev = keyword(a, "reverse");
    return box_ptr(Tag::List, sorted_of(c, arg(0), key_of(), rev && dyn_truthy(*rev)));
  }
  if (name == "min" || name == "max") {
    if (a.n == 0) {
      raise(c, ExcKind::TypeError, name + " expected at least 1 argument, got 0");
      return none();
    }
    return min_max(c, name == "max", a.n, a.v, key_of(), keyword(a, "default"));
  }
  if (name == "sum") {
    if (!check_arity(c, "sum", a, 1, 2, true))
      return none();
    const Val* start = keyword(a, "start");
    return sum_of(c, arg(0), a.n == 2 ? arg(1) : start ? *start : box_int(0));
  }
  if (name == "any" || name == "all") {
    if (!check_arity(c, name.c_str(), a, 1, 1))
      return none();
    int r = name == "any" ? any_of(c, arg(0)) : all_of(c, arg(0));
    return r < 0 ? none() : box_bool(r != 0);
  }
  if (name == "reversed") {
    if (!check_arity(c, "reversed", a, 1, 1))
      return none();
    Iter* it = iter_reversed(c, arg(0));
    return it ? box_ptr(Tag::Iter, it) : none();
  }
  if (name == "enumerate") {
    const Val* start = keyword(a, "start");
    Val s = a.n > 1 ? arg(1) : start ? *start : box_int(0);
    if (a.n < 1) {
      raise(c, ExcKind::TypeError, "enumerate() missing required argument 'iterable' (pos 1)");
      return none();
    }
    Iter* it = iter_enumerate(c, arg(0), s);
    return it && !c->exc ? box_ptr(Tag::Iter, it) : none();
  }
  if (name == "zip") {
    Iter* it = iter_zip(c, a.n, a.v);
    return it ? box_ptr(Tag::Iter, it) : none();
  }
  if (name == "map") {
    if (a.n < 2) {
      raise(c, ExcKind::TypeError, "map() must have at least two arguments.");
      return none();
    }
    Iter* it = iter_map(c, arg(0), a.n - 1, a.v + 1);
    return it ? box_ptr(Tag::Iter, it) : none();
  }
  if (name == "filter") {
    if (!check_arity(c, "filter", a, 2, 2))
      return none();
    Iter* it = iter_filter(c, arg(0), arg(1));
    return it ? box_ptr(Tag::Iter, it) : none();
  }
  if (name == "iter") {
    if (!check_arity(c, "iter", a, 1, 1))
      return none();
    Iter* it = iter_of(c, arg(0));
    return it ? box_ptr(Tag::Iter, it) : none();
  }
  if (name == "next") {
    if (!check_arity(c, "next", a, 1, 2))
      return none();
    Val out;
    if (instance_of(arg(0))) {
      if (call_dunder(c, arg(0), "__next__", 0, nullptr, &out)) {
        if (c->exc && c->exc->kind == ExcKind::StopIteration && a.n == 2) {
          c->exc = nullptr;
          return arg(1);
        }
        return out;
      }
    }
    if (arg(0).tag != Tag::Iter) {
      raise(c, ExcKind::TypeError, std::string("'") + type_name(arg(0)) + "' object is not an iterator");
      return none();
    }
    if (iter_next(c, as<Iter>(arg(0)), &out))
      return out;
    if (c->exc)
      return none();
    if (a.n == 2)
      return arg(1);
    Val result;
    if (gen_result(as<Iter>(arg(0)), &result) && result.tag != Tag::None && result.tag != Tag::Dummy) {
      c->exc = exc_new(ExcKind::StopIteration, tuple_new(1, &result)); // StopIteration(value)
      return none();
    }
    raise(c, ExcKind::StopIteration, nullptr);
    return none();
  }
  if (name == "hash") {
    int64_t h;
    if (!check_arity(c, "hash", a, 1, 1) || !hash_of(c, arg(0), &h))
      return none();
    return box_int(h);
  }
  if (name == "ord") {
    if (!check_arity(c, "ord", a, 1, 1))
      return none();
    if (arg(0).tag != Tag::Str) {
      raise(c, ExcKind::TypeError, std::string("ord() expected string of length 1, but ") + type_name(arg(0)) + " found");
      return none();
    }
    const Str* s = as<Str>(arg(0));
    if (s->ncp != 1) {
      raise(c, ExcKind::TypeError, "ord() expected a character, but string of length " + std::to_string(s->ncp) + " found");
      return none();
    }
    auto* p = reinterpret_cast<const unsigned char*>(s->data);
    uint32_t cp = p[0] < 0x80 ? p[0] : p[0] < 0xE0 ? ((p[0] & 0x1F) << 6) | (p[1] & 0x3F)
                : p[0] < 0xF0 ? ((p[0] & 0x0F) << 12) | ((p[1] & 0x3F) << 6) | (p[2] & 0x3F)
                              : ((p[0] & 0x07) << 18) | ((p[1] & 0x3F) << 12) | ((p[2] & 0x3F) << 6) | (p[3] & 0x3F);
    return box_int(cp);
  }
  if (name == "chr") {
    if (!check_arity(c, "chr", a, 1, 1))
      return none();
    int64_t cp = dyn_as_index(c, arg(0));
    if (c->exc)
      return none();
    if (cp < 0 || cp > 0x10FFFF) {
      raise(c, ExcKind::ValueError, "chr() arg not in range(0x110000)");
      return none();
    }
    std::string s;
    if (cp < 0x80)
      s += char(cp);
    else if (cp < 0x800)
      s += char(0xC0 | (cp >> 6)), s += char(0x80 | (cp & 0x3F));
    else if (cp < 0x10000)
      s += char(0xE0 | (cp >> 12)), s += char(0x80 | ((cp >> 6) & 0x3F)), s += char(0x80 | (cp & 0x3F));
    else
      s += char(0xF0 | (cp >> 18)), s += char(0x80 | ((cp >> 12) & 0x3F)), s += char(0x80 | ((cp >> 6) & 0x3F)),
          s += char(0x80 | (cp & 0x3F));
    return str_val(s);
  }
  if (name == "format") {
    if (!check_arity(c, "format", a, 1, 2))
      return none();
    Str* spec = a.n == 2 && arg(1).tag == Tag::Str ? as<Str>(arg(1)) : str_new("", 0);
    Str* r = format_value(c, arg(0), spec);
    return r ? box_ptr(Tag::Str, r) : none();
  }
  if (name == "isinstance") {
    if (!check_arity(c, "isinstance", a, 2, 2))
      return none();
    int r = isinstance_of(c, arg(0), arg(1));
    return r < 0 ? none() : box_bool(r != 0);
  }
  if (name == "getattr" || name == "hasattr") {
    if (!check_arity(c, name.c_str(), a, 2, name == "getattr" ? 3 : 2) )
      return none();
    if (arg(1).tag != Tag::Str) {
      raise(c, ExcKind::TypeError, "attribute name must be string, not '" + std::string(type_name(arg(1))) + "'");
      return none();
    }
    Val r = get_attr(c, arg(0), as<Str>(arg(1))->data);
    if (c->exc && c->exc->kind == ExcKind::AttributeError && (name == "hasattr" || a.n == 3)) {
      c->exc = nullptr;
      return name == "hasattr" ? box_bool(false) : arg(2);
    }
    return name == "hasattr" ? (c->exc ? none() : box_bool(true)) : r;
  }
  if (name == "setattr") {
    if (!check_arity(c, "setattr", a, 3, 3))
      return none();
    if (arg(1).tag != Tag::Str) {
      raise(c, ExcKind::TypeError, "attribute name must be string, not '" + std::string(type_name(arg(1))) + "'");
      return none();
    }
    set_attr(c, arg(0), as<Str>(arg(1))->data, arg(2));
    return none();
  }
  if (name == "callable") {
    if (!check_arity(c, "callable", a, 1, 1))
      return none();
    Tag t = arg(0).tag;
    return box_bool(t == Tag::Func || t == Tag::Method || t == Tag::Class || t == Tag::Builtin || t == Tag::ExcType);
  }
  if (name == "print") {
    const Val* sep = keyword(a, "sep");
    const Val* end = keyword(a, "end");
    auto text = [&](const Val* v) -> Str* { return v && v->tag == Tag::Str ? as<Str>(*v) : nullptr; };
    shoal_rt_print(c, a.n, a.v, text(sep), text(end));
    return none();
  }
  if (name == "int" && a.n == 2 && !a.nkw) {
    // int(text, base): CPython's rules (sign, whitespace, underscores between digits, a 0x/0o/0b
    // prefix matching the base or implied by base 0)
    if (arg(0).tag != Tag::Str) {
      raise(c, ExcKind::TypeError, "int() can't convert non-string with explicit base");
      return none();
    }
    if (arg(1).tag != Tag::Int && arg(1).tag != Tag::Bool) {
      raise(c, ExcKind::TypeError, std::string("'") + type_name(arg(1)) + "' object cannot be interpreted as an integer");
      return none();
    }
    int64_t base = int64_t(arg(1).bits);
    if ((base != 0 && base < 2) || base > 36) {
      raise(c, ExcKind::ValueError, "int() base must be >= 2 and <= 36, or 0");
      return none();
    }
    const Str* s = as<Str>(arg(0));
    std::string text(s->data, size_t(s->len));
    auto invalid = [&] {
      raise(c, ExcKind::ValueError, "invalid literal for int() with base " + std::to_string(base) + ": " + repr_of(arg(0)));
      return none();
    };
    size_t b = text.find_first_not_of(" \t\n\r\v\f"), e = text.find_last_not_of(" \t\n\r\v\f");
    if (b == std::string::npos)
      return invalid();
    std::string t = text.substr(b, e - b + 1);
    bool neg = false;
    size_t i = 0;
    if (t[i] == '+' || t[i] == '-')
      neg = t[i++] == '-';
    int64_t real_base = base;
    if (t.size() > i + 1 && t[i] == '0') {
      char p = char(std::tolower(static_cast<unsigned char>(t[i + 1])));
      int64_t prefixed = p == 'x' ? 16 : p == 'o' ? 8 : p == 'b' ? 2 : 0;
      if (prefixed && (base == 0 || base == prefixed)) {
        real_base = prefixed;
        i += 2;
        if (i < t.size() && t[i] == '_')
          ++i;
      }
    }
    if (real_base == 0) {
      real_base = 10;
      // base 0 without a prefix: a decimal literal, no leading zeros except 0 itself
      std::string digits;
      for (char ch : t.substr(i))
        if (ch != '_')
          digits += ch;
      if (digits.size() > 1 && digits[0] == '0' && digits.find_first_not_of('0') != std::string::npos)
        return invalid();
    }
    std::string digits;
    bool prev_underscore = true;
    for (; i < t.size(); ++i) {
      char ch = t[i];
      if (ch == '_') {
        if (prev_underscore)
          return invalid();
        prev_underscore = true;
        continue;
      }
      int d = std::isdigit(static_cast<unsigned char>(ch)) ? ch - '0'
            : std::isalpha(static_cast<unsigned char>(ch)) ? std::tolower(static_cast<unsigned char>(ch)) - 'a' + 10 : 99;
      if (d >= real_base)
        return invalid();
      digits += ch;
      prev_underscore = false;
    }
    if (digits.empty() || prev_underscore)
      return invalid();
    mpz_t z;
    mpz_init(z);
    mpz_set_str(z, digits.c_str(), int(real_base));
    if (neg)
      mpz_neg(z, z);
    std::string dec(mpz_get_str(nullptr, 10, z));
    mpz_clear(z);
    return int_from_string(c, dec);
  }
  if (name == "type") {
    if (a.n != 1) {
      raise(c, ExcKind::UnsupportedError, "type() with " + std::to_string(a.n) + " arguments (creating classes)");
      return none();
    }
    return type_of(arg(0));
  }
  if (name == "range") {
    if (a.nkw) {
      raise(c, ExcKind::TypeError, "range() takes no keyword arguments");
      return none();
    }
    if (a.n < 1 || a.n > 3) {
      raise(c, ExcKind::TypeError, a.n < 1 ? "range expected at least 1 argument, got 0"
                                           : "range expected at most 3 arguments, got " + std::to_string(a.n));
      return none();
    }
    int64_t v[3];
    for (int64_t i = 0; i < a.n; ++i) {
      v[i] = shoal_rt_range_arg(c, arg(i));
      if (c->exc)
        return none();
    }
    int64_t start = a.n == 1 ? 0 : v[0], stop = a.n == 1 ? v[0] : v[1], step = a.n == 3 ? v[2] : 1;
    if (step == 0) {
      raise(c, ExcKind::ValueError, "range() arg 3 must not be zero");
      return none();
    }
    return range_new(c, start, stop, step);
  }
  if (name == "abs" && a.n == 1) {
    Val out;
    if (call_dunder(c, arg(0), "__abs__", 0, nullptr, &out))
      return out;
    return shoal_rt_abs(c, arg(0));
  }
  raise(c, ExcKind::UnsupportedError, "the built-in " + name + "() is not supported by shoal yet with these arguments");
  return none();
}
} // namespace

namespace shoal::rt {

Val call_method(Ctx* c, Val self, const char* name, const Args& a) {
  MethodFn f = nullptr;
  switch (self.tag) {
  case Tag::Str: f = str_method(name); break;
  case Tag::List: f = list_method(name); break;
  case Tag::Tuple: f = tuple_method(name); break;
  case Tag::Dict: f = dict_method(name); break;
  case Tag::Set:
  case Tag::FrozenSet: f = set_method(name); break;
  case Tag::Range:
    if ((std::strcmp(name, "index") == 0 || std::strcmp(name, "count") == 0) && a.n == 1 && !a.nkw) {
      const RangeObj* r = as<RangeObj>(self);
      Val x = a.v[0];
      bool in = false;
      int64_t pos = 0;
      if (x.tag == Tag::Int || x.tag == Tag::Bool) {
        int64_t i = int64_t(x.bits);
        in = r->step > 0 ? (i >= r->start && i < r->stop) : (i <= r->start && i > r->stop);
        in = in && (i - r->start) % r->step == 0;
        pos = in ? (i - r->start) / r->step : 0;
      }
      if (name[0] == 'c')
        return box_int(in ? 1 : 0);
      if (!in) {
        raise(c, ExcKind::ValueError, repr_of(x) + " is not in range");
        return none();
      }
      return box_int(pos);
    }
    break;
  default: break;
  }
  if (f)
    return f(c, self, a);
  if (instance_of(self) || self.tag == Tag::Class || self.tag == Tag::Builtin) {
    Val m = get_attr(c, self, name);
    if (c->exc)
      return none();
    if (a.nkw) {
      raise(c, ExcKind::UnsupportedError, "keyword arguments in a call of a method chosen at run time");
      return none();
    }
    return call_value(c, m, a.n, a.v);
  }
  raise(c, ExcKind::AttributeError, std::string("'") + type_name(self) + "' object has no attribute '" + name + "'");
  return none();
}

Val shoal_builtin_call(Ctx* c, const char* name, int64_t n, const Val* args) {
  std::string nm = name;
  if (nm == "len") {
    int64_t r = dyn_len(c, args[0]);
    return c->exc ? none() : box_int(r);
  }
  if (nm == "str" || nm == "repr") {
    Str* s = nm == "str" ? shoal_rt_to_str(c, args[0]) : shoal_rt_repr(c, args[0]);
    return s ? box_ptr(Tag::Str, s) : none();
  }
  if (nm == "int" && n == 1)
    return dyn_to_int(c, args[0]);
  if (nm == "float" && n == 1)
    return box_float(dyn_to_float(c, args[0]));
  if (nm == "abs" && n == 1)
    return shoal_rt_abs(c, args[0]);
  return builtin(c, nm, Args{n, args, 0, nullptr});
}

int isinstance_of(Ctx* c, Val obj, Val cls) {
  if (cls.tag == Tag::Tuple) {
    const Tuple* t = as<Tuple>(cls);
    for (int64_t i = 0; i < t->n; ++i) {
      int r = isinstance_of(c, obj, t->items[i]);
      if (r != 0)
        return r;
    }
    return 0;
  }
  if (cls.tag == Tag::Class) {
    const ClassObj* oc = class_of(obj);
    return oc && is_subclass(oc, as<const ClassObj>(cls)) ? 1 : 0;
  }
  if (cls.tag == Tag::ExcType)
    return obj.tag == Tag::Exc && exc_matches(as<Exc>(obj)->kind, ExcKind(cls.bits)) ? 1 : 0;
  if (cls.tag == Tag::Builtin && cls.bits) {
    const char* want = reinterpret_cast<const char*>(cls.bits);
    const char* have = type_name(obj);
    if (std::strcmp(want, "object") == 0)
      return 1;
    if (std::strcmp(want, "int") == 0)
      return obj.tag == Tag::Int || obj.tag == Tag::Big || obj.tag == Tag::Bool ? 1 : 0;
    return std::strcmp(want, have) == 0 ? 1 : 0;
  }
  raise(c, ExcKind::TypeError, "isinstance() arg 2 must be a type, a tuple of types, or a union");
  return -1;
}

} // namespace shoal::rt

namespace {
/// A call's arguments gathered at run time (f(*xs, **d)) as Args.
struct StarArgs {
  std::vector<Val> vals;
  std::vector<const char*> names;
  Args args;
  bool ok = true;
  StarArgs(Ctx* c, const List* pos, const Table* kw) {
    vals.assign(pos->items, pos->items + pos->n);
    if (kw) {
      Iter* it = iter_of(c, box_ptr(Tag::Dict, kw));
      Val k;
      while (it && iter_next(c, it, &k)) {
        if (k.tag != Tag::Str) {
          raise(c, ExcKind::TypeError, "keywords must be strings");
          ok = false;
          return;
        }
        names.push_back(as<Str>(k)->data);
      }
      for (const char* nm : names) {
        Val v;
        dict_get(c, kw, box_ptr(Tag::Str, str_new(nm, int64_t(std::strlen(nm)))), &v);
        vals.push_back(v);
      }
    }
    ok = ok && !c->exc;
    args = Args{pos->n, vals.data(), int64_t(names.size()), names.data()};
  }
};
} // namespace

extern "C" {

Val shoal_rt_builtin_star(Ctx* c, const char* name, const List* pos, const Table* kw) {
  StarArgs s(c, pos, kw);
  return s.ok ? builtin(c, name, s.args) : none();
}

Val shoal_rt_call_method_star(Ctx* c, int64_t tag, int64_t bits, const char* name, const List* pos, const Table* kw) {
  StarArgs s(c, pos, kw);
  return s.ok ? call_method(c, V(tag, bits), name, s.args) : none();
}

/// Binds f(*pos, **kw) to a function's parameters as CPython does: out gets one value per
/// parameter in shoal's order (positional-or-keyword, keyword-only, then the *args tuple and the
/// **kwargs dict when present). defaults[i] is Tag::Dummy for a parameter without one. 0 raised.
int32_t shoal_rt_bind(Ctx* c, const char* fname, int64_t npos, int64_t nkwonly, const char* const* names,
                      const Val* defaults, int64_t has_var, int64_t has_kw, const List* pos, const Table* kw, Val* out) {
  std::string f = fname;
  int64_t nnamed = npos + nkwonly;
  for (int64_t i = 0; i < nnamed; ++i)
    out[i] = {Tag::Dummy, 0};
  int64_t given = pos->n;
  if (given > npos && !has_var) {
    int64_t ndef = 0;
    for (int64_t i = 0; i < npos; ++i)
      ndef += defaults[i].tag != Tag::Dummy;
    raise(c, ExcKind::TypeError, too_many_positional(f, npos - ndef, npos, given));
    return 0;
  }
  for (int64_t i = 0; i < given && i < npos; ++i)
    out[i] = pos->items[i];
  int64_t slot = nnamed;
  if (has_var)
    out[slot++] = given > npos ? tuple_new(given - npos, pos->items + npos) : tuple_new(0, nullptr);
  Table* extra = has_kw ? dict_new(0) : nullptr;
  if (kw) {
    Iter* it = iter_of(c, box_ptr(Tag::Dict, kw));
    Val k;
    while (it && iter_next(c, it, &k)) {
      if (k.tag != Tag::Str) {
        raise(c, ExcKind::TypeError, f + " keywords must be strings");
        return 0;
      }
      Val v;
      dict_get(c, kw, k, &v);
      const char* name = as<Str>(k)->data;
      int64_t at = -1;
      for (int64_t i = 0; i < nnamed; ++i)
        if (std::strcmp(names[i], name) == 0)
          at = i;
      if (at < 0) {
        if (!extra) {
          raise(c, ExcKind::TypeError, f + " got an unexpected keyword argument '" + name + "'");
          return 0;
        }
        dict_set(c, extra, k, v);
        continue;
      }
      if (out[at].tag != Tag::Dummy) {
        raise(c, ExcKind::TypeError, f + " got multiple values for argument '" + name + "'");
        return 0;
      }
      out[at] = v;
    }
    if (c->exc)
      return 0;
  }
  if (has_kw)
    out[slot] = box_ptr(Tag::Dict, extra);
  std::vector<std::string> missing[2]; // positional, keyword-only
  for (int64_t i = 0; i < nnamed; ++i) {
    if (out[i].tag != Tag::Dummy)
      continue;
    if (defaults[i].tag != Tag::Dummy)
      out[i] = defaults[i];
    else
      missing[i >= npos].push_back(names[i]);
  }
  for (int kwonly = 0; kwonly < 2; ++kwonly) // as CPython: the positional ones first
    if (!missing[kwonly].empty()) {
      raise(c, ExcKind::TypeError, missing_arguments(f, missing[kwonly], kwonly));
      return 0;
    }
  return 1;
}

Val shoal_rt_call_star(Ctx* c, int64_t tag, int64_t bits, const List* pos, const Table* kw) {
  if (kw && kw->n) {
    raise(c, ExcKind::UnsupportedError, "**kwargs in a call of a function chosen at run time");
    return none();
  }
  return call_value(c, V(tag, bits), pos->n, pos->items);
}

Val shoal_rt_builtin(Ctx* c, const char* name, int64_t n, const Val* args, int64_t nkw, const char* const* kw) {
  return builtin(c, name, Args{n, args, nkw, kw});
}

Val shoal_rt_call_method(Ctx* c, int64_t tag, int64_t bits, const char* name, int64_t n, const Val* args, int64_t nkw,
                         const char* const* kw) {
  return call_method(c, V(tag, bits), name, Args{n, args, nkw, kw});
}

void* shoal_rt_list_new(Ctx*, int64_t n, const Val* items) { return n ? list_from(n, items) : list_new(0); }

void* shoal_rt_set_new(Ctx* c, int64_t n, const Val* items) { return set_display(c, n, items, false); }
void* shoal_rt_set_const(Ctx* c, int64_t n, const Val* items) { return set_display(c, n, items, true); }

void* shoal_rt_dict_new(Ctx* c, int64_t n, const Val* kv) {
  Table* d = dict_new(n);
  for (int64_t i = 0; i < n; ++i)
    if (!dict_set(c, d, kv[2 * i], kv[2 * i + 1]))
      return d;
  return d;
}

void shoal_rt_list_append(Ctx* c, void* l, int64_t t, int64_t b) { list_append(c, static_cast<List*>(l), V(t, b)); }

Val shoal_rt_dict_get_or(Ctx* c, void* d, int64_t kt, int64_t kb, int64_t dt, int64_t db) {
  Val out;
  int r = dict_get(c, static_cast<Table*>(d), V(kt, kb), &out);
  return r > 0 ? out : r == 0 ? V(dt, db) : none();
}
void shoal_rt_set_add(Ctx* c, void* s, int64_t t, int64_t b) { set_add(c, static_cast<Table*>(s), V(t, b)); }
void shoal_rt_dict_set(Ctx* c, void* d, int64_t kt, int64_t kb, int64_t vt, int64_t vb) {
  dict_set(c, static_cast<Table*>(d), V(kt, kb), V(vt, vb));
}

void shoal_rt_extend(Ctx* c, int64_t tt, int64_t tb, int64_t st, int64_t sb) {
  Val target = V(tt, tb), src = V(st, sb);
  if (target.tag == Tag::List)
    list_extend(c, as<List>(target), src);
  else if (target.tag == Tag::Set)
    set_update(c, as<Table>(target), src);
  else if (src.tag != Tag::Dict)
    raise(c, ExcKind::TypeError, std::string("'") + type_name(src) + "' object is not a mapping");
  else
    dict_update(c, as<Table>(target), src);
}

void* shoal_rt_iter(Ctx* c, int64_t t, int64_t b) {
  Val v = V(t, b);
  if (instance_of(v)) {
    Val it;
    if (call_dunder(c, v, "__iter__", 0, nullptr, &it)) {
      if (c->exc)
        return nullptr;
      return iter_of(c, it);
    }
  }
  return iter_of(c, v);
}

int32_t shoal_rt_iter_next(Ctx* c, void* it, Val* out) { return iter_next(c, static_cast<Iter*>(it), out) ? 1 : 0; }

void* shoal_rt_str_join_n(Ctx* c, int64_t n, Str* const* parts) { return str_join_n(c, n, parts); }

void* shoal_rt_format(Ctx* c, int64_t t, int64_t b, Str* spec, int32_t conv) {
  Val v = V(t, b);
  if (conv == 'r' || conv == 's' || conv == 'a') {
    Str* s = conv == 's' ? shoal_rt_to_str(c, v) : shoal_rt_repr(c, v);
    if (c->exc)
      return nullptr;
    v = box_ptr(Tag::Str, s);
  }
  if (!spec || spec->len == 0) {
    if (v.tag == Tag::Str)
      return as<Str>(v);
    return shoal_rt_to_str(c, v);
  }
  return format_value(c, v, spec);
}

Val shoal_rt_getslice(Ctx* c, int64_t t, int64_t b, const Val* parts) {
  Val v = V(t, b);
  switch (v.tag) {
  case Tag::List: {
    List* r = list_slice(c, as<List>(v), parts[0], parts[1], parts[2]);
    return r ? box_ptr(Tag::List, r) : none();
  }
  case Tag::Str: {
    Str* r = str_slice(c, as<Str>(v), parts[0], parts[1], parts[2]);
    return r ? box_ptr(Tag::Str, r) : none();
  }
  case Tag::Tuple: return tuple_slice(c, as<Tuple>(v), parts[0], parts[1], parts[2]);
  case Tag::Range: {
    const RangeObj* r = as<RangeObj>(v);
    int64_t start, stop, step;
    int64_t n = slice_indices(c, int64_t(range_len(r)), parts[0], parts[1], parts[2], &start, &stop, &step);
    if (n < 0)
      return none();
    return range_new(c, r->start + start * r->step, r->start + stop * r->step, r->step * step);
  }
  default:
    raise(c, ExcKind::TypeError, std::string("'") + type_name(v) + "' object is not subscriptable");
    return none();
  }
}

void shoal_rt_setslice(Ctx* c, int64_t t, int64_t b, const Val* parts, int64_t vt, int64_t vb) {
  Val v = V(t, b);
  if (v.tag != Tag::List) {
    raise(c, ExcKind::TypeError, std::string("'") + type_name(v) + "' object does not support item assignment");
    return;
  }
  list_set_slice(c, as<List>(v), parts[0], parts[1], parts[2], V(vt, vb));
}

void shoal_rt_delslice(Ctx* c, int64_t t, int64_t b, const Val* parts) {
  Val v = V(t, b);
  if (v.tag != Tag::List) {
    raise(c, ExcKind::TypeError, std::string("'") + type_name(v) + "' object does not support item deletion");
    return;
  }
  list_del_slice(c, as<List>(v), parts[0], parts[1], parts[2]);
}

void shoal_rt_setitem(Ctx* c, int64_t t, int64_t b, int64_t it, int64_t ib, int64_t vt, int64_t vb) {
  Val obj = V(t, b), idx = V(it, ib), v = V(vt, vb);
  if (obj.tag == Tag::List) {
    int64_t i = dyn_as_index(c, idx);
    if (!c->exc)
      list_setitem(c, as<List>(obj), i, v);
  } else if (obj.tag == Tag::Dict) {
    dict_set(c, as<Table>(obj), idx, v);
  } else {
    Val args[2] = {idx, v}, out;
    if (!call_dunder(c, obj, "__setitem__", 2, args, &out))
      raise(c, ExcKind::TypeError, std::string("'") + type_name(obj) + "' object does not support item assignment");
  }
}

void shoal_rt_delitem(Ctx* c, int64_t t, int64_t b, int64_t it, int64_t ib) {
  Val obj = V(t, b), idx = V(it, ib);
  if (obj.tag == Tag::List) {
    int64_t i = dyn_as_index(c, idx);
    if (!c->exc)
      list_delitem(c, as<List>(obj), i);
  } else if (obj.tag == Tag::Dict) {
    if (dict_del(c, as<Table>(obj), idx, nullptr) == 0)
      raise_key_error(c, idx);
  } else {
    Val out;
    if (!call_dunder(c, obj, "__delitem__", 1, &idx, &out))
      raise(c, ExcKind::TypeError, std::string("'") + type_name(obj) + "' object doesn't support item deletion");
  }
}

int32_t shoal_rt_unpack_ex(Ctx* c, int64_t t, int64_t b, int64_t before, int64_t after, Val* out) {
  List* all = list_of(c, V(t, b));
  if (c->exc)
    return -1;
  if (all->n < before + after) {
    raise(c, ExcKind::ValueError, "not enough values to unpack (expected at least " + std::to_string(before + after) +
                                      ", got " + std::to_string(all->n) + ")");
    return -1;
  }
  for (int64_t i = 0; i < before; ++i)
    out[i] = all->items[i];
  int64_t mid = all->n - before - after;
  out[before] = box_ptr(Tag::List, list_from(mid, all->items + before));
  for (int64_t i = 0; i < after; ++i)
    out[before + 1 + i] = all->items[before + mid + i];
  return 0;
}

Val shoal_rt_getattr(Ctx* c, int64_t t, int64_t b, const char* name) { return get_attr(c, V(t, b), name); }
void shoal_rt_setattr(Ctx* c, int64_t t, int64_t b, const char* name, int64_t vt, int64_t vb) {
  set_attr(c, V(t, b), name, V(vt, vb));
}
void shoal_rt_delattr(Ctx* c, int64_t t, int64_t b, const char* name) { del_attr(c, V(t, b), name); }

void* shoal_rt_instance_new(const ClassObj* cls) { return instance_new(cls); }
void* shoal_rt_exc_instance(Ctx* c, const ClassObj* cls, int64_t n, const Val* args) {
  return exc_instance_new(c, cls, n, args);
}
void shoal_rt_exc_set_args(Ctx*, int64_t t, int64_t b, int64_t n, const Val* args) {
  Val v = V(t, b);
  if (v.tag == Tag::Exc)
    as<Exc>(v)->args = tuple_new(n, args);
}

void shoal_rt_freeze(int64_t t, int64_t b, const char* where) { freeze(V(t, b), where); }

int32_t shoal_rt_truth(Ctx* c, int64_t t, int64_t b) {
  Val v = V(t, b);
  if (instance_of(v)) {
    Val r;
    if (call_dunder(c, v, "__bool__", 0, nullptr, &r))
      return c->exc ? -1 : dyn_truthy(r);
    if (call_dunder(c, v, "__len__", 0, nullptr, &r))
      return c->exc ? -1 : dyn_truthy(r);
    return 1;
  }
  return dyn_truthy(v);
}

void* shoal_rt_gen_new() { return gen_new(); }

/// A cell the collector always scans (compiled code keeps its pointer in JIT memory, which the
/// collector does not see), holding a frozen global built once.
Val* shoal_rt_root_cell(int64_t tag, int64_t bits) {
  auto* cell = static_cast<Val*>(GC_MALLOC_UNCOLLECTABLE(sizeof(Val)));
  *cell = V(tag, bits);
  return cell;
}

int32_t shoal_rt_exc_is_class(const Exc* e, const ClassObj* cls) {
  return e->inst && is_subclass(e->inst->cls, cls) ? 1 : 0;
}

Val shoal_rt_call_value(Ctx* c, int64_t t, int64_t b, int64_t n, const Val* args) {
  return call_value(c, V(t, b), n, args);
}

} // extern "C"

namespace shoal::rt {
std::vector<std::pair<const char*, void*>> object_symbols() {
#define SHOAL_SYM(name) {#name, reinterpret_cast<void*>(&name)}
  return {
      SHOAL_SYM(shoal_rt_builtin),
      SHOAL_SYM(shoal_rt_call_method),
      SHOAL_SYM(shoal_rt_list_new),
      SHOAL_SYM(shoal_rt_set_new),
      SHOAL_SYM(shoal_rt_dict_new),
      SHOAL_SYM(shoal_rt_list_append),
      SHOAL_SYM(shoal_rt_set_add),
      SHOAL_SYM(shoal_rt_dict_set),
      SHOAL_SYM(shoal_rt_extend),
      SHOAL_SYM(shoal_rt_iter),
      SHOAL_SYM(shoal_rt_iter_next),
      SHOAL_SYM(shoal_rt_str_join_n),
      SHOAL_SYM(shoal_rt_format),
      SHOAL_SYM(shoal_rt_getslice),
      SHOAL_SYM(shoal_rt_setslice),
      SHOAL_SYM(shoal_rt_delslice),
      SHOAL_SYM(shoal_rt_setitem),
      SHOAL_SYM(shoal_rt_delitem),
      SHOAL_SYM(shoal_rt_unpack_ex),
      SHOAL_SYM(shoal_rt_getattr),
      SHOAL_SYM(shoal_rt_setattr),
      SHOAL_SYM(shoal_rt_delattr),
      SHOAL_SYM(shoal_rt_instance_new),
      SHOAL_SYM(shoal_rt_exc_instance),
      SHOAL_SYM(shoal_rt_exc_set_args),
      SHOAL_SYM(shoal_rt_freeze),
      SHOAL_SYM(shoal_rt_truth),
      SHOAL_SYM(shoal_rt_call_value),
      SHOAL_SYM(shoal_rt_gen_new),
      SHOAL_SYM(shoal_rt_set_const),
      SHOAL_SYM(shoal_rt_exc_is_class),
      SHOAL_SYM(shoal_rt_builtin_star),
      SHOAL_SYM(shoal_rt_call_method_star),
      SHOAL_SYM(shoal_rt_call_star),
      SHOAL_SYM(shoal_rt_dict_get_or),
      SHOAL_SYM(shoal_rt_bind),
      SHOAL_SYM(shoal_rt_root_cell),
  };
#undef SHOAL_SYM
}
} // namespace shoal::rt
