#include "runtime/format.hpp"

#include "runtime/numeric_detail.hpp"

#include <cstdio>
#include <cstring>

namespace shoal::rt {

int64_t utf8_count(const char* data, int64_t len) {
  int64_t n = 0;
  for (int64_t i = 0; i < len; ++i)
    n += (static_cast<unsigned char>(data[i]) & 0xC0) != 0x80;
  return n;
}

Str* str_new(const char* data, int64_t len) {
  auto* s = static_cast<Str*>(gc_alloc_atomic(sizeof(Str) + size_t(len)));
  s->len = len;
  s->ncp = utf8_count(data, len);
  std::memcpy(s->data, data, size_t(len));
  s->data[len] = 0;
  return s;
}

Str* str_new(const std::string& s) { return str_new(s.data(), int64_t(s.size())); }

Val tuple_new(int64_t n, const Val* items) {
  auto* t = static_cast<Tuple*>(gc_alloc(sizeof(Tuple) + sizeof(Val) * size_t(n)));
  t->n = n;
  for (int64_t i = 0; i < n; ++i)
    t->items[i] = items[i];
  return box_ptr(Tag::Tuple, t);
}

Val tuple_of(std::initializer_list<Val> items) { return tuple_new(int64_t(items.size()), items.begin()); }

const char* type_name(Val v) {
  switch (v.tag) {
  case Tag::None: return "NoneType";
  case Tag::Bool: return "bool";
  case Tag::Int:
  case Tag::Big: return "int";
  case Tag::Float: return "float";
  case Tag::Str: return "str";
  case Tag::Tuple: return "tuple";
  case Tag::Func: return "function";
  case Tag::Exc: return exc_name(as<Exc>(v)->kind);
  case Tag::Module: return "module";
  case Tag::Builtin: return "builtin_function_or_method";
  case Tag::ExcType: return "type";
  }
  return "object";
}

std::string str_repr(const char* data, int64_t len) { return detail::str_repr(std::string(data, size_t(len))); }

static std::string tuple_repr(const Tuple* t) {
  std::string out = "(";
  for (int64_t i = 0; i < t->n; ++i) {
    if (i)
      out += ", ";
    out += repr_of(t->items[i]);
  }
  if (t->n == 1)
    out += ",";
  return out + ")";
}

std::string repr_of(Val v) {
  switch (v.tag) {
  case Tag::Str: return str_repr(as<Str>(v)->data, as<Str>(v)->len);
  case Tag::Tuple: return tuple_repr(as<Tuple>(v));
  case Tag::Exc: {
    const Exc* e = as<Exc>(v);
    const Tuple* t = as<Tuple>(e->args);
    std::string inner = t->n == 1 ? repr_of(t->items[0]) : tuple_repr(t);
    if (t->n != 1)
      inner = inner.substr(1, inner.size() - 2 - (t->n == 1));
    return std::string(exc_name(e->kind)) + "(" + inner + ")";
  }
  default: return str_of(v);
  }
}

std::string str_of(Val v) {
  switch (v.tag) {
  case Tag::None: return "None";
  case Tag::Bool: return v.bits ? "True" : "False";
  case Tag::Int:
  case Tag::Big: return int_to_string(v);
  case Tag::Float: return float_repr(unbox_float(v));
  case Tag::Str: return std::string(as<Str>(v)->data, size_t(as<Str>(v)->len));
  case Tag::Tuple: return repr_of(v);
  case Tag::Exc: return exc_message(as<Exc>(v));
  case Tag::Func: return "<function>";
  case Tag::Module: return "<module>";
  case Tag::Builtin: return "<built-in function>";
  case Tag::ExcType: return std::string("<class '") + exc_name(ExcKind(v.bits)) + "'>";
  }
  return "<object>";
}

} // namespace shoal::rt
