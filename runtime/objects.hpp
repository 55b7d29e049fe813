#pragma once
/// User classes and their instances as compiled code builds them, and the run-time half of
/// attribute access, method calls and operators on instances (dunder methods).
///
/// A ClassObj is emitted by the compiler as a constant: its layout is ABI and must not change
/// without compiler/codegen_objects.cpp.

#include "runtime/dyn.hpp"
#include "runtime/object.hpp"

#include <string>

namespace shoal::rt {

struct Iter;

enum class MemberKind : int64_t { Value = 0, Method = 1, Static = 2, ClassMethod = 3, Property = 4 };

struct ClassObj {
  const char* name;
  const ClassObj* base;
  int64_t exc_kind;              ///< ExcKind of the built-in exception class it derives from, or -1
  int64_t nslots;
  const char* const* slots;      ///< instance attribute names, by slot
  int64_t nmembers;
  const char* const* member_names;
  const int64_t* member_kinds;   ///< MemberKind
  const Val* member_values;      ///< plain values; functions (Tag::Func closures); property getters
  const Val* member_setters;     ///< property setters (Tag::Func) or None
  int64_t index;                 ///< the class's index in its program (how instances travel)
};

/// An instance: its class and one boxed value per slot (Tag::Dummy while unset).
struct Instance {
  const ClassObj* cls;
  const char* frozen; ///< null while mutable; else where it was frozen (a shared value)
  Val slots[1];
};
/// Byte offset of slot i in an Instance (compiled code reads and writes slots directly).
constexpr uint64_t instance_slot_offset(int64_t i) { return 16 + 16 * uint64_t(i); }

/// A method bound to its object (obj.method as a value).
struct BoundMethod {
  Val self;
  Val func;
};

Instance* instance_new(const ClassObj* cls);
/// An instance of a user exception class: an Exc of the built-in base's kind with args and slots.
Exc* exc_instance_new(Ctx* c, const ClassObj* cls, int64_t n, const Val* args);
/// The instance part (slots) of an instance value (Instance or user exception), or null.
Instance* instance_of(Val v);
const ClassObj* class_of(Val v);

/// getattr(obj, name) for instances, classes, exceptions and built-in values (bound methods).
Val get_attr(Ctx* c, Val obj, const char* name);
void set_attr(Ctx* c, Val obj, const char* name, Val v);
void del_attr(Ctx* c, Val obj, const char* name);
/// A member looked up through the class and its bases; null when absent.
const Val* class_member(const ClassObj* cls, const char* name, MemberKind* kind, const Val** setter = nullptr);
/// Calls a dunder method of an instance if its class defines it: true with *out set (or c->exc);
/// false when the class does not define it.
bool call_dunder(Ctx* c, Val self, const char* name, int64_t n, const Val* args, Val* out);
/// Whether v's class is cls or derives from it.
bool is_subclass(const ClassObj* sub, const ClassObj* cls);

/// Calls a callable that is not a compiled function: bound methods, classes (a new instance,
/// __init__ run), built-in functions (Tag::Builtin, bits = its name). Raises TypeError for values
/// that are not callable.
Val call_other(Ctx* c, Val f, int64_t n, const Val* args);
/// isinstance(obj, cls) for classes, built-in types (by name), exception classes and tuples of
/// them; -1 raised.
int isinstance_of(Ctx* c, Val obj, Val cls);
/// The one address of a built-in's name (Tag::Builtin values carry it, so that `is` and == work).
const char* builtin_name(const char* name);
/// type(v): a built-in type (Tag::Builtin) or the user class (Tag::Class).
Val type_of(Val v);

/// A new generator iterator, filled by the compiled coroutine's ramp.
Iter* gen_new();
/// What a finished generator returned; false when it is not a generator.
bool gen_result(Iter* it, Val* out);

/// Operators on instances through their dunder methods (reflected ones included): true when a
/// method ran (*out set, or c->exc).
bool instance_binop(Ctx* c, BinOp op, Val a, Val b, bool inplace, Val* out);
/// A comparison through __eq__/__lt__/...: 1, 0, -1 raised, -2 when no method applies.
int instance_compare(Ctx* c, CmpOp op, Val a, Val b);
/// iter(instance): its __iter__, driven through __next__ when that returns an instance.
Iter* instance_iter(Ctx* c, Val v);
/// str() or repr() of an instance where no Ctx is at hand (inside the repr of a container).
std::string instance_text(Val v, bool repr);

/// The repr of an instance (its __repr__, or "<Point object at 0x...>").
std::string instance_repr(Ctx* c, Val v);
std::string instance_str(Ctx* c, Val v);

} // namespace shoal::rt
