#pragma once

// Options of the contrastive terms (DESIGN.md §2). The trainer nests these in
// its config with `v.section("contrastive", contrastive)`.

#include <string>

#include "core/config/Config.h"

namespace moon {

// The InfoNCE temperature τ, learnt as log(1/τ) (CLIP) and kept in [min, max]
// so a run cannot collapse the logits to one-hot or to uniform.
struct TemperatureConfig {
  double init = 0.05;
  double min = 0.01;
  double max = 1.0;
  bool learnable = true;

  template <class V>
  void visit(V& v) {
    v.field("init", init, "initial temperature tau", Range{1e-4, 10.0});
    v.field("min", min, "smallest temperature (largest logit scale)", Range{1e-4, 10.0});
    v.field("max", max, "largest temperature", Range{1e-4, 10.0});
    v.field("learnable", learnable, "learn tau; false keeps it at init");
  }
};

struct ContrastiveConfig {
  double weight_emb = 1.0;   // InfoNCE on the <emb> state (after the trace)
  double weight_disc = 1.0;  // InfoNCE on the <disc_emb> state (no reasoning, UME-R1)
  // Intra-product image<->text alignment. MOON2.0 names the term but not its
  // weight; half the inter-product weight is our choice [design choice].
  double weight_align = 0.5;
  bool hard_negatives = true;  // score the near-duplicate negatives as extra candidates
  // Dynamic sample filtering (MOON2.0): weight = sigmoid(kappa (Δ − mean Δ)).
  bool filter = false;
  double kappa = 10.0;
  // The trace a training query's <emb> follows: "target" (its labelled
  // trace, teacher forcing) or "greedy" (the model's own greedy trace,
  // generated without gradient, as at evaluation). With "target" <emb> learns
  // to read labels it never sees at test time [design choice, README
  // "Training recipe"].
  std::string query_traces = "target";
  TemperatureConfig temperature;

  template <class V>
  void visit(V& v) {
    v.field("weight_emb", weight_emb, "weight of InfoNCE on <emb>", Range{0.0, 100.0});
    v.field("weight_disc", weight_disc, "weight of InfoNCE on <disc_emb>", Range{0.0, 100.0});
    v.field("weight_align", weight_align, "weight of intra-product image<->text alignment", Range{0.0, 100.0});
    v.field("hard_negatives", hard_negatives, "add the triplets' near-duplicate negatives as candidates");
    v.field("filter", filter, "dynamic sample filtering on the margin (MOON2.0)");
    v.field("kappa", kappa, "sharpness of the filtering sigmoid", Range{-1000.0, 1000.0});
    v.field("query_traces", query_traces, "trace a training query's <emb> follows: its target or its own greedy trace",
            Choices{{"target", "greedy"}});
    v.section("temperature", temperature);
  }
};

}  // namespace moon
