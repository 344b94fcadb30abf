#include "training/eval/EmbeddingExport.h"

#include <charconv>
#include <set>

#include "core/base/Error.h"
#include "training/eval/EvalFiles.h"

namespace moon {

namespace {

std::string csvField(const std::string& s) {
  if (s.find_first_of(",\"\r\n") == std::string::npos) return s;
  std::string out = "\"";
  for (char ch : s) {
    if (ch == '"') out += '"';
    out += ch;
  }
  return out + '"';
}

void appendFloat(std::string& out, float v) {
  char buf[32];
  const auto res = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, res.ptr);
}

}  // namespace

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
  writeTextFileAtomic(path, formatProjectorMetadata(items));
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
  writeTextFileAtomic(path, formatEmbeddingsCsv(m, ids));
}

}  // namespace moon
