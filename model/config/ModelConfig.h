#pragma once

// Every size and switch of the MOON model (DESIGN.md §1). Presets:
//   micro  < 1 M parameters, for tests
//   tiny   a few million, the CPU demo (64 px images)
//   small  tens of millions, one GPU
//   base   ~0.2 B, GPUs
// Keys are dotted through sections: `fire.every=2`, `language.layers=4`.

#include <string>
#include <vector>

#include "core/config/Config.h"

namespace moon {

struct VisionConfig {
  int image_size = 32;  // square input, pixels
  int patch_size = 8;   // image_size / patch_size must be even (2x2 merger)
  int dim = 32;
  int depth = 2;
  int heads = 2;
  int mlp_dim = 64;
  // "batch": the merged image tokens are batch-normalised (per feature, over
  // images and patches), so what differs between images, not the vector every
  // patch shares, reaches the language model, and each is scaled to the root
  // mean square of the text token embeddings.
  std::string feature_norm = "none";
  template <class V>
  void visit(V& v) {
    v.field("image_size", image_size, "input image side in pixels", Range{8, 4096});
    v.field("patch_size", patch_size, "ViT patch side in pixels", Range{2, 64});
    v.field("dim", dim, "ViT width", Range{4, 8192});
    v.field("depth", depth, "ViT blocks", Range{1, 128});
    v.field("heads", heads, "ViT attention heads", Range{1, 128});
    v.field("mlp_dim", mlp_dim, "ViT MLP hidden width", Range{4, 65536});
    v.field("feature_norm", feature_norm, "normalisation of the image tokens", Choices{{"none", "batch"}});
  }
};

struct LanguageConfig {
  int vocab_size = 512;
  int dim = 64;
  int layers = 2;
  int heads = 4;
  int kv_heads = 2;  // grouped-query attention: heads % kv_heads == 0
  int ffn_dim = 128;
  double rope_theta = 10000.0;
  double norm_eps = 1e-6;
  bool tie_embeddings = true;  // lm_head shares the token embedding matrix
  // RMSNorm on every input vector (token embeddings and merged image patches)
  // before the first layer, so text and image tokens enter at one scale.
  bool input_norm = false;
  // A learned "attend to nothing" logit per head (model/attention/Attention.h).
  bool attention_sink = false;
  // A pointer-generator head that copies title tokens into the trace
  // (model/language/CopyHead.h).
  bool copy_head = false;
  template <class V>
  void visit(V& v) {
    v.field("vocab_size", vocab_size, "token vocabulary size (>= the tokenizer's)", Range{16, 1e7});
    v.field("dim", dim, "decoder width", Range{8, 65536});
    v.field("layers", layers, "decoder layers", Range{1, 256});
    v.field("heads", heads, "query heads", Range{1, 256});
    v.field("kv_heads", kv_heads, "key/value heads (grouped-query attention)", Range{1, 256});
    v.field("ffn_dim", ffn_dim, "SwiGLU hidden width", Range{4, 1e6});
    v.field("rope_theta", rope_theta, "rotary base", Range{1.0, 1e9});
    v.field("norm_eps", norm_eps, "RMSNorm epsilon", Range{0.0, 1e-2});
    v.field("tie_embeddings", tie_embeddings, "share token embeddings with the output projection");
    v.field("input_norm", input_norm, "RMSNorm on the input vectors (text and image tokens at one scale)");
    v.field("attention_sink", attention_sink, "a learned attend-to-nothing logit per decoder head");
    v.field("copy_head", copy_head, "copy title tokens into the trace (pointer-generator head)");
  }
};

struct FusionConfig {
  bool enabled = true;  // off: plain <emb> pooling through the linear head
  int heads = 2;        // attention heads per modality (image, title, reasoning)
  template <class V>
  void visit(V& v) {
    v.field("enabled", enabled, "multi-head modality fusion (MMF)");
    v.field("heads", heads, "MMF heads per modality", Range{1, 64});
  }
};

struct FireConfig {
  bool enabled = true;
  int every = 1;  // decoder layers l with (l + 1) % every == 0 receive image detail
  template <class V>
  void visit(V& v) {
    v.field("enabled", enabled, "fine-grained residual enhancement (FIRE)");
    v.field("every", every, "inject at every k-th decoder layer", Range{1, 256});
  }
};

struct ModelConfig {
  VisionConfig vision;
  LanguageConfig language;
  FusionConfig mmf;
  FireConfig fire;
  int embed_dim = 256;
  int max_trace_tokens = 32;
  bool reasoning = true;  // off: no <think> block, embed straight after the input
  bool disc_emb = true;   // a <disc_emb> token before <think> gives a no-reasoning embedding
  // > 0: every weight matrix outside the ViT drawn from N(0, init_std), the
  // residual projections (attention output, MLP down) from N(0, init_std /
  // sqrt(2 layers)), biases 0, as Qwen2 and GPT-2 initialise; the layer
  // updates then start at the scale of the token embeddings instead of
  // swamping them. 0: LibTorch's default initialisation.
  double init_std = 0.0;
  template <class V>
  void visit(V& v) {
    v.section("vision", vision);
    v.section("language", language);
    v.section("mmf", mmf);
    v.section("fire", fire);
    v.field("embed_dim", embed_dim, "product embedding size", Range{2, 65536});
    v.field("max_trace_tokens", max_trace_tokens, "reasoning trace length cap", Range{1, 4096});
    v.field("reasoning", reasoning, "think before embedding");
    v.field("disc_emb", disc_emb, "add a <disc_emb> no-reasoning embedding token");
    v.field("init_std", init_std, "weight initialisation std outside the ViT (0: LibTorch defaults)", Range{0.0, 1.0});
  }

  int gridSize() const { return vision.image_size / vision.patch_size; }  // ViT patches per side
  int mergedGridSize() const { return gridSize() / 2; }                   // after the 2x2 merger
  int imageTokens() const { return mergedGridSize() * mergedGridSize(); }
  // Decoder layers that receive FIRE injections (empty when FIRE is off).
  std::vector<int> fireLayers() const;
  // The ViT block whose output feeds FIRE at decoder layer `layer`.
  int fireVisionDepth(int layer) const;
};

// Throws ConfigError naming the key when sizes do not fit together.
void validateModelConfig(const ModelConfig& cfg);

// "micro", "tiny", "small", "base"; throws ConfigError for anything else.
ModelConfig modelPreset(const std::string& name);
std::vector<std::string> modelPresetNames();

}  // namespace moon
