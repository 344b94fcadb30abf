#include "core/tensorio/Safetensors.h"

#include <algorithm>
#include <cstring>
#include <fstream>
#include <iterator>
#include <set>

#include <nlohmann/json.hpp>

#include "core/base/AtomicFile.h"
#include "core/base/Error.h"

namespace moon {
namespace {

static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__, "tensor files are little-endian; add byte swapping");

constexpr const char* kMetadataKey = "__metadata__";
// The reference implementation refuses larger headers; so do we, before allocating.
constexpr uint64_t kMaxHeaderBytes = 100'000'000;

std::string shapeText(const std::vector<int64_t>& shape) {
  std::string s = "[";
  for (size_t i = 0; i < shape.size(); ++i) s += (i ? ", " : "") + std::to_string(shape[i]);
  return s + "]";
}

// Errors about one file: "<path>: <problem>".
class Problem {
 public:
  explicit Problem(const std::string& path) : path_(path) {}
  [[noreturn]] void operator()(const std::string& what) const { throw FormatError(path_ + ": " + what); }
  [[noreturn]] void tensor(const std::string& name, const std::string& what) const {
    throw FormatError(path_ + ": tensor '" + name + "': " + what);
  }

 private:
  const std::string& path_;
};

void checkForWrite(const std::string& path, const std::vector<TensorRecord>& tensors) {
  Problem problem(path);
  std::set<std::string> names;
  for (const auto& t : tensors) {
    if (t.name.empty()) problem("cannot write a tensor with an empty name");
    if (t.name == kMetadataKey) problem("'__metadata__' is reserved and cannot name a tensor");
    if (!names.insert(t.name).second) problem.tensor(t.name, "the name is used twice");
    for (int64_t d : t.shape)
      if (d < 0) problem.tensor(t.name, "negative dimension in shape " + shapeText(t.shape));
    if (t.data.size() != t.expectedBytes())
      problem.tensor(t.name, "dtype mismatch: shape " + shapeText(t.shape) + " of " + dtypeName(t.dtype) + " needs " +
                                 std::to_string(t.expectedBytes()) + " bytes, got " + std::to_string(t.data.size()));
  }
}

std::vector<uint8_t> readWholeFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw IoError(path + ": cannot open file");
  std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) throw IoError(path + ": read error");
  return bytes;
}

uint64_t readU64(const uint8_t* p) {
  uint64_t v = 0;
  std::memcpy(&v, p, sizeof v);
  return v;
}

// Reads a non-negative integer field; `what` names it in messages.
uint64_t unsignedField(const Problem& problem, const std::string& name, const nlohmann::json& j,
                       const std::string& what) {
  if (j.is_number_unsigned()) return j.get<uint64_t>();
  if (j.is_number_integer()) problem.tensor(name, what + " is negative (" + j.dump() + ")");
  problem.tensor(name, what + " must be an integer, got " + j.dump());
}

struct Entry {
  TensorRecord record;  // data not yet filled
  uint64_t begin = 0;
  uint64_t end = 0;
};

Entry parseEntry(const Problem& problem, const std::string& name, const nlohmann::json& j) {
  if (!j.is_object()) problem.tensor(name, "header entry must be an object, got " + j.dump());
  for (const char* field : {"dtype", "shape", "data_offsets"})
    if (!j.contains(field)) problem.tensor(name, std::string("header entry has no '") + field + "' field");
  Entry e;
  e.record.name = name;

  const auto& dtype = j["dtype"];
  if (!dtype.is_string()) problem.tensor(name, "'dtype' must be a string, got " + dtype.dump());
  const auto parsed = parseDType(dtype.get<std::string>());
  if (!parsed) problem.tensor(name, "unknown dtype '" + dtype.get<std::string>() + "'");
  e.record.dtype = *parsed;

  const auto& shape = j["shape"];
  if (!shape.is_array()) problem.tensor(name, "'shape' must be a list of integers, got " + shape.dump());
  uint64_t numel = 1;
  for (const auto& d : shape) {
    if (d.is_number_integer() && !d.is_number_unsigned())
      problem.tensor(name, "negative dimension in shape " + shape.dump());
    const uint64_t dim = unsignedField(problem, name, d, "shape dimension");
    if (dim > static_cast<uint64_t>(INT64_MAX) || __builtin_mul_overflow(numel, dim, &numel))
      problem.tensor(name, "shape " + shape.dump() + " is too large");
    e.record.shape.push_back(static_cast<int64_t>(dim));
  }

  const auto& offsets = j["data_offsets"];
  if (!offsets.is_array() || offsets.size() != 2)
    problem.tensor(name, "'data_offsets' must be a list [begin, end], got " + offsets.dump());
  e.begin = unsignedField(problem, name, offsets[0], "data_offsets begin");
  e.end = unsignedField(problem, name, offsets[1], "data_offsets end");
  if (e.end < e.begin) problem.tensor(name, "data_offsets " + offsets.dump() + " end before they begin");

  uint64_t bytes = 0;
  if (__builtin_mul_overflow(numel, static_cast<uint64_t>(dtypeSize(e.record.dtype)), &bytes))
    problem.tensor(name, "shape " + shape.dump() + " is too large");
  if (bytes != e.end - e.begin)
    problem.tensor(name, "dtype mismatch: shape " + shape.dump() + " of " + dtypeName(e.record.dtype) + " needs " +
                             std::to_string(bytes) + " bytes but data_offsets " + offsets.dump() + " cover " +
                             std::to_string(e.end - e.begin));
  return e;
}

