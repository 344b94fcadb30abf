#include "core/tensorio/Npy.h"

#include <cstring>
#include <fstream>
#include <iterator>
#include <optional>

#include "core/base/AtomicFile.h"
#include "core/base/Error.h"

namespace moon {
namespace {

static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__, "tensor files are little-endian; add byte swapping");

constexpr char kMagic[] = "\x93NUMPY";
constexpr size_t kMagicBytes = 6;

// NumPy's "descr" for each dtype; one-byte types have no byte order ('|').
const char* npyDescr(DType dtype) {
  switch (dtype) {
    case DType::F64:
      return "<f8";
    case DType::F32:
      return "<f4";
    case DType::F16:
      return "<f2";
    case DType::I64:
      return "<i8";
    case DType::I32:
      return "<i4";
    case DType::I16:
      return "<i2";
    case DType::I8:
      return "|i1";
    case DType::U8:
      return "|u1";
    case DType::BOOL:
      return "|b1";
    case DType::BF16:
      break;
  }
  return nullptr;
}

std::optional<DType> dtypeFromDescr(std::string descr) {
  // '=' (native) is little-endian here; one-byte types may use any order mark.
  if (!descr.empty() && descr[0] == '=') descr[0] = '<';
  if (descr.size() == 3 && descr[2] == '1' && (descr[0] == '<' || descr[0] == '>')) descr[0] = '|';
  for (DType d :
       {DType::F64, DType::F32, DType::F16, DType::I64, DType::I32, DType::I16, DType::I8, DType::U8, DType::BOOL})
    if (descr == npyDescr(d)) return d;
  return std::nullopt;
}

std::string shapeTuple(const std::vector<int64_t>& shape) {
  std::string s = "(";
  for (size_t i = 0; i < shape.size(); ++i) s += (i ? ", " : "") + std::to_string(shape[i]);
  if (shape.size() == 1) s += ",";
  return s + ")";
}

// A tiny reader for the Python dict literal NumPy writes, e.g.
//   {'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), }
class HeaderParser {
 public:
  HeaderParser(const std::string& text, const std::string& path) : text_(text), path_(path) {}

  [[noreturn]] void fail(const std::string& what) const {
    throw FormatError(path_ + ": malformed .npy header (" + what + "): " + text_);
  }

  // The text after `'key':`, with spaces skipped.
  size_t valueOf(const std::string& key) const {
    const size_t at = text_.find("'" + key + "'");
    if (at == std::string::npos) fail("no '" + key + "'");
    size_t p = text_.find(':', at);
    if (p == std::string::npos) fail("no value for '" + key + "'");
    ++p;
    while (p < text_.size() && text_[p] == ' ') ++p;
    return p;
  }

  std::string stringValue(const std::string& key) const {
    const size_t p = valueOf(key);
    if (p >= text_.size() || (text_[p] != '\'' && text_[p] != '"')) fail("'" + key + "' is not a string");
    const size_t close = text_.find(text_[p], p + 1);
    if (close == std::string::npos) fail("unterminated string");
    return text_.substr(p + 1, close - p - 1);
  }

  bool boolValue(const std::string& key) const {
    const size_t p = valueOf(key);
    if (text_.compare(p, 4, "True") == 0) return true;
    if (text_.compare(p, 5, "False") == 0) return false;
    fail("'" + key + "' is not True or False");
  }

  std::vector<int64_t> tupleValue(const std::string& key) const {
    size_t p = valueOf(key);
    if (p >= text_.size() || text_[p] != '(') fail("'" + key + "' is not a tuple");
    const size_t close = text_.find(')', p);
    if (close == std::string::npos) fail("unterminated tuple");
    std::vector<int64_t> out;
    std::string item;
    for (size_t i = p + 1; i <= close; ++i) {
      const char c = text_[i];
      if (c == ',' || c == ')') {
        if (!item.empty()) {
          if (item.size() > 18) fail("dimension too large");
          out.push_back(std::stoll(item));
        }
        item.clear();
      } else if (c >= '0' && c <= '9') {
        item += c;
      } else if (c == 'L' || c == ' ') {
        continue;  // 'L' is Python 2's long suffix
      } else {
        fail(std::string("unexpected '") + c + "' in the shape");
      }
    }
    return out;
  }

