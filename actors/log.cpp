#include "actors/log.hpp"

#include <atomic>
#include <cstdio>
#include <ctime>
#include <mutex>

namespace shoal::actors {

namespace {
std::atomic<int> current{int(LogLevel::Warning)};
std::mutex mu;
const char* names[] = {"error", "warning", "info", "debug"};
} // namespace

bool set_log_level(const std::string& name) {
  for (int i = 0; i < 4; ++i)
    if (name == names[i]) {
      current = i;
      return true;
    }
  return false;
}

void log(LogLevel level, const std::string& message) {
  if (int(level) > current)
    return;
  std::time_t now = std::time(nullptr);
  char stamp[32];
  std::strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%S", std::gmtime(&now));
  std::lock_guard<std::mutex> lock(mu);
  std::fprintf(stderr, "%s shoal %s: %s\n", stamp, names[int(level)], message.c_str());
}

} // namespace shoal::actors
