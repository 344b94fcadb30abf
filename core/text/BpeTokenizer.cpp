#include "core/text/BpeTokenizer.h"

#include <array>
#include <mutex>
#include <queue>
#include <shared_mutex>
#include <unordered_map>

#include "core/base/Error.h"
#include "core/text/AddedTokenMatcher.h"
#include "core/text/BpeTrainer.h"
#include "core/text/ByteLevel.h"

namespace moon {
namespace {

enum class Kind : uint8_t { Missing, Ordinary, Special, Added };

uint64_t pairKey(int32_t a, int32_t b) { return (uint64_t(uint32_t(a)) << 32) | uint32_t(b); }

struct MergeInfo {
  int32_t rank;
  int32_t result;
};

// Short pre-tokens repeat (words of a catalogue); long ones rarely do.
constexpr size_t kMaxCachedWordBytes = 64;
constexpr size_t kMaxCacheEntries = size_t{1} << 16;

}  // namespace

struct BpeTokenizer::Impl {
  BpeDefinition def;
  std::vector<std::string> text;  // id -> token bytes, or an added token's content
  std::vector<Kind> kind;
  std::unordered_map<std::string, int32_t> ordinaryIds;
  std::array<int32_t, 256> byteIds{};
  std::unordered_map<uint64_t, MergeInfo> merges;
  std::unordered_map<std::string, int32_t> addedIds;
  AddedTokenMatcher matcher;
  std::vector<PreTokenizer> preTokenizers;

  mutable std::shared_mutex cacheMutex;
  mutable std::unordered_map<std::string, std::vector<int32_t>> cache;  // guarded by cacheMutex

