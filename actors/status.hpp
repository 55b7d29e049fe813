#pragma once
/// What a node reports about itself (cluster.profile(), Future.progress()) and how its
/// statistical-cost model persists: plain functions and one plain class, no actors.

#include "bus/codec.hpp"
#include "runtime/pool.hpp"

#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>

namespace shoal::actors {

/// The calls running on a node: when each started and what the cost model predicted for it.
class CallBoard {
public:
  struct Entry {
    std::chrono::steady_clock::time_point started;
    double predicted = -1; ///< seconds; < 0: no prediction
  };
  void start(uint64_t id, double predicted);
  void finish(uint64_t id);
  std::optional<Entry> find(uint64_t id) const;

private:
  mutable std::mutex mu_;
  std::map<uint64_t, Entry> calls_;
};

/// The NodeStatus answering an encoded StatusRequest (a malformed one is answered without a call).
bus::bytes node_status(rt::Pool& pool, const CallBoard& board, const std::string& model_file,
                       const bus::bytes& request);

/// The file the cost model of a node with this data directory persists to ("" when none).
std::string cost_model_path(const std::string& data_dir);
/// Reads the pool's cost model from path (a missing file is an empty model). False, with *error
/// set, on a malformed file: the model is left empty then.
bool load_cost_model(rt::Pool& pool, const std::string& path, std::string* error);
/// Writes the pool's cost model to path (atomically: a temporary file renamed).
bool save_cost_model(rt::Pool& pool, const std::string& path, std::string* error);

} // namespace shoal::actors
