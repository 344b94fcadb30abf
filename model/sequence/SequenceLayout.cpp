#include "model/sequence/SequenceLayout.h"

#include <algorithm>
#include <string>
#include <vector>

#include "core/base/Error.h"
#include "model/attention/KVCache.h"

namespace moon {
namespace {

torch::Tensor cpuLong(const torch::Tensor& t) { return t.to(torch::kCPU, torch::kLong).contiguous(); }

void checkIds(const torch::Tensor& ids, const torch::Tensor& lengths, const char* what, int64_t vocab) {
  const auto l = cpuLong(lengths);
  const int64_t width = ids.defined() && ids.dim() == 2 ? ids.size(1) : 0;
  for (int64_t b = 0; b < l.size(0); ++b) {
    const int64_t n = l[b].item<int64_t>();
    if (n < 0 || n > width)
      throw Error(std::string("batch row ") + std::to_string(b) + ": " + what + " length " + std::to_string(n) +
                  " is outside [0, " + std::to_string(width) + "]");
  }
  if (width == 0) return;
  const auto i = cpuLong(ids);
  const auto cols = torch::arange(width).unsqueeze(0);
  const auto used = cols < l.unsqueeze(1);
  const auto bad = used & ((i < 0) | (i >= vocab));
  if (bad.any().item<bool>()) {
    const auto at = bad.nonzero()[0];
    const int64_t b = at[0].item<int64_t>(), c = at[1].item<int64_t>();
    throw Error(std::string("batch row ") + std::to_string(b) + ": " + what + " token id " +
                std::to_string(i[b][c].item<int64_t>()) + " is outside the model vocabulary [0, " +
                std::to_string(vocab) + ")");
  }
}

}  // namespace

void checkProductBatch(const ProductBatch& batch, const ModelConfig& cfg) {
  const int64_t B = batch.size();
  if (B == 0) throw Error("empty product batch");
  auto rows = [&](const torch::Tensor& t, const char* name) {
    if (t.defined() && (t.dim() < 1 || t.size(0) != B))
      throw Error(std::string("product batch: ") + name + " has " + (t.dim() ? std::to_string(t.size(0)) : "no") +
                  " rows, expected " + std::to_string(B));
  };
  rows(batch.images, "images");
  rows(batch.titleIds, "titleIds");
  rows(batch.titleLengths, "titleLengths");
  rows(batch.traceIds, "traceIds");
  rows(batch.traceLengths, "traceLengths");
  if (!batch.titleLengths.defined()) throw Error("product batch: titleLengths is missing");
  if (batch.hasImage.any().item<bool>()) {
    const int64_t S = cfg.vision.image_size;
    if (!batch.images.defined() || batch.images.dim() != 4 || batch.images.size(1) != 3 || batch.images.size(2) != S ||
        batch.images.size(3) != S)
      throw Error("product batch: images must be [B,3," + std::to_string(S) + "," + std::to_string(S) +
                  "] for this model" +
                  (batch.images.defined() ? ", got " + c10::str(batch.images.sizes()) : std::string(", got none")));
  }
  checkIds(batch.titleIds, batch.titleLengths, "title", cfg.language.vocab_size);
  if (batch.traceLengths.defined()) checkIds(batch.traceIds, batch.traceLengths, "trace", cfg.language.vocab_size);
}

SequenceLayout buildSequence(const ProductBatch& batch, const SpecialTokenIds& sp, const ModelConfig& cfg,
                             SequenceMode mode, const torch::Device& device) {
  checkProductBatch(batch, cfg);
  const int64_t B = batch.size();
  const bool think = cfg.reasoning;
  TORCH_CHECK(think || mode == SequenceMode::TeacherForced, "a prompt for generation needs reasoning on");
  const auto hasImage = batch.hasImage.to(torch::kCPU, torch::kBool).contiguous();
  const auto titleLen = cpuLong(batch.titleLengths);
  const auto titleIds = batch.titleIds.defined() && batch.titleIds.size(1) > 0 ? cpuLong(batch.titleIds)
                                                                               : torch::zeros({B, 0}, torch::kLong);
  auto traceLen = batch.traceLengths.defined() ? cpuLong(batch.traceLengths) : torch::zeros({B}, torch::kLong);
  if (!think || mode == SequenceMode::Prompt) traceLen.zero_();
  traceLen = traceLen.clamp_max(cfg.max_trace_tokens);
  const auto traceIds =
      traceLen.max().item<int64_t>() > 0 ? cpuLong(batch.traceIds) : torch::zeros({B, 0}, torch::kLong);
  const auto hasImageA = hasImage.accessor<bool, 1>();
  const auto titleLenA = titleLen.accessor<int64_t, 1>();
  const auto titleIdsA = titleIds.accessor<int64_t, 2>();
  const auto traceLenA = traceLen.accessor<int64_t, 1>();
  const auto traceIdsA = traceIds.accessor<int64_t, 2>();

  enum Kind { Special, Patch, Title };
  struct Row {
    std::vector<int64_t> ids;
    std::vector<Kind> kinds;
    int64_t disc = -1;
  };
  std::vector<Row> prompts(static_cast<size_t>(B));
  const int64_t P = cfg.imageTokens();
  int64_t Lp = 0;
  for (int64_t b = 0; b < B; ++b) {
    Row& r = prompts[static_cast<size_t>(b)];
    auto push = [&](int64_t id, Kind k) {
      r.ids.push_back(id);
      r.kinds.push_back(k);
    };
    push(sp.bos, Special);
    if (hasImageA[b]) {
      push(sp.imageStart, Special);
      for (int64_t p = 0; p < P; ++p) push(sp.imagePad, Patch);
      push(sp.imageEnd, Special);
    }
    for (int64_t t = 0; t < titleLenA[b]; ++t) push(titleIdsA[b][t], Title);
    if (cfg.disc_emb) {
      r.disc = static_cast<int64_t>(r.ids.size());
      push(sp.discEmbed, Special);
    }
    if (think) push(sp.think, Special);
    Lp = std::max<int64_t>(Lp, static_cast<int64_t>(r.ids.size()));
  }
  const int64_t Lr = traceLen.max().item<int64_t>();
  const int64_t suffix = mode == SequenceMode::Prompt ? 0 : (think ? Lr + 2 : 1);
  const int64_t L = Lp + suffix;

  auto ids = torch::full({B, L}, sp.pad, torch::kLong);
  auto valid = torch::zeros({B, L}, torch::kBool);
  auto patch = torch::zeros({B, L}, torch::kBool);
  auto title = torch::zeros({B, L}, torch::kBool);
  std::vector<int64_t> embCol(static_cast<size_t>(B)), discCol(static_cast<size_t>(B));
  auto idsA = ids.accessor<int64_t, 2>();
  auto validA = valid.accessor<bool, 2>();
  auto patchA = patch.accessor<bool, 2>();
  auto titleA = title.accessor<bool, 2>();
  std::vector<int64_t> imageRows;
  for (int64_t b = 0; b < B; ++b) {
    const Row& r = prompts[static_cast<size_t>(b)];
    const int64_t offset = Lp - static_cast<int64_t>(r.ids.size());
    for (size_t i = 0; i < r.ids.size(); ++i) {
      const int64_t c = offset + static_cast<int64_t>(i);
      idsA[b][c] = r.ids[i];
      validA[b][c] = true;
      patchA[b][c] = r.kinds[i] == Patch;
      titleA[b][c] = r.kinds[i] == Title;
    }
    if (r.disc >= 0) discCol[static_cast<size_t>(b)] = offset + r.disc;
    if (hasImageA[b]) imageRows.push_back(b);
    if (mode == SequenceMode::Prompt) continue;
    int64_t c = Lp;
    const int64_t n = traceLenA[b];
    for (int64_t t = 0; t < n; ++t, ++c) {
      idsA[b][c] = traceIdsA[b][t];
      validA[b][c] = true;
    }
    if (think) {
      idsA[b][c] = sp.thinkEnd;
      validA[b][c++] = true;
    }
    idsA[b][c] = sp.embed;
    validA[b][c] = true;
    embCol[static_cast<size_t>(b)] = c;
  }

  SequenceLayout layout;
  layout.ids = ids.to(device);
  layout.valid = valid.to(device);
  layout.positions = positionsFromValid(layout.valid);
  layout.imagePatch = patch.to(device);
  layout.titleColumns = title.to(device);
  if (mode == SequenceMode::TeacherForced) layout.embColumn = torch::tensor(embCol, torch::kLong).to(device);
  if (cfg.disc_emb) layout.discColumn = torch::tensor(discCol, torch::kLong).to(device);
  layout.imageRows = torch::tensor(imageRows, torch::kLong).to(device);
  layout.traceLengths = traceLen.to(device);
  layout.promptLength = Lp;
  layout.traceColumns = Lr;
  return layout;
}

}  // namespace moon
