#pragma once

#include <functional>

namespace moon {

// Runs the event loop until `done()` is true or `timeoutMs` has passed; returns
// done(). For batch modes (--screenshot) that must wait for asynchronous work
// without a user in front of the window; interactive code connects to signals.
bool waitFor(const std::function<bool()>& done, int timeoutMs);

}  // namespace moon
