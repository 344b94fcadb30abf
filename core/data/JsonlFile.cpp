#include "core/data/JsonlFile.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "core/base/Error.h"

namespace moon {
namespace {

bool isBlank(const std::string& s) {
  for (char c : s)
    if (c != ' ' && c != '\t' && c != '\r' && c != '\n') return false;
  return true;
}

// nlohmann's message is "[json.exception.parse_error.101] parse error at line 1, column 7: ...";
// every record is one line, so keep only "column 7: ...".
std::string shortParseMessage(const std::string& what) {
  const std::string marker = "at line 1, ";
  const size_t at = what.find(marker);
  if (at != std::string::npos) return what.substr(at + marker.size());
  const size_t bracket = what.find("] ");
  return bracket == std::string::npos ? what : what.substr(bracket + 2);
}

std::string jsonTypeName(const nlohmann::json& j) {
  if (j.is_array()) return "a list";
  if (j.is_string()) return "a string";
  if (j.is_number()) return "a number";
  if (j.is_boolean()) return "a boolean";
  if (j.is_null()) return "null";
  return j.type_name();
}

}  // namespace

size_t findInvalidUtf8(const std::string& text) {
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  const size_t n = text.size();
  size_t i = 0;
  while (i < n) {
    const unsigned char c = s[i];
    if (c < 0x80) {
      ++i;
      continue;
    }
    size_t len = 0;
    unsigned lo = 0x80, hi = 0xBF;  // allowed range of the second byte
    if (c >= 0xC2 && c <= 0xDF) {
      len = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
      len = 3;
      if (c == 0xE0) lo = 0xA0;  // overlong
      if (c == 0xED) hi = 0x9F;  // surrogates
    } else if (c >= 0xF0 && c <= 0xF4) {
      len = 4;
      if (c == 0xF0) lo = 0x90;  // overlong
      if (c == 0xF4) hi = 0x8F;  // > U+10FFFF
    } else {
      return i;
    }
    if (i + len > n) return i;
    if (s[i + 1] < lo || s[i + 1] > hi) return i;
    for (size_t k = 2; k < len; ++k)
      if (s[i + k] < 0x80 || s[i + k] > 0xBF) return i;
    i += len;
  }
  return std::string::npos;
}

void readJsonlFile(const std::string& path, DataReport& report, const JsonlRecordFn& onRecord) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw IoError(path + ": cannot open: " + std::strerror(errno));
  FileCounts& counts = report.file(path);
  std::string line;
  size_t lineNo = 0;
  while (std::getline(in, line)) {
    ++lineNo;
    if (lineNo == 1 && line.rfind("\xEF\xBB\xBF", 0) == 0) line.erase(0, 3);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (isBlank(line)) continue;
    const size_t bad = findInvalidUtf8(line);
    if (bad != std::string::npos) {
      report.add({DataProblem::InvalidUtf8, path, lineNo,
                  "text is not valid UTF-8 (byte " + std::to_string(bad + 1) + " of the line); record skipped"});
      ++counts.bad;
      continue;
    }
    nlohmann::json record;
    try {
      record = nlohmann::json::parse(line);
    } catch (const nlohmann::json::exception& e) {  // parse_error, or out_of_range for 1e999
      report.add({DataProblem::MalformedJson, path, lineNo,
                  "malformed JSON (" + shortParseMessage(e.what()) + "); record skipped"});
      ++counts.bad;
      continue;
    }
    if (!record.is_object()) {
      report.add({DataProblem::MalformedJson, path, lineNo,
                  "expected a JSON object, got " + jsonTypeName(record) + "; record skipped"});
      ++counts.bad;
      continue;
    }
    onRecord(lineNo, record);
  }
  if (in.bad()) throw IoError(path + ": read error after line " + std::to_string(lineNo));
}

void writeTextFileAtomic(const std::string& path, const std::string& text) {
  const std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) throw IoError(tmp + ": cannot create: " + std::strerror(errno));
    out.write(text.data(), static_cast<std::streamsize>(text.size()));
    out.flush();
    if (!out) throw IoError(tmp + ": write failed: " + std::strerror(errno));
  }
  std::error_code ec;
  std::filesystem::rename(tmp, path, ec);
  if (ec) {
    const std::string why = ec.message();
    std::filesystem::remove(tmp, ec);
    throw IoError(path + ": cannot replace: " + why);
  }
}

void writeJsonlFile(const std::string& path, const std::vector<nlohmann::ordered_json>& records) {
  std::string text;
  for (size_t i = 0; i < records.size(); ++i) {
    try {
      text += records[i].dump();
    } catch (const nlohmann::json::type_error& e) {
      // Only invalid UTF-8 in a string makes dump() throw.
      throw FormatError(path + ":" + std::to_string(i + 1) + ": cannot write record: " + e.what());
    }
    text += '\n';
  }
  writeTextFileAtomic(path, text);
}

}  // namespace moon
