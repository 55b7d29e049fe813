#include "bus/codec.hpp"

#include "bus/shoal.capnp.h"

#include <catch2/catch.hpp>

using namespace shoal;

TEST_CASE("a call request survives encode and decode", "[bus]") {
  capnp::MallocMessageBuilder mb;
  auto req = mb.initRoot<wire::CallRequest>();
  req.setId(42);
  auto args = req.initArgs(2);
  args[0].setInt(-7);
  args[1].setStr("héllo");
  auto bytes = bus::encode(mb);
  bus::message_in in(bytes);
  REQUIRE(in.ok());
  auto r = in.root<wire::CallRequest>();
  CHECK(r.getId() == 42);
  CHECK(r.getArgs()[0].getInt() == -7);
  CHECK(std::string(r.getArgs()[1].getStr().cStr()) == "héllo");
}

TEST_CASE("malformed peer bytes are rejected with a reason, not a crash", "[bus]") {
  bus::message_in odd(bus::bytes{1, 2, 3});
  CHECK_FALSE(odd.ok());
  CHECK(odd.error().find("whole number of words") != std::string::npos);

  bus::bytes garbage(64, 0xff);
  bus::message_in bad(garbage);
  std::string err;
  if (bad.ok())
    err = bus::guarded([&] { (void)bad.root<wire::CallRequest>().getProgram().getFunctions().size(); });
  else
    err = bad.error();
  CHECK(err.find("malformed") != std::string::npos);
}
