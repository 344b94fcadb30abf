#include "model/ModelSummary.h"

#include <algorithm>
#include <iomanip>
#include <sstream>

namespace moon {

std::vector<BlockParameters> parameterCounts(MoonModelImpl& model) {
  std::vector<BlockParameters> blocks;
  for (const auto& item : model.named_parameters()) {
    const std::string& name = item.key();
    std::string block = name.substr(0, name.find('.'));
    if (block == "vision" || block == "language") {
      const size_t start = block.size() + 1;
      block += "." + name.substr(start, name.find('.', start) - start);
    }
    auto it = std::find_if(blocks.begin(), blocks.end(), [&](const auto& b) { return b.block == block; });
    if (it == blocks.end()) it = blocks.insert(blocks.end(), {block, 0});
    it->count += item.value().numel();
  }
  return blocks;
}

std::string formatModelSummary(MoonModelImpl& model) {
  const auto& cfg = model.config();
  std::ostringstream os;
  int64_t total = 0;
  os << std::left << std::setw(22) << "block" << std::right << std::setw(14) << "parameters"
     << "\n";
  for (const auto& b : parameterCounts(model)) {
    os << std::left << std::setw(22) << b.block << std::right << std::setw(14) << b.count << "\n";
    total += b.count;
  }
  os << std::left << std::setw(22) << "total" << std::right << std::setw(14) << total << "\n\n";
  os << "image " << cfg.vision.image_size << "px, patch " << cfg.vision.patch_size << " -> " << cfg.gridSize() << "x"
     << cfg.gridSize() << " patches, merged " << cfg.mergedGridSize() << "x" << cfg.mergedGridSize() << " = "
     << cfg.imageTokens() << " image tokens\n";
  os << "decoder " << cfg.language.layers << " layers, width " << cfg.language.dim << ", heads " << cfg.language.heads
     << " (kv " << cfg.language.kv_heads << "), vocab " << cfg.language.vocab_size << "\n";
  os << "embedding " << cfg.embed_dim << "-d; reasoning " << (cfg.reasoning ? "on" : "off") << " (max "
     << cfg.max_trace_tokens << " trace tokens); mmf " << (cfg.mmf.enabled ? "on" : "off") << "; fire ";
  if (cfg.fire.enabled) {
    os << "on at layers";
    for (int l : cfg.fireLayers()) os << " " << l;
  } else {
    os << "off";
  }
  os << "; disc_emb " << (cfg.disc_emb ? "on" : "off") << "\n";
  return os.str();
}

}  // namespace moon
