#include "training/trainer/StopSignal.h"

#include <csignal>

namespace moon {
namespace {

volatile std::sig_atomic_t gStop = 0;

void onStopSignal(int) { gStop = 1; }

}  // namespace

void installStopSignalHandlers() {
  struct sigaction sa {};
  sa.sa_handler = onStopSignal;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = SA_RESTART;
  sigaction(SIGINT, &sa, nullptr);
  sigaction(SIGTERM, &sa, nullptr);
}

bool stopSignalReceived() { return gStop != 0; }
void requestStopSignal() { gStop = 1; }
void clearStopSignal() { gStop = 0; }

}  // namespace moon
