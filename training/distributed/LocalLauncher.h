#pragma once
// `moon train --nproc N` on one machine: starts N workers of this very
// executable (/proc/self/exe) with the same arguments minus --nproc and the
// torchrun environment (RANK, WORLD_SIZE, LOCAL_RANK, MASTER_ADDR=127.0.0.1,
// MASTER_PORT = a free port), then supervises them:
//   - rank 0's stdout passes through (the JSON-lines events); the others'
//     stdout is discarded, their stderr (warnings, errors) passes through;
//   - SIGINT/SIGTERM received by the launcher are forwarded to every worker
//     (each stops gracefully after the step they agree on);
//   - when a worker fails (non-zero exit or killed), the others get SIGTERM
//     and, after a grace period, SIGKILL.
// No networking of our own: the workers rendezvous through c10d's TCPStore.
#include <chrono>
#include <string>
#include <vector>

namespace moon {

struct LaunchOptions {
  int nproc = 2;
  std::vector<std::string> args;           // the workers' arguments (without the program name)
  std::chrono::milliseconds grace{15000};  // after a failure, before SIGKILL
};

struct LaunchResult {
  int exitCode = 0;     // the worst worker's (128 + signal for a killed worker)
  std::string message;  // empty on success, else which worker failed first and how
};

// Blocks until every worker has exited. Throws IoError when a worker cannot be
// started (the ones already started are terminated).
LaunchResult launchLocalWorkers(const LaunchOptions& options);

// This process's arguments (from /proc/self/cmdline, without the program name)
// with `--nproc N` / `--nproc=N` removed.
std::vector<std::string> argumentsWithoutNproc();

// A TCP port on 127.0.0.1 nothing listens on right now.
int freeLocalPort();

}  // namespace moon