 private:
  const std::string& text_;
  const std::string& path_;
};

}  // namespace

void writeNpy(const std::string& path, DType dtype, const std::vector<int64_t>& shape, const void* data) {
  const char* descr = npyDescr(dtype);
  if (!descr) throw FormatError(path + ": .npy has no bfloat16 type; convert the tensor to F32 first");
  int64_t numel = 1;
  for (int64_t d : shape) {
    if (d < 0) throw FormatError(path + ": negative dimension in shape " + shapeTuple(shape));
    numel *= d;
  }

  std::string header =
      std::string("{'descr': '") + descr + "', 'fortran_order': False, 'shape': " + shapeTuple(shape) + ", }";
  // magic(6) + version(2) + length(2) + header + '\n' must be a multiple of 64.
  const size_t unpadded = kMagicBytes + 2 + 2 + header.size() + 1;
  header.append((64 - unpadded % 64) % 64, ' ');
  header += '\n';
  if (header.size() > 65535) throw FormatError(path + ": shape " + shapeTuple(shape) + " is too long for .npy 1.0");

  const uint16_t headerBytes = static_cast<uint16_t>(header.size());
  const uint8_t version[2] = {1, 0};
  AtomicFile out(path);
  out.write(kMagic, kMagicBytes);
  out.write(version, sizeof version);
  out.write(&headerBytes, sizeof headerBytes);
  out.write(header);
  out.write(data, static_cast<size_t>(numel) * dtypeSize(dtype));
  out.commit();
}

TensorRecord readNpy(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw IoError(path + ": cannot open file");
  const std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) throw IoError(path + ": read error");
  return parseNpy(bytes, path);
}

TensorRecord parseNpy(const std::vector<uint8_t>& bytes, const std::string& origin) {
  const std::string& path = origin;
  if (bytes.size() < 10 || std::memcmp(bytes.data(), kMagic, kMagicBytes) != 0)
    throw FormatError(path + ": not a .npy file (no \\x93NUMPY magic)");
  const uint8_t major = bytes[6];
  size_t lengthBytes = 0;
  if (major == 1)
    lengthBytes = 2;
  else if (major == 2 || major == 3)
    lengthBytes = 4;
  else
    throw FormatError(path + ": unsupported .npy format version " + std::to_string(major));
  if (bytes.size() < 8 + lengthBytes) throw FormatError(path + ": truncated .npy header");
  uint32_t headerBytes = 0;
  std::memcpy(&headerBytes, bytes.data() + 8, lengthBytes);  // little-endian u16 or u32
  const size_t dataStart = 8 + lengthBytes + headerBytes;
  if (dataStart > bytes.size()) throw FormatError(path + ": truncated .npy header");

  const std::string header(bytes.begin() + 8 + lengthBytes, bytes.begin() + dataStart);
  HeaderParser parser(header, path);
  const std::string descr = parser.stringValue("descr");
  const auto dtype = dtypeFromDescr(descr);
  if (!dtype) throw FormatError(path + ": unsupported .npy dtype '" + descr + "' (only little-endian numeric types)");
  if (parser.boolValue("fortran_order"))
    throw FormatError(path + ": Fortran-order .npy arrays are not supported; save with numpy.ascontiguousarray");

  TensorRecord record;
  record.dtype = *dtype;
  record.shape = parser.tupleValue("shape");
  const size_t available = bytes.size() - dataStart;
  uint64_t expected = dtypeSize(record.dtype);
  for (int64_t d : record.shape)
    if (__builtin_mul_overflow(expected, static_cast<uint64_t>(d), &expected)) parser.fail("shape too large");
  if (available < expected)
    throw FormatError(path + ": truncated .npy data: shape " + shapeTuple(record.shape) + " needs " +
                      std::to_string(expected) + " bytes, the file has " + std::to_string(available));
  record.data.assign(bytes.begin() + dataStart, bytes.begin() + dataStart + expected);
  return record;
}

}  // namespace moon
