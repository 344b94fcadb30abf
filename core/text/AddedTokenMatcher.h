#pragma once

// Finds added (special) tokens written literally in a text, leftmost-longest
// as Hugging Face does, so "<think>" becomes one id and is never split, and
// the text between them goes through ordinary BPE.

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace moon {

class AddedTokenMatcher {
 public:
  struct Segment {
    std::string_view text;  // ordinary text when tokenId < 0
    int32_t tokenId = -1;
  };

  AddedTokenMatcher() = default;
  explicit AddedTokenMatcher(const std::vector<std::pair<std::string, int32_t>>& tokens);

  // Ordinary text and added tokens in order; concatenating every segment's
  // text (a token's segment holds its content) gives back `text`.
  std::vector<Segment> split(std::string_view text) const;

  // True when `bytes` contains an added token.
  bool containsToken(std::string_view bytes) const;

 private:
  struct Candidate {
    std::string content;
    int32_t id;
  };
  // Candidates by first byte, longest first, so the first hit is the longest.
  std::array<std::vector<Candidate>, 256> byFirstByte_;
  bool empty_ = true;
};

}  // namespace moon
