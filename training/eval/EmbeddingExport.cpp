#include "training/eval/EmbeddingExport.h"

#include <charconv>
#include <cstdint>
#include <cstring>
#include <set>

#include <nlohmann/json.hpp>

#include "core/base/AtomicFile.h"
#include "core/base/Error.h"
#include "core/tensorio/Npy.h"
#include "core/tensorio/Safetensors.h"
#include "training/eval/TextTable.h"

namespace moon {

namespace {

void appendFloat(std::string& out, float v) {
  char buf[32];
  const auto res = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, res.ptr);
}

}  // namespace

ItemMetadata itemMetadata(const Product& product) {
  return {product.id, product.title, product.categoryPath, product.allAttributes()};
}

std::string escapeTsvCell(const std::string& s) {
  std::string out;
  out.reserve(s.size());
  for (char ch : s) {
    switch (ch) {
      case '\\':
        out += "\\\\";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      default:
        out += ch;
    }
  }
  return out;
}

std::string formatProjectorMetadata(const std::vector<ItemMetadata>& items) {
  static const std::set<std::string> fixedColumns = {"id", "category", "coarse", "title"};
  std::set<std::string> keys;
  for (const auto& item : items)
    for (const auto& kv : item.attributes) keys.insert(kv.first);

  std::string out = "id\tcategory\tcoarse";
  for (const auto& key : keys) out += "\t" + escapeTsvCell(fixedColumns.count(key) ? "attribute:" + key : key);
  out += "\ttitle\n";
  for (const auto& item : items) {
    const std::string fine = item.categoryPath.empty() ? "" : item.categoryPath.back();
    const std::string coarse = item.categoryPath.empty() ? "" : item.categoryPath.front();
    out += escapeTsvCell(item.id) + "\t" + escapeTsvCell(fine) + "\t" + escapeTsvCell(coarse);
    for (const auto& key : keys) {
      auto it = item.attributes.find(key);
      out += "\t" + (it == item.attributes.end() ? std::string() : escapeTsvCell(it->second));
    }
    out += "\t" + escapeTsvCell(item.title) + "\n";
  }
  return out;
}

void writeProjectorMetadata(const std::string& path, const std::vector<ItemMetadata>& items) {
  writeFileAtomically(path, formatProjectorMetadata(items));
}

std::string formatEmbeddingsCsv(const EmbeddingMatrix& m, const std::vector<std::string>& ids) {
  if (ids.size() != m.rows)
    throw FormatError("embeddings CSV: " + std::to_string(ids.size()) + " ids for " + std::to_string(m.rows) + " rows");
  std::string out = "id";
  for (std::size_t c = 0; c < m.dim; ++c) out += ",e" + std::to_string(c);
  out += '\n';
  for (std::size_t r = 0; r < m.rows; ++r) {
    out += csvField(ids[r]);
    for (std::size_t c = 0; c < m.dim; ++c) {
      out += ',';
      appendFloat(out, m.at(r, c));
    }
    out += '\n';
  }
  return out;
}

void writeEmbeddingsCsv(const std::string& path, const EmbeddingMatrix& m, const std::vector<std::string>& ids) {
  writeFileAtomically(path, formatEmbeddingsCsv(m, ids));
}

void writeEmbeddingsNpy(const std::string& path, const EmbeddingMatrix& m) {
  // Our float storage is already little-endian C order, the layout .npy wants.
  writeNpy(path, DType::F32, {static_cast<int64_t>(m.rows), static_cast<int64_t>(m.dim)}, m.data.data());
}

void writeEmbeddingsSafetensors(const std::string& path, const EmbeddingMatrix& m, const std::vector<std::string>& ids,
                                std::map<std::string, std::string> metadata) {
  if (!ids.empty()) {
    if (ids.size() != m.rows)
      throw FormatError("embeddings safetensors '" + path + "': " + std::to_string(ids.size()) + " ids for " +
                        std::to_string(m.rows) + " rows");
    metadata["ids"] = nlohmann::json(ids).dump();
  }
  TensorRecord record;
  record.name = "embeddings";
  record.dtype = DType::F32;
  record.shape = {static_cast<int64_t>(m.rows), static_cast<int64_t>(m.dim)};
  record.data.resize(m.data.size() * sizeof(float));
  if (!m.data.empty()) std::memcpy(record.data.data(), m.data.data(), record.data.size());
  writeSafetensors(path, {record}, metadata);
}

EmbeddingsFile readEmbeddingsSafetensors(const std::string& path) {
  const SafetensorsFile file = SafetensorsFile::read(path);
  const TensorRecord* t = file.find("embeddings");
  if (!t) throw FormatError("embeddings file '" + path + "': no tensor named \"embeddings\"");
  if (t->dtype != DType::F32 || t->shape.size() != 2)
    throw FormatError("embeddings file '" + path + "': \"embeddings\" must be a 2-D F32 tensor");
  EmbeddingsFile out;
  const auto rows = static_cast<std::size_t>(t->shape[0]), dim = static_cast<std::size_t>(t->shape[1]);
  std::vector<float> values(rows * dim);
  if (!values.empty()) std::memcpy(values.data(), t->data.data(), values.size() * sizeof(float));
  out.embeddings = EmbeddingMatrix(rows, dim, std::move(values));
  out.metadata = file.metadata();
  const auto ids = out.metadata.find("ids");
  if (ids != out.metadata.end()) {
    const auto list = nlohmann::json::parse(ids->second, nullptr, /*allow_exceptions=*/false);
    if (!list.is_array()) throw FormatError("embeddings file '" + path + "': metadata \"ids\" is not a JSON list");
    for (const auto& id : list) {
      if (!id.is_string()) throw FormatError("embeddings file '" + path + "': an id in \"ids\" is not a string");
      out.ids.push_back(id.get<std::string>());
    }
    if (out.ids.size() != rows)
      throw FormatError("embeddings file '" + path + "': " + std::to_string(out.ids.size()) + " ids for " +
                        std::to_string(rows) + " rows");
  }
  return out;
}

}  // namespace moon
