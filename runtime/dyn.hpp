#pragma once
/// Operations on boxed values whose types are known only at run time: the reference semantics
/// that compiled fast paths must agree with. Errors are raised on the Ctx; callers check c->exc.

#include "runtime/numeric.hpp"

namespace shoal::rt {

enum class CmpOp : int32_t { Eq, Ne, Lt, Le, Gt, Ge };

/// a op b for any operand types (numbers, str, tuple); TypeError as CPython words it (for an
/// augmented assignment, inplace names the operator as `+=`).
Val dyn_binop(Ctx* c, BinOp op, Val a, Val b, bool inplace = false);
/// Flag or'ed into the operator code compiled code passes for an augmented assignment.
constexpr int32_t inplace_flag = 0x100;
/// a op b: 1 true, 0 false, -1 raised (TypeError for unorderable types).
int dyn_compare(Ctx* c, CmpOp op, Val a, Val b);
/// Equality without errors.
bool dyn_equal(Val a, Val b);
/// bool(v).
bool dyn_truthy(Val v);
Val dyn_neg(Ctx* c, Val a);
Val dyn_pos(Ctx* c, Val a);
Val dyn_invert(Ctx* c, Val a);
/// `item in container` for str and tuple: 1, 0 or -1 raised.
int dyn_contains(Ctx* c, Val container, Val item);
/// len(v); -1 raised.
int64_t dyn_len(Ctx* c, Val v);
/// seq[i] for str and tuple, negative indices included.
Val dyn_index(Ctx* c, Val seq, Val index);
/// int(v), float(v) and str(v) of any supported value.
Val dyn_to_int(Ctx* c, Val v);
double dyn_to_float(Ctx* c, Val v);
/// An int operand as int64 for range() and indexing; TypeError/OverflowError otherwise.
int64_t dyn_as_index(Ctx* c, Val v);
/// The operator's symbol for messages ('+', '//', '**').
const char* binop_symbol(BinOp op);
const char* cmpop_symbol(CmpOp op);

} // namespace shoal::rt
