#pragma once

#include <stdexcept>
#include <string>

namespace moon {

// Errors a user can cause (bad files, bad config values, missing data).
// The message names the file, line or key so it can be shown as-is.
class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class ConfigError : public Error {
 public:
  using Error::Error;
};

class IoError : public Error {
 public:
  using Error::Error;
};

class FormatError : public Error {
 public:
  using Error::Error;
};

}  // namespace moon
