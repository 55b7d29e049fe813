#pragma once
/// Turning Cap'n Proto messages into the byte vectors that CAF carries, and back, safely:
/// a malformed message from a peer becomes an error string, never a crash.

#include <capnp/message.h>
#include <capnp/serialize.h>

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace shoal::bus {

using bytes = std::vector<uint8_t>;

/// Flattens a built message into one contiguous buffer.
bytes encode(capnp::MessageBuilder& message);

/// Owns a copy of received bytes and a reader over them. Construction never throws: check ok().
class message_in {
public:
  explicit message_in(const bytes& data);
  /// Whether the framing was valid; error() says why not.
  bool ok() const { return reader_.has_value(); }
  const std::string& error() const { return error_; }
  template <class Root>
  typename Root::Reader root() { return reader_->getRoot<Root>(); }

private:
  kj::Array<capnp::word> words_;
  std::optional<capnp::FlatArrayMessageReader> reader_;
  std::string error_;
};

/// Runs fn, converting any Cap'n Proto decoding exception (a malformed or truncated peer message)
/// into its description. Returns an empty string on success.
std::string guarded(const std::function<void()>& fn);

/// Reader limits: a call's program and arguments may be large (1 GiB of words).
capnp::ReaderOptions reader_options();

} // namespace shoal::bus