  Impl(BpeDefinition definition, const std::string& origin);
  void encodeOrdinary(std::string_view text, std::vector<int32_t>& out) const;
  void encodeWord(std::string_view word, std::vector<int32_t>& out) const;
  void mergeWord(std::string_view word, std::vector<int32_t>& out) const;
};

BpeTokenizer::Impl::Impl(BpeDefinition definition, const std::string& origin) : def(std::move(definition)) {
  const auto fail = [&](const std::string& what) { throw FormatError(origin + ": " + what); };
  int32_t maxId = -1;
  for (const auto& [id, bytes] : def.vocab) maxId = std::max(maxId, id);
  for (const AddedToken& t : def.addedTokens) maxId = std::max(maxId, t.id);
  // Tables are indexed by id: a file with a few huge ids must not cost gigabytes.
  const size_t tokenCount = def.vocab.size() + def.addedTokens.size();
  if (size_t(maxId) + 1 > 2 * tokenCount + 1024)
    fail("token ids go up to " + std::to_string(maxId) + " for only " + std::to_string(tokenCount) + " tokens");
  text.resize(size_t(maxId + 1));
  kind.assign(size_t(maxId + 1), Kind::Missing);

  for (const auto& [id, bytes] : def.vocab) {
    if (id < 0) fail("negative token id " + std::to_string(id));
    if (bytes.empty()) fail("empty token at id " + std::to_string(id));
    if (!ordinaryIds.emplace(bytes, id).second)
      fail("token '" + byte_level::toVocabForm(bytes) + "' appears twice in the vocabulary");
    text[size_t(id)] = bytes;
    kind[size_t(id)] = Kind::Ordinary;
  }
  std::vector<std::pair<std::string, int32_t>> addedList;
  for (const AddedToken& t : def.addedTokens) {
    if (t.id < 0 || t.content.empty()) fail("added token with id " + std::to_string(t.id) + " is invalid");
    if (kind[size_t(t.id)] == Kind::Ordinary)
      fail("added token '" + t.content + "' reuses the id of vocabulary token " + std::to_string(t.id));
    if (!addedIds.emplace(t.content, t.id).second) fail("added token '" + t.content + "' appears twice");
    text[size_t(t.id)] = t.content;
    kind[size_t(t.id)] = t.special ? Kind::Special : Kind::Added;
    addedList.emplace_back(t.content, t.id);
  }
  matcher = AddedTokenMatcher(addedList);

  for (int b = 0; b < 256; ++b) {
    auto it = ordinaryIds.find(std::string(1, char(b)));
    if (it == ordinaryIds.end())
      fail("the vocabulary has no token for byte " + std::to_string(b) + " ('" +
           byte_level::toVocabForm(std::string(1, char(b))) + "'); a byte-level BPE needs all 256");
    byteIds[size_t(b)] = it->second;
  }

  merges.reserve(def.merges.size());
  for (size_t rank = 0; rank < def.merges.size(); ++rank) {
    const auto& [a, b] = def.merges[rank];
    const std::string where =
        "merge " + std::to_string(rank) + " ('" + byte_level::toVocabForm(a) + " " + byte_level::toVocabForm(b) + "')";
    auto left = ordinaryIds.find(a);
    auto right = ordinaryIds.find(b);
    if (left == ordinaryIds.end()) fail(where + " refers to unknown token '" + byte_level::toVocabForm(a) + "'");
    if (right == ordinaryIds.end()) fail(where + " refers to unknown token '" + byte_level::toVocabForm(b) + "'");
    auto result = ordinaryIds.find(a + b);
    if (result == ordinaryIds.end())
      fail(where + " produces '" + byte_level::toVocabForm(a + b) + "', not in the vocabulary");
    // A repeated merge keeps its first (lowest) rank, as in Hugging Face.
    merges.emplace(pairKey(left->second, right->second), MergeInfo{int32_t(rank), result->second});
  }

  try {
    for (const std::string& pattern : def.splitPatterns) preTokenizers.emplace_back(pattern);
  } catch (const FormatError& e) {
    fail(e.what());
  }
}

void BpeTokenizer::Impl::encodeOrdinary(std::string_view segment, std::vector<int32_t>& out) const {
  std::vector<std::string_view> pieces{segment};
  for (const PreTokenizer& pre : preTokenizers) {
    std::vector<std::string_view> next;
    for (std::string_view piece : pieces) {
      auto parts = pre.split(piece);
      next.insert(next.end(), parts.begin(), parts.end());
    }
    pieces = std::move(next);
  }
  for (std::string_view piece : pieces) encodeWord(piece, out);
}

void BpeTokenizer::Impl::encodeWord(std::string_view word, std::vector<int32_t>& out) const {
  if (word.size() == 1) {
    out.push_back(byteIds[static_cast<unsigned char>(word[0])]);
    return;
  }
  if (word.size() > kMaxCachedWordBytes) {
    mergeWord(word, out);
    return;
  }
  std::string key(word);
  {
    std::shared_lock lock(cacheMutex);
    auto it = cache.find(key);
    if (it != cache.end()) {
      out.insert(out.end(), it->second.begin(), it->second.end());
      return;
    }
  }
  std::vector<int32_t> ids;
  mergeWord(word, ids);
  out.insert(out.end(), ids.begin(), ids.end());
  std::unique_lock lock(cacheMutex);
  if (cache.size() >= kMaxCacheEntries) cache.clear();
  cache.emplace(std::move(key), std::move(ids));
}

// Applies merges by rank, lowest first, leftmost first among equal ranks:
// symbols form a linked list over byte positions and candidate pairs wait in
// a heap, so long pre-tokens cost O(n log n), not O(n^2).
void BpeTokenizer::Impl::mergeWord(std::string_view word, std::vector<int32_t>& out) const {
  if (def.ignoreMerges) {
    auto it = ordinaryIds.find(std::string(word));
    if (it != ordinaryIds.end()) {
      out.push_back(it->second);
      return;
    }
  }
  const int n = int(word.size());
  std::vector<int32_t> symbol(word.size()), prev(word.size()), next(word.size());
  for (int i = 0; i < n; ++i) {
    symbol[size_t(i)] = byteIds[static_cast<unsigned char>(word[size_t(i)])];
    prev[size_t(i)] = i - 1;
    next[size_t(i)] = i + 1 < n ? i + 1 : -1;
  }
  struct Candidate {
    int32_t rank, pos, left, right;
    bool operator>(const Candidate& o) const { return rank != o.rank ? rank > o.rank : pos > o.pos; }
  };
  std::priority_queue<Candidate, std::vector<Candidate>, std::greater<Candidate>> heap;
  const auto consider = [&](int pos) {
    if (pos < 0 || next[size_t(pos)] < 0) return;
    const int32_t a = symbol[size_t(pos)], b = symbol[size_t(next[size_t(pos)])];
    auto it = merges.find(pairKey(a, b));
    if (it != merges.end()) heap.push({it->second.rank, pos, a, b});
  };
  for (int i = 0; i + 1 < n; ++i) consider(i);
  while (!heap.empty()) {
    const Candidate c = heap.top();
    heap.pop();
    const int right = next[size_t(c.pos)];
    // Stale entries: one side was merged away since this pair was queued.
    if (symbol[size_t(c.pos)] != c.left || right < 0 || symbol[size_t(right)] != c.right) continue;
    symbol[size_t(c.pos)] = merges.at(pairKey(c.left, c.right)).result;
    symbol[size_t(right)] = -1;
    next[size_t(c.pos)] = next[size_t(right)];
    if (next[size_t(right)] >= 0) prev[size_t(next[size_t(right)])] = c.pos;
    consider(prev[size_t(c.pos)]);
    consider(c.pos);
  }
  for (int i = 0; i >= 0; i = next[size_t(i)]) out.push_back(symbol[size_t(i)]);
}

BpeTokenizer::BpeTokenizer(BpeDefinition definition, const std::string& origin)
    : impl_(std::make_shared<const Impl>(std::move(definition), origin)) {}

BpeTokenizer BpeTokenizer::train(const std::vector<std::string>& texts, int vocabSize, int minFrequency) {
  return BpeTokenizer(trainBpe(texts, vocabSize, minFrequency), "trained tokenizer");
}

BpeTokenizer BpeTokenizer::load(const std::string& path) { return BpeTokenizer(readTokenizerJson(path), path); }

void BpeTokenizer::save(const std::string& path) const { writeTokenizerJson(impl_->def, path); }

std::vector<int32_t> BpeTokenizer::encode(std::string_view text) const {
  std::vector<int32_t> out;
  out.reserve(text.size() / 3 + 1);
  for (const AddedTokenMatcher::Segment& s : impl_->matcher.split(text)) {
    if (s.tokenId >= 0)
      out.push_back(s.tokenId);
    else
      impl_->encodeOrdinary(s.text, out);
  }
  return out;
}

std::vector<int32_t> BpeTokenizer::encodePlain(std::string_view text) const {
  std::vector<int32_t> out;
  out.reserve(text.size() / 3 + 1);
  impl_->encodeOrdinary(text, out);
  return out;
}

std::string BpeTokenizer::decode(const std::vector<int32_t>& ids, bool skipSpecial) const {
  std::string out;
  for (int32_t id : ids) {
    if (id < 0 || size_t(id) >= impl_->kind.size() || impl_->kind[size_t(id)] == Kind::Missing)
      throw Error("cannot decode token id " + std::to_string(id) + ": not in the vocabulary (size " +
                  std::to_string(vocabSize()) + ")");
    if (skipSpecial && impl_->kind[size_t(id)] == Kind::Special) continue;
    out += impl_->text[size_t(id)];
  }
  return out;
}

std::optional<int32_t> BpeTokenizer::findTokenId(std::string_view specialToken) const {
  auto it = impl_->addedIds.find(std::string(specialToken));
  if (it == impl_->addedIds.end()) return std::nullopt;
  return it->second;
}

int32_t BpeTokenizer::tokenId(std::string_view specialToken) const {
  if (auto id = findTokenId(specialToken)) return *id;
  throw Error("the tokenizer has no special token '" + std::string(specialToken) + "'");
}

std::string BpeTokenizer::tokenText(int32_t id) const { return decode({id}); }

bool BpeTokenizer::isSpecial(int32_t id) const {
  return id >= 0 && size_t(id) < impl_->kind.size() && impl_->kind[size_t(id)] == Kind::Special;
}

int BpeTokenizer::vocabSize() const { return int(impl_->kind.size()); }

const BpeDefinition& BpeTokenizer::definition() const { return impl_->def; }

}  // namespace moon
