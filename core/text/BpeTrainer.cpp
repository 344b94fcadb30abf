#include "core/text/BpeTrainer.h"

#include <algorithm>
#include <queue>
#include <unordered_map>

#include "core/base/Error.h"
#include "core/text/AddedTokenMatcher.h"
#include "core/text/SpecialTokens.h"

namespace moon {
namespace {

constexpr int32_t kFirstByteId = int32_t(special::kAll.size());
constexpr int kMinVocab = int(special::kAll.size()) + 256;

uint64_t pairKey(int32_t a, int32_t b) { return (uint64_t(uint32_t(a)) << 32) | uint32_t(b); }
int32_t leftOf(uint64_t key) { return int32_t(key >> 32); }
int32_t rightOf(uint64_t key) { return int32_t(key & 0xFFFFFFFFu); }

struct Word {
  std::vector<int32_t> symbols;
  int64_t count = 0;
};

struct HeapEntry {
  int64_t count;
  uint64_t pair;
  bool operator<(const HeapEntry& o) const { return count != o.count ? count < o.count : pair > o.pair; }
};

class Trainer {
 public:
  Trainer(const std::vector<std::string>& texts, int minFrequency) : minFrequency_(minFrequency) {
    std::vector<std::pair<std::string, int32_t>> specials;
    for (size_t i = 0; i < special::kAll.size(); ++i) {
      specials.emplace_back(std::string(special::kAll[i]), int32_t(i));
      definition_.addedTokens.push_back({int32_t(i), std::string(special::kAll[i]), true});
    }
    specials_ = AddedTokenMatcher(specials);
    for (int b = 0; b < 256; ++b) addToken(std::string(1, char(b)));
    countWords(texts);
  }

  BpeDefinition run(int vocabSize) {
    countPairs();
    while (int(kFirstByteId + tokens_.size()) < vocabSize && !heap_.empty()) {
      const HeapEntry top = heap_.top();
      heap_.pop();
      auto it = pairCounts_.find(top.pair);
      const int64_t current = it == pairCounts_.end() ? 0 : it->second;
      if (current != top.count) {  // stale: the count changed since it was queued
        if (current > 0) heap_.push({current, top.pair});
        continue;
      }
      if (current < minFrequency_) break;
      merge(top.pair);
    }
    return std::move(definition_);
  }

 private:
  const std::string& bytesOf(int32_t id) const { return tokens_[size_t(id - kFirstByteId)]; }

  int32_t addToken(const std::string& bytes) {
    const int32_t id = kFirstByteId + int32_t(tokens_.size());
    tokens_.push_back(bytes);
    tokenIds_.emplace(bytes, id);
    definition_.vocab.emplace(id, bytes);
    return id;
  }

  void countWords(const std::vector<std::string>& texts) {
    const PreTokenizer pre(definition_.splitPatterns.front());
    std::unordered_map<std::string, int64_t> counts;
    for (const std::string& text : texts)
      for (const auto& segment : specials_.split(text))
        if (segment.tokenId < 0)
          for (std::string_view piece : pre.split(segment.text)) ++counts[std::string(piece)];
    // Sorted so that word indices, and everything derived from them, do not
    // depend on hash order.
    std::vector<std::pair<std::string, int64_t>> sorted(counts.begin(), counts.end());
    std::sort(sorted.begin(), sorted.end());
    words_.reserve(sorted.size());
    for (const auto& [text, count] : sorted) {
      Word w;
      w.count = count;
      for (char c : text) w.symbols.push_back(kFirstByteId + static_cast<unsigned char>(c));
      words_.push_back(std::move(w));
    }
  }

  void countPairs() {
    for (size_t w = 0; w < words_.size(); ++w) {
      const Word& word = words_[w];
      for (size_t i = 0; i + 1 < word.symbols.size(); ++i) {
        const uint64_t key = pairKey(word.symbols[i], word.symbols[i + 1]);
        pairCounts_[key] += word.count;
        auto& where = pairWords_[key];
        if (where.empty() || where.back() != int32_t(w)) where.push_back(int32_t(w));
      }
    }
    for (const auto& [key, count] : pairCounts_) heap_.push({count, key});
  }

