// The `shoal` binary: `shoal run script.py` runs a script on an embedded node with CPython
// embedded (`import shoal` needs no set-up); `shoal node` runs a standalone node.
#include "actors/cluster.hpp"
#include "actors/log.hpp"
#include "config/config.hpp"
#include "python/bridge.hpp"

#include <cerrno>
#include <csignal>
#include <cstring>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <string>
#include <unistd.h>
#include <vector>

namespace {

const char* usage = "usage: shoal run [options] script.py [args...]   run a script on an embedded node\n"
                    "       shoal node [options]                      run a standalone node\n"
                    "       shoal --version\n"
                    "`shoal run --help` and `shoal node --help` list the options.\n";

/// The folder holding the `shoal` Python package: python/ beside the binary (the build tree).
std::string package_dir(const char* argv0) {
  std::error_code ec;
  auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (ec)
    exe = std::filesystem::absolute(argv0);
  return (exe.parent_path() / "python").string();
}

std::wstring widen(const std::string& s) {
  wchar_t* w = Py_DecodeLocale(s.c_str(), nullptr);
  std::wstring out = w ? w : L"";
  PyMem_RawFree(w);
  return out;
}

/// A Python string literal for s.
std::string py_quote(const std::string& s) {
  std::string out = "'";
  for (char ch : s) {
    if (ch == '\\' || ch == '\'')
      out += '\\';
    out += ch;
  }
  return out + "'";
}

int run_script(const shoal::config::run_config& rc, const char* argv0) {
  if (FILE* f = std::fopen(rc.script.c_str(), "r"))
    std::fclose(f);
  else {
    std::fprintf(stderr, "shoal: cannot open script '%s': %s\n", rc.script.c_str(), std::strerror(errno));
    return 2;
  }
  auto node = shoal::config::resolved(rc.node);
  PyImport_AppendInittab("_shoal", PyInit__shoal);
  PyConfig cfg;
  PyConfig_InitPythonConfig(&cfg);
  auto fail = [&](PyStatus st) {
    PyConfig_Clear(&cfg);
    std::fprintf(stderr, "shoal: cannot start Python: %s\n", st.err_msg ? st.err_msg : "unknown error");
    return 1;
  };
  PyStatus st = PyConfig_SetString(&cfg, &cfg.program_name, L"/usr/bin/python3");
  if (PyStatus_Exception(st))
    return fail(st);
  std::vector<std::wstring> wargs{widen(rc.script)};
  for (auto& a : rc.script_args)
    wargs.push_back(widen(a));
  std::vector<wchar_t*> ptrs;
  for (auto& w : wargs)
    ptrs.push_back(w.data());
  cfg.parse_argv = 0;
  st = PyConfig_SetArgv(&cfg, Py_ssize_t(ptrs.size()), ptrs.data());
  if (PyStatus_Exception(st))
    return fail(st);
  st = PyConfig_SetString(&cfg, &cfg.run_filename, widen(rc.script).c_str());
  if (PyStatus_Exception(st))
    return fail(st);
  st = Py_InitializeFromConfig(&cfg);
  PyConfig_Clear(&cfg);
  if (PyStatus_Exception(st)) {
    std::fprintf(stderr, "shoal: cannot start Python: %s\n", st.err_msg ? st.err_msg : "unknown error");
    return 1;
  }
  std::string setup = "import sys\nsys.path.insert(1, " + py_quote(package_dir(argv0)) +
                      ")\nimport shoal._cluster as _c\n_c.DEFAULTS.update(workers=" + std::to_string(node.workers) +
                      ", recursion_limit=" + std::to_string(node.recursion_limit) +
                      ", memory_limit=" + std::to_string(node.memory_limit) + ", dump=" + py_quote(node.dump) +
                      ", data_dir=" + py_quote(node.data_dir) + ", progress=" + (node.progress ? "True" : "False") +
                      ")\ndel _c\n";
  if (PyRun_SimpleString(setup.c_str()) != 0) {
    std::fprintf(stderr, "shoal: cannot import the shoal package from %s\n", package_dir(argv0).c_str());
    Py_Finalize();
    return 1;
  }
  return Py_RunMain();
}

int run_node(const shoal::config::node_config& raw) {
  auto nc = shoal::config::resolved(raw);
  shoal::actors::set_log_level(nc.log_level);
  std::error_code ec;
  std::filesystem::create_directories(nc.data_dir, ec);
  if (ec) {
    std::fprintf(stderr, "shoal: option 'data-dir': cannot create '%s': %s\n", nc.data_dir.c_str(),
                 ec.message().c_str());
    return 2;
  }
  // signals are taken by this thread alone: block them before any other thread starts
  sigset_t stop;
  sigemptyset(&stop);
  sigaddset(&stop, SIGINT);
  sigaddset(&stop, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop, nullptr);
  shoal::actors::NodeOptions opts;
  opts.workers = nc.workers;
  opts.limits.recursion_limit = nc.recursion_limit;
  opts.limits.memory_limit = int64_t(nc.memory_limit);
  opts.limits.dump = nc.dump;
  opts.data_dir = nc.data_dir;
  std::unique_ptr<shoal::actors::Cluster> node;
  uint16_t port = 0;
  try {
    node = shoal::actors::Cluster::embedded(opts);
    port = node->listen(nc.host, nc.port);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "shoal: %s\n", e.what());
    return 1;
  }
  if (!nc.seeds.empty())
    shoal::actors::log(shoal::actors::LogLevel::Warning,
                       "seed addresses are accepted but clusters of several nodes are not implemented yet");
  std::printf("shoal node listening on %s:%u with %u workers\n", nc.host.c_str(), port, node->workers());
  std::fflush(stdout);
  int sig = 0;
  sigwait(&stop, &sig);
  shoal::actors::log(shoal::actors::LogLevel::Info, std::string("stopping on signal ") + std::to_string(sig));
  node.reset();
  return 0;
}

} // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty() || args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
    std::fputs(usage, args.empty() ? stderr : stdout);
    return args.empty() ? 2 : 0;
  }
  if (args[0] == "--version") {
    std::puts("shoal 0.1.0");
    return 0;
  }
  std::string command = args[0];
  args.erase(args.begin());
  if (command == "run") {
    auto r = shoal::config::parse_run_options(args);
    if (!r.config) {
      std::fputs((r.message + "\n").c_str(), r.exit_code ? stderr : stdout);
      return r.exit_code;
    }
    return run_script(*r.config, argv[0]);
  }
  if (command == "node") {
    auto r = shoal::config::parse_node_options(args);
    if (!r.config) {
      std::fputs((r.message + "\n").c_str(), r.exit_code ? stderr : stdout);
      return r.exit_code;
    }
    return run_node(*r.config);
  }
  std::fprintf(stderr, "shoal: unknown command '%s'\n%s", command.c_str(), usage);
  return 2;
}
