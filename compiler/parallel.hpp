#pragma once
/// Automatic parallelism, the compiler's half: decides per construct whether its pieces may run
/// in parallel, and rewrites those that may so that the run time can split them
/// (runtime/parallel.hpp). It runs on the parsed functions before scopes are resolved.
///
/// A construct runs in parallel only when the analysis proves that no piece mutates anything
/// another piece or the caller can see. Each function gets an effect summary (does it print,
/// call a function only known at run time, assign a global; which of its parameters may it
/// mutate), found by a fixpoint over the call graph. Constructs:
///  - `sum/min/max/any/all(E for x in S if P)` and `[E for x in S if P]`, where S is range(...)
///    or a list/tuple, as the whole value of an assignment, return or expression statement (or
///    preceded there only by names and constants);
///  - `for x in S: acc = acc OP E` (also `acc += E`, `acc = min(acc, E)`, `acc = acc or E`...,
///    optionally under one `if P:`), OP one of + * min max or and;
///  - two or more calls of pure user functions with simple arguments in one expression
///    (`f(lo, mid) + f(mid, hi)`, `merge(sort(a), sort(b))`), or in consecutive assignments
///    (`a = dot(x, y)`, `b = dot(x, x)`).
///
/// Rewrites, all in ordinary AST nodes plus three built-ins codegen knows:
///  - `__shoal_par(kind, piece, seq, sequential, caps[, init])`: piece is a nested function over
///    a sub-range (`.a, .b` bounds for a range, `.v` a list view otherwise) taking the local
///    values it reads (caps) as parameters, so that nothing becomes a closure cell; sequential is
///    the original construct, run when the run time declines; the iterable's parts are first
///    stored in hidden locals `.pN_i` so that both paths see one evaluation.
///  - `__shoal_fork(expr)`: expr with its independent calls marked (Node::par).

#include "compiler/program.hpp"

#include <string>
#include <vector>

namespace shoal::compiler {

/// Analyses every function of prog and rewrites the constructs that may run in parallel.
std::vector<ParDecision> parallelize(Program& prog);

/// Kinds passed to __shoal_par (runtime/parallel.hpp ParKind).
int par_kind_of(const std::string& reduction);

} // namespace shoal::compiler
