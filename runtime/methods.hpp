#pragma once
/// Methods of the built-in types (str, list, dict, set, frozenset, tuple) and the string
/// operations compiled code calls: slicing, formatting (format specs, f-strings, %).
/// Every function raises CPython's exception type and message on the Ctx (callers check c->exc).

#include "runtime/containers.hpp"

namespace shoal::rt {

/// Arguments of a method call: n positional values, then one value per keyword name
/// (v[n + i] is the value of keyword kw[i]).
struct Args {
  int64_t n = 0;
  const Val* v = nullptr;
  int64_t nkw = 0;
  const char* const* kw = nullptr;
};

/// A built-in method: self.name(args). Returns none() with c->exc set on error, including
/// CPython's arity/keyword TypeErrors ("split() takes at most 2 arguments (3 given)",
/// "sort() takes no positional arguments", "'foo' is an invalid keyword argument for split()").
using MethodFn = Val (*)(Ctx* c, Val self, const Args& a);

/// The built-in methods of each type, null when the type has no such method.
MethodFn str_method(const char* name);
MethodFn list_method(const char* name);
MethodFn tuple_method(const char* name);
MethodFn dict_method(const char* name);
MethodFn set_method(const char* name); ///< set and frozenset (mutators refuse a frozenset)

/// self.name(args) for any built-in value; AttributeError "'int' object has no attribute 'foo'".
Val call_method(Ctx* c, Val self, const char* name, const Args& a);

// ---- strings ----------------------------------------------------------------------------------
/// s[i] by code point (negative included); IndexError "string index out of range".
Str* str_getitem(Ctx* c, const Str* s, int64_t i);
/// s[start:stop:step] by code point; None parts are Tag::None. ASCII strings take a byte path.
Str* str_slice(Ctx* c, const Str* s, Val start, Val stop, Val step);
Str* str_concat(Ctx* c, const Str* a, const Str* b);
/// Concatenation of n strings (f-strings, join).
Str* str_join_n(Ctx* c, int64_t n, Str* const* parts);
/// format(v, spec): the format-spec mini-language for int, big int, float, bool, str and None
/// exactly as CPython ("{:>10.3f}", ",", "_", "%", "e", "g", "x", "b", "o", "c", "n", "#", "0").
Str* format_value(Ctx* c, Val v, const Str* spec);
/// fmt % args (printf-style): %s %r %d %i %f %e %g %x %o %c %%, flags, width, precision, '*',
/// and %(name)s with a dict; TypeError/ValueError messages as CPython.
Str* str_percent(Ctx* c, const Str* fmt, Val args);
/// str.format(*args, **kw) with {} {0} {name} {0.attr}? (no attribute access) {:spec} {!r}.
Str* str_format(Ctx* c, const Str* fmt, const Args& a);
/// `sub in s`.
bool str_contains(const Str* s, const Str* sub);

} // namespace shoal::rt
