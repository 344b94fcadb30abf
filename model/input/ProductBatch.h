#pragma once

// The tensors the loader hands to the model: the raw pieces of each item.
// The model assembles the token sequence (DESIGN.md §1–2)
//   <bos> [<img> <img_pad>×P </img>] [title] <disc_emb> <think> trace </think> <emb>
// from them; this struct is the contract between training/data and model/.

#include <string>
#include <vector>

#include <torch/torch.h>

namespace moon {

struct ProductBatch {
  torch::Tensor images;          // [B,3,S,S] float32 in [-1,1] (RGB); zeros where hasImage is false
  torch::Tensor hasImage;        // [B] bool
  torch::Tensor titleIds;        // [B,Lt] int64, right-padded with the <pad> id
  torch::Tensor titleLengths;    // [B] int64; 0 = no text
  torch::Tensor traceIds;        // [B,Lr] int64 target trace tokens (no <think>/</think>), right-padded
  torch::Tensor traceLengths;    // [B] int64; 0 = no known trace
  std::vector<std::string> ids;  // product id per row ("" for a user's own input)

  int64_t size() const { return hasImage.defined() ? hasImage.size(0) : 0; }
};

// A batch of training triplets. Queries come in their own modality; the
// positive and the near-duplicate negative are gallery products (multimodal).
struct TripletBatch {
  ProductBatch query;
  ProductBatch positive;
  ProductBatch negative;
  torch::Tensor queryModality;  // [B] int64: 0 text, 1 image, 2 multimodal (moon::Modality order)
  // Each positive again, shown in a view drawn per sample (text, image or
  // multimodal) with the trace that view can show: clean catalogue images
  // and full attribute sets for the trace loss (sft.product_views).
  ProductBatch productView;
  torch::Tensor productViewModality;  // [B] int64, as queryModality
};

}  // namespace moon
