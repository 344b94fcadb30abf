#include "training/distributed/LocalLauncher.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <csignal>
#include <cstring>
#include <fstream>
#include <iterator>
#include <optional>
#include <thread>

#include "core/base/Error.h"
#include "core/base/Logging.h"

extern char** environ;

namespace moon {
namespace {

volatile std::sig_atomic_t gForward = 0;  // the signal to forward, 0 = none

void onSignal(int sig) { gForward = sig; }

// Restores the launcher's previous SIGINT/SIGTERM handlers when done.
class ForwardingHandlers {
 public:
  ForwardingHandlers() {
    struct sigaction sa {};
    sa.sa_handler = onSignal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESTART;
    sigaction(SIGINT, &sa, &oldInt_);
    sigaction(SIGTERM, &sa, &oldTerm_);
  }
  ~ForwardingHandlers() {
    sigaction(SIGINT, &oldInt_, nullptr);
    sigaction(SIGTERM, &oldTerm_, nullptr);
  }
  ForwardingHandlers(const ForwardingHandlers&) = delete;
  ForwardingHandlers& operator=(const ForwardingHandlers&) = delete;

 private:
  struct sigaction oldInt_ {};
  struct sigaction oldTerm_ {};
};

std::string describe(int status) {
  if (WIFEXITED(status)) return "exited with code " + std::to_string(WEXITSTATUS(status));
  if (WIFSIGNALED(status)) return std::string("was killed by signal ") + strsignal(WTERMSIG(status));
  return "ended";
}

int exitCodeOf(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return 1;
}

struct Worker {
  pid_t pid = -1;
  bool running = false;
  int status = 0;
};

std::vector<std::string> workerEnvironment(int rank, int world, int port) {
  const std::vector<std::pair<std::string, std::string>> ours = {
      {"RANK", std::to_string(rank)},       {"WORLD_SIZE", std::to_string(world)},
      {"LOCAL_RANK", std::to_string(rank)}, {"LOCAL_WORLD_SIZE", std::to_string(world)},
      {"MASTER_ADDR", "127.0.0.1"},         {"MASTER_PORT", std::to_string(port)}};
  std::vector<std::string> env;
  for (char** e = environ; *e; ++e) {
    const std::string entry = *e;
    bool replaced = false;
    for (const auto& [k, v] : ours) replaced = replaced || entry.rfind(k + "=", 0) == 0;
    if (!replaced) env.push_back(entry);
  }
  for (const auto& [k, v] : ours) env.push_back(k + "=" + v);
  return env;
}

std::vector<char*> pointers(std::vector<std::string>& strings) {
  std::vector<char*> out;
  for (auto& s : strings) out.push_back(s.data());
  out.push_back(nullptr);
  return out;
}

void signalAll(std::vector<Worker>& workers, int sig) {
  for (const Worker& w : workers)
    if (w.running) kill(w.pid, sig);
}

}  // namespace

int freeLocalPort() {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) throw IoError(std::string("cannot open a socket to find a free port: ") + std::strerror(errno));
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  socklen_t len = sizeof(addr);
  const bool ok = bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0 &&
                  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0;
  close(fd);
  if (!ok) throw IoError(std::string("cannot find a free port on 127.0.0.1: ") + std::strerror(errno));
  return ntohs(addr.sin_port);
}

std::vector<std::string> argumentsWithoutNproc() {
  std::ifstream in("/proc/self/cmdline", std::ios::binary);
  const std::string all((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::vector<std::string> argv;
  for (size_t begin = 0; begin < all.size();) {
    const size_t end = all.find('\0', begin);
    argv.push_back(all.substr(begin, end == std::string::npos ? std::string::npos : end - begin));
    if (end == std::string::npos) break;
    begin = end + 1;
  }
  std::vector<std::string> out;
  for (size_t i = 1; i < argv.size(); ++i) {
    if (argv[i] == "--nproc") {
      ++i;  // and its value
      continue;
    }
    if (argv[i].rfind("--nproc=", 0) == 0) continue;
    out.push_back(argv[i]);
  }
  return out;
}

LaunchResult launchLocalWorkers(const LaunchOptions& options) {
  const int world = options.nproc;
  const int port = freeLocalPort();
  std::vector<Worker> workers(static_cast<size_t>(world));
  gForward = 0;
  ForwardingHandlers handlers;
  log::training()->info("launching {} data-parallel workers (MASTER_ADDR=127.0.0.1 MASTER_PORT={})", world, port);

  for (int rank = 0; rank < world; ++rank) {
    std::vector<std::string> argv{"/proc/self/exe"};
    argv.insert(argv.end(), options.args.begin(), options.args.end());
    std::vector<std::string> env = workerEnvironment(rank, world, port);
    auto argvp = pointers(argv);
    auto envp = pointers(env);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    if (rank != 0) posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
    pid_t pid = -1;
    const int err = posix_spawn(&pid, "/proc/self/exe", &actions, nullptr, argvp.data(), envp.data());
    posix_spawn_file_actions_destroy(&actions);
    if (err != 0) {
      signalAll(workers, SIGKILL);
      for (Worker& w : workers)
        if (w.running) waitpid(w.pid, &w.status, 0);
      throw IoError("moon train --nproc: cannot start worker " + std::to_string(rank) + ": " + std::strerror(err));
    }
    workers[static_cast<size_t>(rank)] = {pid, true, 0};
  }

  LaunchResult result;
  int alive = world;
  using Clock = std::chrono::steady_clock;
  std::optional<Clock::time_point> killAt;  // set when a worker failed
  while (alive > 0) {
    if (const int sig = gForward) {
      gForward = 0;
      signalAll(workers, sig);
    }
    for (size_t r = 0; r < workers.size(); ++r) {
      Worker& w = workers[r];
      if (!w.running || waitpid(w.pid, &w.status, WNOHANG) != w.pid) continue;
      w.running = false;
      --alive;
      const int code = exitCodeOf(w.status);
      result.exitCode = std::max(result.exitCode, code);
      if (code != 0 && !killAt) {
        result.message = "worker rank " + std::to_string(r) + " (pid " + std::to_string(w.pid) + ") " +
                         describe(w.status) + "; the other workers were stopped";
        log::training()->error("moon train --nproc: {}", result.message);
        signalAll(workers, SIGTERM);
        killAt = Clock::now() + options.grace;
      }
    }
    if (killAt && Clock::now() >= *killAt) {
      signalAll(workers, SIGKILL);
      killAt = Clock::time_point::max();
    }
    if (alive > 0) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return result;
}

}  // namespace moon