  void merge(uint64_t pair) {
    const int32_t a = leftOf(pair), b = rightOf(pair);
    const std::string bytes = bytesOf(a) + bytesOf(b);
    if (specials_.containsToken(bytes)) {  // never learn a special token's text as an ordinary token
      pairCounts_.erase(pair);
      return;
    }
    auto existing = tokenIds_.find(bytes);  // two merge paths can spell the same bytes
    const int32_t id = existing != tokenIds_.end() ? existing->second : addToken(bytes);
    definition_.merges.emplace_back(bytesOf(a), bytesOf(b));

    std::vector<int32_t> where = std::move(pairWords_[pair]);
    pairWords_.erase(pair);
    std::sort(where.begin(), where.end());
    where.erase(std::unique(where.begin(), where.end()), where.end());
    std::vector<uint64_t> grown;
    for (int32_t w : where) mergeInWord(words_[size_t(w)], w, a, b, id, grown);
    pairCounts_.erase(pair);
    std::sort(grown.begin(), grown.end());
    grown.erase(std::unique(grown.begin(), grown.end()), grown.end());
    for (uint64_t key : grown) heap_.push({pairCounts_[key], key});
  }

  // Rewrites one word, moving its weight from the old neighbour pairs to the
  // new ones; pairs containing the new token are reported in `grown`.
  void mergeInWord(Word& word, int32_t w, int32_t a, int32_t b, int32_t id, std::vector<uint64_t>& grown) {
    std::vector<int32_t>& s = word.symbols;
    bool found = false;
    for (size_t i = 0; i + 1 < s.size() && !found; ++i) found = s[i] == a && s[i + 1] == b;
    if (!found) return;  // listed for this pair earlier, merged away since
    for (size_t i = 0; i + 1 < s.size(); ++i) pairCounts_[pairKey(s[i], s[i + 1])] -= word.count;
    std::vector<int32_t> merged;
    merged.reserve(s.size());
    for (size_t i = 0; i < s.size(); ++i) {
      if (i + 1 < s.size() && s[i] == a && s[i + 1] == b) {
        merged.push_back(id);
        ++i;
      } else {
        merged.push_back(s[i]);
      }
    }
    s = std::move(merged);
    for (size_t i = 0; i + 1 < s.size(); ++i) {
      const uint64_t key = pairKey(s[i], s[i + 1]);
      pairCounts_[key] += word.count;
      if (s[i] == id || s[i + 1] == id) {
        auto& list = pairWords_[key];
        if (list.empty() || list.back() != w) list.push_back(w);
        grown.push_back(key);
      }
    }
  }

  int minFrequency_;
  BpeDefinition definition_;
  AddedTokenMatcher specials_;
  std::vector<std::string> tokens_;  // token bytes, index = id - kFirstByteId
  std::unordered_map<std::string, int32_t> tokenIds_;
  std::vector<Word> words_;
  std::unordered_map<uint64_t, int64_t> pairCounts_;
  std::unordered_map<uint64_t, std::vector<int32_t>> pairWords_;  // words that contained the pair (may be stale)
  std::priority_queue<HeapEntry> heap_;
};

}  // namespace

BpeDefinition trainBpe(const std::vector<std::string>& texts, int vocabSize, int minFrequency) {
  if (vocabSize < kMinVocab)
    throw ConfigError("tokenizer vocab size " + std::to_string(vocabSize) + " is below " + std::to_string(kMinVocab) +
                      " (10 special tokens + 256 bytes)");
  if (minFrequency < 1) throw ConfigError("tokenizer min frequency must be at least 1");
  return Trainer(texts, minFrequency).run(vocabSize);
}

}  // namespace moon
