#include "model/MoonModel.h"

#include <cmath>

#include "core/base/Error.h"
#include "model/attention/KVCache.h"
#include "model/runtime/AutocastOff.h"

namespace moon {

namespace {

bool endsWith(const std::string& s, const std::string& tail) {
  return s.size() >= tail.size() && s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
}

// ModelConfig::init_std: everything but the ViT and the norms.
void scaledInit(torch::nn::Module& model, double std, int layers) {
  torch::NoGradGuard noGrad;
  for (auto& p : model.named_parameters()) {
    const std::string& name = p.key();
    torch::Tensor t = p.value();
    if (name.rfind("vision.", 0) == 0 || name.find("norm") != std::string::npos) continue;
    if (endsWith(name, ".bias")) {
      t.zero_();
    } else if (t.dim() >= 2) {
      const bool residual = endsWith(name, "attn.o.weight") || endsWith(name, "mlp.down.weight");
      t.normal_(0.0, residual ? std / std::sqrt(2.0 * layers) : std);
    }
  }
}

// A head's unit-length embedding in the parameters' precision, also under
// autocast (model/runtime/AutocastOff.h says why).
torch::Tensor unitEmbedding(torch::nn::Linear& head, const torch::Tensor& state) {
  AutocastOff fullPrecision;
  return torch::nn::functional::normalize(head(state.to(head->weight.scalar_type())),
                                          torch::nn::functional::NormalizeFuncOptions().dim(-1));
}

}  // namespace

torch::Tensor gatherColumns(const torch::Tensor& hidden, const torch::Tensor& columns) {
  const auto rows = torch::arange(hidden.size(0), columns.options());
  return hidden.index({rows, columns});
}

MoonModelImpl::MoonModelImpl(const ModelConfig& cfg, const SpecialTokenIds& special) : cfg_(cfg), special_(special) {
  validateModelConfig(cfg);
  if (special.maxId() >= cfg.language.vocab_size)
    throw ConfigError("special token id " + std::to_string(special.maxId()) + " does not fit language.vocab_size " +
                      std::to_string(cfg.language.vocab_size));
  vision_ = register_module("vision", VisionEncoder(cfg.vision));
  merger_ = register_module("merger", PatchMerger(cfg.vision, cfg.language.dim));
  language_ = register_module("language", LanguageModel(cfg.language));
  if (cfg.fire.enabled) fire_ = register_module("fire", Fire(cfg));
  if (cfg.mmf.enabled)
    fusion_ = register_module("mmf", ModalityFusion(cfg.language.dim, cfg.mmf.heads, cfg.language.norm_eps,
                                                    std::array<bool, kFusionSets>{true, true, cfg.reasoning}));
  if (cfg.reasoning && cfg.language.copy_head)
    copy_ = register_module("copy", CopyHead(cfg.language.dim, cfg.language.vocab_size));
  embedHead_ = register_module("emb_head", torch::nn::Linear(cfg.language.dim, cfg.embed_dim));
  if (cfg.disc_emb) discHead_ = register_module("disc_head", torch::nn::Linear(cfg.language.dim, cfg.embed_dim));
  if (cfg.init_std > 0) scaledInit(*this, cfg.init_std, cfg.language.layers);
}

torch::Device MoonModelImpl::device() const { return parameters().front().device(); }

torch::ScalarType MoonModelImpl::dtype() const { return parameters().front().scalar_type(); }

SequenceLayout MoonModelImpl::layout(const ProductBatch& batch, SequenceMode mode) {
  return buildSequence(batch, special_, cfg_, mode, device());
}

EncodedInputs MoonModelImpl::encode(const ProductBatch& batch, const SequenceLayout& layout) {
  const int64_t B = layout.batch(), P = cfg_.imageTokens(), D = cfg_.language.dim;
  EncodedInputs in;
  in.embeds = language_->embed(layout.ids);
  in.imageMask = torch::zeros({B, P}, layout.valid.options());
  in.imageTokens = torch::zeros({B, P, D}, in.embeds.options());
  const int64_t Ni = layout.imageRows.size(0);
  if (Ni == 0) return in;
  const auto images = batch.images.to(device(), dtype()).index_select(0, layout.imageRows);
  const auto depths = vision_(images);
  auto merged = merger_(depths.back());  // [Ni,P,D]
  if (cfg_.vision.feature_norm != "none") {
    // Each image token at the scale of a text token: large image tokens turn
    // into constant attention sinks and stop carrying the picture (README
    // "Training recipe").
    const auto rms = merged.pow(2).mean(-1, true).add(1e-6).sqrt();
    merged = merged / rms * language_->embeddingRms();
  }
  // Under autocast the merger's output is in the compute dtype (bf16) while
  // the token embeddings stay in the parameters' dtype; the sequence is
  // assembled in the latter.
  merged = merged.to(in.embeds.scalar_type());
  const auto patchMask = layout.imagePatch.unsqueeze(-1);
  in.embeds = in.embeds.masked_scatter(patchMask, merged);
  in.imageTokens = in.imageTokens.index_copy(0, layout.imageRows, merged);
  in.imageMask.index_fill_(0, layout.imageRows, true);
  if (fire_) {
    const auto deltas = fire_(depths);
    in.injections.resize(deltas.size());
    for (size_t l = 0; l < deltas.size(); ++l)
      if (deltas[l].defined())
        in.injections[l] =
            torch::zeros_like(in.embeds).masked_scatter(patchMask, deltas[l].to(in.embeds.scalar_type()));
  }
  return in;
}

torch::Tensor MoonModelImpl::embed(const torch::Tensor& embState, const EncodedInputs& inputs,
                                   const ProductBatch& batch, const torch::Tensor& reasoningStates,
                                   const torch::Tensor& reasoningMask, torch::Tensor* gates) {
  auto state = embState;
  if (fusion_) {
    const int64_t B = embState.size(0);
    std::array<FusionTokens, kFusionSets> sets;
    sets[static_cast<int>(FusionSet::Image)] = {inputs.imageTokens, inputs.imageMask};
    const auto titleLen = batch.titleLengths.to(device(), torch::kLong);
    const int64_t Lt = titleLen.max().item<int64_t>();
    if (Lt > 0) {
      const auto ids = batch.titleIds.to(device(), torch::kLong).narrow(1, 0, Lt);
      const auto mask = torch::arange(Lt, titleLen.options()).unsqueeze(0) < titleLen.unsqueeze(1);
      // Ids past a row's length are masked; they are replaced so any value is safe to look up.
      sets[static_cast<int>(FusionSet::Title)] = {language_->embed(ids.masked_fill(~mask, special_.pad)), mask};
    } else {
      sets[static_cast<int>(FusionSet::Title)] = {torch::zeros({B, 0, embState.size(1)}, embState.options()),
                                                  torch::zeros({B, 0}, inputs.imageMask.options())};
    }
    sets[static_cast<int>(FusionSet::Reasoning)] = {reasoningStates, reasoningMask};
    auto fused = fusion_(embState, sets);
    state = state + fused.fused;
    if (gates) *gates = fused.gates;
  }
  return unitEmbedding(embedHead_, state);
}

ModelOutput MoonModelImpl::forward(const ProductBatch& batch, const ForwardOptions& options) {
  ModelOutput out;
  out.layout = layout(batch, SequenceMode::TeacherForced);
  const auto& lay = out.layout;
  const auto inputs = encode(batch, lay);
  const auto allowed = causalAllowed(lay.valid, 0, lay.length());
  auto lm = language_(inputs.embeds, lay.positions, allowed, nullptr, inputs.injections, options.attention);
  out.attention = std::move(lm.attention);
  const auto& hidden = lm.hidden;

  out.embState = gatherColumns(hidden, lay.embColumn);
  if (cfg_.disc_emb) out.discEmbedding = unitEmbedding(discHead_, gatherColumns(hidden, lay.discColumn));

  const int64_t B = lay.batch(), Lp = lay.promptLength, Lr = lay.traceColumns;
  torch::Tensor reasoning, reasoningMask;
  const auto cols = torch::arange(Lr + 1, lay.traceLengths.options()).unsqueeze(0);  // [1,Lr+1]
  const auto len = lay.traceLengths.unsqueeze(1);
  if (cfg_.reasoning) {
    reasoning = hidden.narrow(1, Lp, Lr);
    reasoningMask = (cols < len).narrow(1, 0, Lr);
  } else {
    reasoning = torch::zeros({B, 0, hidden.size(2)}, hidden.options());
    reasoningMask = torch::zeros({B, 0}, lay.valid.options());
  }
  out.embedding = embed(out.embState, inputs, batch, reasoning, reasoningMask, &out.gates);

  if (cfg_.reasoning && options.traceLogits) {
    // Column Lp-1 holds <think>; the state at column Lp-1+j predicts token j.
    out.traceLogits = traceScores(hidden.narrow(1, Lp - 1, Lr + 1), copySource(hidden.narrow(1, 0, Lp), lay));
    const auto next = lay.ids.narrow(1, Lp, Lr + 1);  // trace tokens then </think> at j == len
    out.traceMask = cols <= len;
    out.traceTargets = next.masked_fill(~out.traceMask, special_.pad);
  }
  return out;
}

torch::Tensor MoonModelImpl::traceScores(const torch::Tensor& hidden, const CopySource& source, torch::Tensor* copied) {
  auto logits = language_->logits(hidden);
  return copy_ ? copy_(hidden, logits, source, copied) : logits;
}

CopySource MoonModelImpl::copySource(const torch::Tensor& promptHidden, const SequenceLayout& layout) {
  if (!copy_) return {};
  const int64_t Lp = promptHidden.size(1);
  return {copy_->keys(promptHidden), layout.ids.narrow(1, 0, Lp), layout.titleColumns.narrow(1, 0, Lp)};
}

MoonModel cloneModel(MoonModelImpl& model) {
  MoonModel copy(model.config(), model.specialTokens());
  copy->to(model.device(), model.dtype());
  torch::NoGradGuard noGrad;
  const auto source = model.named_parameters();
  for (auto& p : copy->named_parameters()) p.value().copy_(source[p.key()]);
  const auto buffers = model.named_buffers();
  for (auto& b : copy->named_buffers()) b.value().copy_(buffers[b.key()]);
  copy->train(model.is_training());
  return copy;
}

}  // namespace moon
