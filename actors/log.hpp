#pragma once
/// The node's log: one line per event on stderr, filtered by level (error, warning, info, debug).

#include <string>

namespace shoal::actors {

enum class LogLevel { Error = 0, Warning = 1, Info = 2, Debug = 3 };

/// Sets the level from its name; unknown names leave it unchanged and return false.
bool set_log_level(const std::string& name);
void log(LogLevel level, const std::string& message);

} // namespace shoal::actors