std::map<std::string, std::string> parseMetadata(const Problem& problem, const nlohmann::json& j) {
  if (!j.is_object()) problem("'__metadata__' must be an object of strings, got " + j.dump());
  std::map<std::string, std::string> out;
  for (auto it = j.begin(); it != j.end(); ++it) {
    if (!it->is_string()) problem("'__metadata__' value of '" + it.key() + "' must be a string, got " + it->dump());
    out[it.key()] = it->get<std::string>();
  }
  return out;
}

// The data buffer must be covered exactly: no range outside it, no overlap, no gap.
void checkLayout(const Problem& problem, std::vector<Entry>& entries, uint64_t bufferBytes) {
  for (const auto& e : entries)
    if (e.end > bufferBytes)
      problem.tensor(e.record.name, "data_offsets [" + std::to_string(e.begin) + ", " + std::to_string(e.end) +
                                        "] are out of range: the data buffer has " + std::to_string(bufferBytes) +
                                        " bytes");
  std::stable_sort(entries.begin(), entries.end(), [](const Entry& a, const Entry& b) {
    return a.begin != b.begin ? a.begin < b.begin : a.end < b.end;
  });
  uint64_t covered = 0;
  const Entry* previous = nullptr;
  for (const auto& e : entries) {
    if (e.begin < covered)
      problem.tensor(e.record.name, "data_offsets [" + std::to_string(e.begin) + ", " + std::to_string(e.end) +
                                        "] overlap tensor '" + previous->record.name + "'");
    if (e.begin > covered)
      problem.tensor(e.record.name, "data_offsets begin at " + std::to_string(e.begin) +
                                        " but the previous tensor ends at " + std::to_string(covered) +
                                        " (a gap in the data buffer)");
    covered = e.end;
    previous = &e;
  }
  if (covered != bufferBytes)
    problem("the data buffer has " + std::to_string(bufferBytes) + " bytes but the tensors cover only " +
            std::to_string(covered));
}

}  // namespace

void writeSafetensors(const std::string& path, const std::vector<TensorRecord>& tensors,
                      const std::map<std::string, std::string>& metadata) {
  checkForWrite(path, tensors);
  std::vector<const TensorRecord*> order;
  for (const auto& t : tensors) order.push_back(&t);
  std::sort(order.begin(), order.end(), [](const TensorRecord* a, const TensorRecord* b) {
    const size_t sa = dtypeSize(a->dtype), sb = dtypeSize(b->dtype);
    return sa != sb ? sa > sb : a->name < b->name;
  });

  nlohmann::json header = nlohmann::json::object();
  if (!metadata.empty()) header[kMetadataKey] = metadata;
  uint64_t offset = 0;
  for (const TensorRecord* t : order) {
    const uint64_t end = offset + t->data.size();
    header[t->name] = {{"dtype", dtypeName(t->dtype)}, {"shape", t->shape}, {"data_offsets", {offset, end}}};
    offset = end;
  }
  std::string headerText = header.dump();
  headerText.append((8 - headerText.size() % 8) % 8, ' ');

  const uint64_t headerBytes = headerText.size();
  AtomicFile out(path);
  out.write(&headerBytes, sizeof headerBytes);
  out.write(headerText);
  for (const TensorRecord* t : order) out.write(t->data.data(), t->data.size());
  out.commit();
}

SafetensorsFile SafetensorsFile::read(const std::string& path) { return parse(readWholeFile(path), path); }

SafetensorsFile SafetensorsFile::parse(const std::vector<uint8_t>& bytes, const std::string& origin) {
  Problem problem(origin);
  if (bytes.size() < 8)
    problem("truncated safetensors file: " + std::to_string(bytes.size()) +
            " bytes, but the header length alone takes 8");
  const uint64_t headerBytes = readU64(bytes.data());
  if (headerBytes > bytes.size() - 8 || headerBytes > kMaxHeaderBytes)
    problem("truncated safetensors file or bad header length: the header claims " + std::to_string(headerBytes) +
            " bytes but only " + std::to_string(bytes.size() - 8) + " follow the length field");

  const char* headerBegin = reinterpret_cast<const char*>(bytes.data() + 8);
  nlohmann::json header;
  try {
    header = nlohmann::json::parse(headerBegin, headerBegin + headerBytes);
  } catch (const nlohmann::json::exception& e) {  // parse_error, or out_of_range for 1e999
    problem(std::string("safetensors header is not valid JSON: ") + e.what());
  }
  if (!header.is_object()) problem("safetensors header must be a JSON object, got " + header.dump());

  SafetensorsFile file;
  std::vector<Entry> entries;
  for (auto it = header.begin(); it != header.end(); ++it) {
    if (it.key() == kMetadataKey)
      file.metadata_ = parseMetadata(problem, *it);
    else
      entries.push_back(parseEntry(problem, it.key(), *it));
  }

  const uint64_t bufferStart = 8 + headerBytes;
  checkLayout(problem, entries, bytes.size() - bufferStart);

  for (auto& e : entries) {
    const auto* begin = bytes.data() + bufferStart + e.begin;
    e.record.data.assign(begin, begin + (e.end - e.begin));
    file.index_[e.record.name] = file.tensors_.size();
    file.tensors_.push_back(std::move(e.record));
  }
  return file;
}

const TensorRecord* SafetensorsFile::find(const std::string& name) const {
  const auto it = index_.find(name);
  return it == index_.end() ? nullptr : &tensors_[it->second];
}

}  // namespace moon
