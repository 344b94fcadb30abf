#pragma once

// Analytic FLOPs of one teacher-forced forward (matmuls and attention only;
// 2 FLOPs per multiply-add). Backward costs about twice the forward, so a
// training step is 3x the forward count.

#include <cstdint>

#include "model/config/ModelConfig.h"
#include "model/sequence/SequenceLayout.h"

namespace moon::bench {

inline double forwardFlops(const ModelConfig& cfg, const SequenceLayout& lay, bool logits) {
  const double B = static_cast<double>(lay.batch()), L = static_cast<double>(lay.length());
  const double Ni = static_cast<double>(lay.imageRows.size(0));
  const auto& v = cfg.vision;
  const auto& l = cfg.language;
  const double C = v.dim, M = v.mlp_dim, T = static_cast<double>(cfg.gridSize()) * cfg.gridSize(), P = T / 4;
  const double p2 = static_cast<double>(v.patch_size) * v.patch_size;
  const double D = l.dim, F = l.ffn_dim, V = l.vocab_size, H = l.heads, hd = D / H, kv = l.kv_heads * hd;
  double f = 0;
  // Vision encoder, merger and FIRE, per image.
  double img = 2 * 3 * p2 * C * T;
  img += v.depth * (2 * T * C * 3 * C + 2 * T * C * C + 4 * T * C * M + 4 * T * T * C);
  img += 2 * P * 16 * C * C + 2 * P * 4 * C * D;
  img += static_cast<double>(cfg.fireLayers().size()) * 2 * P * (4 * C * D + D * D);
  f += Ni * img;
  // Decoder over the padded sequence.
  const double N = B * L;
  f += l.layers * (2 * N * D * (2 * D + 2 * kv) + 6 * N * D * F + 4 * B * H * L * L * hd);
  if (logits) f += 2 * B * (static_cast<double>(lay.traceColumns) + 1) * D * V;
  // MMF (image, title, reasoning token sets) and the two embedding heads.
  if (cfg.mmf.enabled) {
    const double tokens = P + 16 + static_cast<double>(lay.traceColumns);
    f += B * (4 * tokens * D * D + 3 * 2 * D * D + 2 * 3 * D * D);
  }
  f += 2 * 2 * B * D * cfg.embed_dim;
  return f;
}

}  // namespace moon::bench
