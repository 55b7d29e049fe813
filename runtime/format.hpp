#pragma once
/// Strings, tuples and the text of values: str() and repr() exactly as CPython prints them.

#include "runtime/object.hpp"

#include <initializer_list>
#include <string>

namespace shoal::rt {

/// A new tuple holding the given items.
Val tuple_of(std::initializer_list<Val> items);
Val tuple_new(int64_t n, const Val* items);
/// A new exception object of kind with the given args tuple.
Exc* exc_new(ExcKind kind, Val args);

/// str(v) and repr(v).
std::string str_of(Val v);
std::string repr_of(Val v);
/// The Python type name of a value ('int', 'float', 'str', ...).
const char* type_name(Val v);
/// Python's repr of a string (quotes and escapes).
std::string str_repr(const char* data, int64_t len);
/// Number of code points of UTF-8 text.
int64_t utf8_count(const char* data, int64_t len);

} // namespace shoal::rt
