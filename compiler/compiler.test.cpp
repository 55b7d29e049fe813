#include "compiler/types.hpp"

#include <catch2/catch.hpp>

using namespace shoal::compiler;

TEST_CASE("types are interned and join to the least common type", "[compiler]") {
  Types t;
  CHECK(t.integer() == t.integer());
  CHECK(t.join(t.never(), t.flt()) == t.flt());
  CHECK(t.join(t.integer(), t.flt()) == t.dyn());
  auto* a = t.tuple({t.integer(), t.flt()});
  auto* b = t.tuple({t.integer(), t.integer()});
  CHECK(t.join(a, b) == t.tuple({t.integer(), t.dyn()}));
  CHECK(t.join(a, t.tuple({t.integer()})) == t.dyn());
  t.wide = true;
  CHECK(t.integer() == t.dyn());
}
