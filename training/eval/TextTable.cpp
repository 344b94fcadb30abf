#include "training/eval/TextTable.h"

#include <algorithm>
#include <cassert>
#include <utility>

namespace moon {

namespace {

std::string escapeMarkdownCell(const std::string& s) {
  std::string out;
  for (char ch : s) {
    if (ch == '|') out += '\\';
    out += (ch == '\n' || ch == '\r') ? ' ' : ch;
  }
  return out;
}

std::string pad(const std::string& s, std::size_t width, TextTable::Align align) {
  const std::size_t w = displayWidth(s);
  if (w >= width) return s;
  const std::string fill(width - w, ' ');
  return align == TextTable::Align::Right ? fill + s : s + fill;
}

}  // namespace

std::size_t displayWidth(const std::string& s) {
  std::size_t n = 0;
  for (unsigned char ch : s)
    if ((ch & 0xC0) != 0x80) ++n;  // count every byte that starts a code point
  return n;
}

TextTable::TextTable(std::vector<std::string> header, std::vector<Align> align)
    : header_(std::move(header)), align_(std::move(align)) {
  align_.resize(header_.size(), Align::Left);
}

void TextTable::addRow(std::vector<std::string> cells) {
  assert(cells.size() <= header_.size());
  cells.resize(header_.size());
  rows_.push_back(std::move(cells));
}

std::vector<std::size_t> TextTable::widths(bool markdown) const {
  std::vector<std::size_t> w(header_.size(), markdown ? 3 : 0);
  auto measure = [&](const std::vector<std::string>& cells) {
    for (std::size_t c = 0; c < cells.size(); ++c)
      w[c] = std::max(w[c], displayWidth(markdown ? escapeMarkdownCell(cells[c]) : cells[c]));
  };
  measure(header_);
  for (const auto& row : rows_) measure(row);
  return w;
}

std::string TextTable::toText(std::size_t indent) const {
  const auto w = widths(false);
  const std::string prefix(indent, ' ');
  auto line = [&](const std::vector<std::string>& cells) {
    std::string out = prefix;
    for (std::size_t c = 0; c < cells.size(); ++c) {
      if (c > 0) out += "  ";
      out += pad(cells[c], w[c], align_[c]);
    }
    while (!out.empty() && out.back() == ' ') out.pop_back();
    return out + '\n';
  };
  std::string out = line(header_);
  std::vector<std::string> rule;
  for (std::size_t width : w) rule.emplace_back(width, '-');
  out += line(rule);
  for (const auto& row : rows_) out += line(row);
  return out;
}

std::string TextTable::toMarkdown() const {
  const auto w = widths(true);
  auto line = [&](const std::vector<std::string>& cells, bool escape) {
    std::string out = "|";
    for (std::size_t c = 0; c < cells.size(); ++c)
      out += ' ' + pad(escape ? escapeMarkdownCell(cells[c]) : cells[c], w[c], align_[c]) + " |";
    return out + '\n';
  };
  std::string out = line(header_, true);
  std::vector<std::string> rule;
  for (std::size_t c = 0; c < w.size(); ++c)
    rule.push_back(align_[c] == Align::Right ? std::string(w[c] - 1, '-') + ":" : std::string(w[c], '-'));
  out += line(rule, false);
  for (const auto& row : rows_) out += line(row, true);
  return out;
}

std::string csvField(const std::string& s) {
  if (s.find_first_of(",\"\r\n") == std::string::npos) return s;
  std::string out = "\"";
  for (char ch : s) {
    if (ch == '"') out += '"';
    out += ch;
  }
  return out + '"';
}

}  // namespace moon
