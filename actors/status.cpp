#include "actors/status.hpp"

#include "bus/shoal.capnp.h"
#include "runtime/cost_model.hpp"

#include <capnp/message.h>

#include <filesystem>

namespace shoal::actors {

void CallBoard::start(uint64_t id, double predicted) {
  std::lock_guard<std::mutex> lock(mu_);
  calls_[id] = {std::chrono::steady_clock::now(), predicted};
}

void CallBoard::finish(uint64_t id) {
  std::lock_guard<std::mutex> lock(mu_);
  calls_.erase(id);
}

std::optional<CallBoard::Entry> CallBoard::find(uint64_t id) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = calls_.find(id);
  if (it == calls_.end())
    return std::nullopt;
  return it->second;
}

bus::bytes node_status(rt::Pool& pool, const CallBoard& board, const std::string& model_file,
                       const bus::bytes& request) {
  uint64_t call_id = 0;
  bus::message_in in(request);
  if (in.ok())
    bus::guarded([&] { call_id = in.root<wire::StatusRequest>().getCallId(); });
  capnp::MallocMessageBuilder mb;
  auto st = mb.initRoot<wire::NodeStatus>();
  st.setWorkers(pool.workers());
  int idle = pool.idle()->load();
  st.setBusy(uint32_t(std::max(0, int(pool.workers()) - idle)));
  st.setPiecesDone(pool.pieces_done.load());
  st.setPiecesQueued(pool.queued());
  st.setModelFile(model_file);
  auto call = st.initCall();
  if (auto e = board.find(call_id)) {
    call.setFound(true);
    call.setElapsed(std::chrono::duration<double>(std::chrono::steady_clock::now() - e->started).count());
    call.setPredicted(e->predicted);
  } else {
    call.setPredicted(-1);
  }
  std::vector<rt::CostModel::Stats> rows;
  {
    std::lock_guard<std::mutex> lock(pool.cost_mutex());
    pool.cost_model()->refit();
    rows = pool.cost_model()->profile();
  }
  auto out = st.initProfile(unsigned(rows.size()));
  for (unsigned k = 0; k < out.size(); ++k) {
    out[k].setKey(rows[k].key);
    out[k].setCalls(rows[k].calls);
    out[k].setTotal(rows[k].total);
    out[k].setMean(rows[k].mean);
    out[k].setModel(rows[k].fit.describe());
  }
  return bus::encode(mb);
}

std::string cost_model_path(const std::string& data_dir) {
  return data_dir.empty() ? "" : (std::filesystem::path(data_dir) / "cost_model.txt").string();
}

bool load_cost_model(rt::Pool& pool, const std::string& path, std::string* error) {
  std::lock_guard<std::mutex> lock(pool.cost_mutex());
  return pool.cost_model()->load_file(path, error);
}

bool save_cost_model(rt::Pool& pool, const std::string& path, std::string* error) {
  std::error_code ec;
  std::filesystem::create_directories(std::filesystem::path(path).parent_path(), ec);
  std::lock_guard<std::mutex> lock(pool.cost_mutex());
  pool.cost_model()->refit();
  return pool.cost_model()->save_file(path, error);
}

} // namespace shoal::actors
