#include "model/language/LanguageModel.h"

#include "model/attention/Attention.h"
#include "model/attention/KVCache.h"
#include "model/layers/Rotary.h"

namespace moon {

LanguageModelImpl::LanguageModelImpl(const LanguageConfig& cfg) : cfg_(cfg) {
  embed_ = register_module("embed", torch::nn::Embedding(cfg.vocab_size, cfg.dim));
  torch::nn::init::normal_(embed_->weight, 0.0, 0.02);
  layers_ = register_module("layers", torch::nn::ModuleList());
  for (int l = 0; l < cfg.layers; ++l) {
    layerList_.push_back(DecoderLayer(cfg));
    layers_->push_back(layerList_.back());
  }
  norm_ = register_module("norm", RMSNorm(cfg.dim, cfg.norm_eps));
  if (cfg.input_norm) inputNorm_ = register_module("input_norm", RMSNorm(cfg.dim, cfg.norm_eps));
  if (!cfg.tie_embeddings)
    head_ = register_module("head", torch::nn::Linear(torch::nn::LinearOptions(cfg.dim, cfg.vocab_size).bias(false)));
}

torch::Tensor LanguageModelImpl::embed(const torch::Tensor& ids) { return embed_(ids); }

torch::Tensor LanguageModelImpl::embeddingRms() { return embed_->weight.detach().pow(2).mean().sqrt(); }

LanguageOutput LanguageModelImpl::forward(const torch::Tensor& inputs, const torch::Tensor& positions,
                                          const torch::Tensor& allowed, KVCache* cache,
                                          const std::vector<torch::Tensor>& injections, bool needWeights) {
  const auto angles = rotaryAngles(positions, headDim(), cfg_.rope_theta, inputs);
  const auto mask = additiveMask(allowed, inputs.scalar_type());
  LanguageOutput out;
  auto h = inputNorm_ ? inputNorm_(inputs) : inputs;
  for (size_t l = 0; l < layerList_.size(); ++l) {
    if (l < injections.size() && injections[l].defined()) h = h + injections[l];
    auto r = layerList_[l]->forward(h, angles, mask, cache, static_cast<int64_t>(l), needWeights);
    h = r.output;
    if (needWeights) out.attention.push_back(r.weights);
  }
  out.hidden = norm_(h);
  return out;
}

torch::Tensor LanguageModelImpl::logits(const torch::Tensor& hidden) {
  return head_ ? head_(hidden) : torch::matmul(hidden, embed_->weight.t());
}

}  // namespace moon
