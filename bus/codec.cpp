#include "bus/codec.hpp"

#include <kj/exception.h>

#include <cstring>

namespace shoal::bus {

capnp::ReaderOptions reader_options() {
  capnp::ReaderOptions opts;
  opts.traversalLimitInWords = uint64_t{1} << 27; // 1 GiB
  opts.nestingLimit = 512;                          // deep ASTs (long elif chains) nest deeply
  return opts;
}

bytes encode(capnp::MessageBuilder& message) {
  auto flat = capnp::messageToFlatArray(message);
  auto raw = flat.asBytes();
  return bytes(raw.begin(), raw.end());
}

message_in::message_in(const bytes& data) {
  if (data.size() % sizeof(capnp::word) != 0 || data.empty()) {
    error_ = "message size " + std::to_string(data.size()) + " is not a whole number of words";
    return;
  }
  words_ = kj::heapArray<capnp::word>(data.size() / sizeof(capnp::word));
  std::memcpy(words_.begin(), data.data(), data.size());
  error_ = guarded([&] { reader_.emplace(words_.asPtr(), reader_options()); });
  if (!error_.empty())
    reader_.reset();
}

std::string guarded(const std::function<void()>& fn) {
  std::string err;
  try {
    fn();
  } catch (const kj::Exception& e) {
    err = std::string("malformed message: ") + e.getDescription().cStr();
  }
  return err;
}

} // namespace shoal::bus
