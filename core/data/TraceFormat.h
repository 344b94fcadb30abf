#pragma once

// The reasoning trace is the product's fine-grained attributes as text:
//   "color: red; pattern: striped; sleeve: short; brand: acme"
// formatTrace() writes the canonical form (keys in map order); parseTrace()
// reads what a model generated and tolerates anything, reporting what it
// could not use.

#include <string>
#include <vector>

#include "core/data/Product.h"

namespace moon {

std::string formatTrace(const Attributes& attributes);

struct ParsedTrace {
  Attributes attributes;              // first value wins for a repeated key
  std::vector<std::string> problems;  // one message per piece that was not `key: value`
  bool closed = false;                // the text contained </think>
  // Well formed: at least one pair, no problems. (Closing is checked by the caller.)
  bool wellFormed() const { return !attributes.empty() && problems.empty(); }
};

// Stops at "</think>" when present; ignores special tokens like "<think>".
ParsedTrace parseTrace(const std::string& text);

}  // namespace moon
