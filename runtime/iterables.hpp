#pragma once
/// The built-in functions that consume any iterable: list(), tuple(), set(), frozenset(), dict(),
/// sorted(), min(), max(), sum(), any() and all(), with CPython 3.11's results and messages.
/// Errors are raised on the Ctx; callers check c->exc (pointer results are then null).

#include "runtime/containers.hpp"

namespace shoal::rt {

List* list_of(Ctx* c, Val iterable);
Val tuple_of_iterable(Ctx* c, Val iterable);      ///< a tuple comes back as itself
Table* set_of(Ctx* c, Val iterable);
Val frozenset_of(Ctx* c, Val iterable);           ///< a frozenset comes back as itself
/// dict(iterable): a copy of a dict, or the pairs of an iterable ("dictionary update sequence
/// element #0 has length 3; 2 is required").
Table* dict_of(Ctx* c, Val iterable);
/// sorted(iterable, key=key, reverse=reverse).
List* sorted_of(Ctx* c, Val iterable, Val key, bool reverse);
/// min()/max(): with n == 1 over the items of args[0], otherwise over args[0..n); key is None or
/// a callable; dflt (null when absent) is returned for an empty iterable. Ties keep the first.
/// TypeError "max expected at least 1 argument, got 0", "Cannot specify a default for max() with
/// multiple positional arguments"; ValueError "max() arg is an empty sequence".
Val min_max(Ctx* c, bool is_max, int64_t n, const Val* args, Val key, const Val* dflt);
/// sum(iterable, start): left to right with dyn_binop's + (int64 and float fast paths);
/// TypeError "sum() can't sum strings [use ''.join(seq) instead]" for a str start.
Val sum_of(Ctx* c, Val iterable, Val start);
/// any(iterable) / all(iterable): 1, 0, or -1 raised.
int any_of(Ctx* c, Val iterable);
int all_of(Ctx* c, Val iterable);

} // namespace shoal::rt
