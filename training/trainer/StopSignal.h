#pragma once
// SIGINT/SIGTERM ask a running trainer to stop gracefully: the handler only
// sets a flag; the training loop finishes its step, writes a checkpoint and
// marks the run stopped.
namespace moon {

// Installs the handlers for SIGINT and SIGTERM (idempotent).
void installStopSignalHandlers();
// True once a stop signal arrived (or requestStopSignal() was called).
bool stopSignalReceived();
void requestStopSignal();
void clearStopSignal();

}  // namespace moon
