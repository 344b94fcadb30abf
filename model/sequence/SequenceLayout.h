#pragma once

// Token layout of a batch (DESIGN.md §1–2):
//   <bos> [<img> <img_pad>xP </img>] [title] [<disc_emb>] <think> | trace </think> <emb>
// Prompts (everything up to <think>) are LEFT-padded to a common length so the
// trace starts at the same column in every row and generation steps stay
// aligned; the teacher-forced suffix is right-padded. Rotary positions count
// only real tokens, so padding never changes a row's result. With reasoning
// off the suffix is just <emb>.

#include <torch/torch.h>

#include "model/config/ModelConfig.h"
#include "model/config/SpecialTokenIds.h"
#include "model/input/ProductBatch.h"

namespace moon {

enum class SequenceMode {
  Prompt,        // up to and including <think> (generation)
  TeacherForced  // prompt + trace + </think> + <emb> (or prompt + <emb> without reasoning)
};

struct SequenceLayout {
  torch::Tensor ids;           // [B,L] int64, <pad> at padding
  torch::Tensor valid;         // [B,L] bool
  torch::Tensor positions;     // [B,L] int64 rotary positions
  torch::Tensor imagePatch;    // [B,L] bool: <img_pad> columns (merger output goes there)
  torch::Tensor titleColumns;  // [B,L] bool
  torch::Tensor embColumn;     // [B] int64 column of <emb>; undefined in Prompt mode
  torch::Tensor discColumn;    // [B] int64 column of <disc_emb>; undefined when disc_emb is off
  torch::Tensor imageRows;     // [Ni] int64 rows with an image, ascending
  torch::Tensor traceLengths;  // [B] int64 after capping to max_trace_tokens (0 without reasoning)
  int64_t promptLength = 0;    // columns of the left-padded prompt; the trace starts here
  int64_t traceColumns = 0;    // widest trace in the batch (after capping)

  int64_t batch() const { return ids.size(0); }
  int64_t length() const { return ids.size(1); }
};

// Tensors are built on `device`. Throws moon::Error for inconsistent batches
// (token ids outside the vocabulary, lengths beyond the tensors, image shape).
SequenceLayout buildSequence(const ProductBatch& batch, const SpecialTokenIds& special, const ModelConfig& cfg,
                             SequenceMode mode, const torch::Device& device);

// Throws moon::Error when `batch` does not match the model (see buildSequence).
void checkProductBatch(const ProductBatch& batch, const ModelConfig& cfg);

}  // namespace moon
