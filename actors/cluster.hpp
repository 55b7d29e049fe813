#pragma once
/// A handle on a shoal node: either one embedded in this process (its own actor system, gateway,
/// compiler actor and workers) or a remote one reached through its published gateway. Both take
/// the same encoded CallRequest and answer with an encoded CallResult.

#include "actors/call_runner.hpp"
#include "bus/codec.hpp"

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

namespace shoal::actors {

struct NodeOptions {
  unsigned workers = 1;
  CallLimits limits;
  size_t stack_bytes = size_t(1) << 30; ///< per worker, committed lazily
  /// Where persisted state lives (the statistical-cost model); "" keeps nothing.
  std::string data_dir;
};

class Cluster {
public:
  /// Starts a node inside this process. Throws std::runtime_error if it cannot start.
  static std::unique_ptr<Cluster> embedded(const NodeOptions& opts);
  /// Connects to the gateway published at host:port. Throws std::runtime_error with the reason.
  static std::unique_ptr<Cluster> remote(const std::string& host, uint16_t port);
  ~Cluster();
  /// Sends a call; done runs once, on some thread, with the encoded result.
  void submit(bus::bytes request, std::function<void(bus::bytes)> done);
  /// Publishes this node's gateway on host:port; returns the port bound. Throws on failure.
  uint16_t listen(const std::string& host, uint16_t port);
  /// The node's status and cost profile: an encoded StatusRequest in, an encoded NodeStatus out.
  /// Throws std::runtime_error when a remote node does not answer.
  bus::bytes status(const bus::bytes& request);
  /// Blocks until the node's actor system shuts down (for `shoal node`).
  void await();
  unsigned workers() const;

private:
  Cluster();
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

} // namespace shoal::actors
