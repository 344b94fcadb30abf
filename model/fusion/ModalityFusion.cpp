#include "model/fusion/ModalityFusion.h"

#include <string>

#include "model/attention/Attention.h"

namespace moon {

ModalityFusionImpl::ModalityFusionImpl(int64_t dim, int64_t heads, double eps, std::array<bool, kFusionSets> used)
    : dim_(dim), heads_(heads), used_(used) {
  for (int m = 0; m < kFusionSets; ++m) {
    if (!used[m]) continue;
    const std::string name = fusionSetName(static_cast<FusionSet>(m));
    norms_[m] = register_module(name + "_norm", RMSNorm(dim, eps));
    q_[m] = register_module(name + "_q", torch::nn::Linear(dim, dim));
    k_[m] = register_module(name + "_k", torch::nn::Linear(dim, dim));
    v_[m] = register_module(name + "_v", torch::nn::Linear(dim, dim));
  }
  gate_ = register_module("gate", torch::nn::Linear(dim, kFusionSets * heads));
  out_ = register_module("out", torch::nn::Linear(kFusionSets * dim, dim));
}

FusionOutput ModalityFusionImpl::forward(const torch::Tensor& query,
                                         const std::array<FusionTokens, kFusionSets>& sets) {
  const int64_t B = query.size(0), H = heads_, Dh = dim_ / heads_;
  std::vector<torch::Tensor> heads, present;
  for (int m = 0; m < kFusionSets; ++m) {
    const auto& set = sets[m];
    const int64_t T = used_[m] && set.tokens.defined() ? set.tokens.size(1) : 0;
    if (T == 0) {
      heads.push_back(torch::zeros({B, H, Dh}, query.options()));
      present.push_back(torch::zeros({B}, query.options().dtype(torch::kBool)));
      continue;
    }
    const auto x = norms_[m](set.tokens);
    const auto q = q_[m](query).view({B, H, 1, Dh});
    const auto k = k_[m](x).view({B, T, H, Dh}).transpose(1, 2);
    const auto v = v_[m](x).view({B, T, H, Dh}).transpose(1, 2);
    const auto mask = additiveMask(set.mask.view({B, 1, 1, T}), query.scalar_type());
    heads.push_back(attention(q, k, v, mask, false).output.squeeze(2));  // [B,H,Dh]
    present.push_back(set.mask.any(1));
  }
  const auto allowed = torch::stack(present, 1).unsqueeze(-1).expand({B, kFusionSets, H});  // [B,3,H]
  const auto logits = gate_(query).view({B, kFusionSets * H}) +
                      additiveMask(allowed.reshape({B, kFusionSets * H}), query.scalar_type());
  const auto gates = (torch::softmax(logits, -1) * allowed.reshape({B, kFusionSets * H})).view({B, kFusionSets, H});
  const auto weighted = torch::stack(heads, 1) * gates.unsqueeze(-1);  // [B,3,H,Dh]
  return {out_(weighted.reshape({B, kFusionSets * dim_})), gates};
}

}  // namespace moon
