#include "runtime/object.hpp"
#include "runtime/format.hpp"

#include <cstring>

namespace shoal::rt {

namespace {
struct exc_info {
  const char* name;
  ExcKind base;
};

/// Every built-in exception class with its base, indexed by ExcKind.
constexpr exc_info exc_table[] = {
    {"BaseException", ExcKind::BaseException},
    {"Exception", ExcKind::BaseException},
    {"ArithmeticError", ExcKind::Exception},
    {"ZeroDivisionError", ExcKind::ArithmeticError},
    {"OverflowError", ExcKind::ArithmeticError},
    {"FloatingPointError", ExcKind::ArithmeticError},
    {"LookupError", ExcKind::Exception},
    {"IndexError", ExcKind::LookupError},
    {"KeyError", ExcKind::LookupError},
    {"ValueError", ExcKind::Exception},
    {"TypeError", ExcKind::Exception},
    {"NameError", ExcKind::Exception},
    {"UnboundLocalError", ExcKind::NameError},
    {"RuntimeError", ExcKind::Exception},
    {"RecursionError", ExcKind::RuntimeError},
    {"NotImplementedError", ExcKind::RuntimeError},
    {"AssertionError", ExcKind::Exception},
    {"AttributeError", ExcKind::Exception},
    {"MemoryError", ExcKind::Exception},
    {"StopIteration", ExcKind::Exception},
    {"KeyboardInterrupt", ExcKind::BaseException},
    {"SystemExit", ExcKind::BaseException},
    {"UnsupportedError", ExcKind::Exception},
    {"ImmutabilityError", ExcKind::Exception},
    {"<deopt>", ExcKind::Deopt},
};
static_assert(sizeof(exc_table) / sizeof(exc_table[0]) == size_t(ExcKind::Count));
} // namespace

bool exc_matches(ExcKind k, ExcKind base) {
  if (k == ExcKind::Deopt)
    return false; // internal: never caught by user code
  for (;;) {
    if (k == base)
      return true;
    if (k == ExcKind::BaseException)
      return false;
    k = exc_table[int(k)].base;
  }
}

const char* exc_name(ExcKind k) { return exc_table[int(k)].name; }

ExcKind exc_by_name(const std::string& name) {
  for (int i = 0; i < int(ExcKind::Deopt); ++i)
    if (name == exc_table[i].name)
      return ExcKind(i);
  return ExcKind::Count;
}

Exc* exc_new(ExcKind kind, Val args) {
  auto* e = static_cast<Exc*>(gc_alloc(sizeof(Exc)));
  e->kind = kind;
  e->args = args;
  e->tb = nullptr;
  return e;
}

void raise(Ctx* c, ExcKind kind, const char* msg) {
  Val args = msg ? tuple_of({box_ptr(Tag::Str, str_new(msg, int64_t(std::strlen(msg))))}) : tuple_of({});
  c->exc = exc_new(kind, args);
}

void raise(Ctx* c, ExcKind kind, const std::string& msg) { raise(c, kind, msg.c_str()); }

std::string too_many_positional(const std::string& fname, int64_t required, int64_t positional, int64_t given) {
  bool range = required != positional;
  std::string takes = range ? "from " + std::to_string(required) + " to " + std::to_string(positional)
                            : std::to_string(positional);
  return fname + " takes " + takes + " positional argument" + (positional == 1 && !range ? "" : "s") + " but " +
         std::to_string(given) + (given == 1 ? " was" : " were") + " given";
}

std::string missing_arguments(const std::string& fname, const std::vector<std::string>& names, bool kwonly) {
  std::string list;
  for (size_t i = 0; i < names.size(); ++i) {
    list += "'" + names[i] + "'";
    if (names.size() > 1 && i + 2 < names.size())
      list += ", ";
    else if (i + 2 == names.size())
      list += names.size() > 2 ? ", and " : " and ";
  }
  return fname + " missing " + std::to_string(names.size()) + " required " + (kwonly ? "keyword-only" : "positional") +
         " argument" + (names.size() == 1 ? "" : "s") + ": " + list;
}

std::string exc_message(const Exc* e) {
  auto* t = as<Tuple>(e->args);
  if (t->n == 0)
    return "";
  if (t->n == 1)
    return e->kind == ExcKind::KeyError ? repr_of(t->items[0]) : str_of(t->items[0]);
  return repr_of(e->args);
}

} // namespace shoal::rt
