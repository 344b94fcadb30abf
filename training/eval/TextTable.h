#pragma once

// A small column-aligned table for terminals and Markdown files. Widths count
// UTF-8 code points, so names like "−MMF" or "t→mm" stay aligned.

#include <cstddef>
#include <string>
#include <vector>

namespace moon {

class TextTable {
 public:
  enum class Align { Left, Right };

  // Columns without an alignment are left-aligned.
  explicit TextTable(std::vector<std::string> header, std::vector<Align> align = {});

  // Short rows are padded with empty cells; extra cells are a programmer error.
  void addRow(std::vector<std::string> cells);
  std::size_t rowCount() const { return rows_.size(); }

  // Columns separated by two spaces, a dashed rule under the header, every
  // line ending in '\n'. `indent` spaces precede each line.
  std::string toText(std::size_t indent = 0) const;
  // A GitHub pipe table, padded so the source is aligned too; '|' in a cell is escaped.
  std::string toMarkdown() const;

 private:
  std::vector<std::size_t> widths(bool markdown) const;

  std::vector<std::string> header_;
  std::vector<Align> align_;
  std::vector<std::vector<std::string>> rows_;
};

// One RFC 4180 CSV field: quoted (with doubled quotes) when it holds a comma,
// a quote or a line break.
std::string csvField(const std::string& s);

// Number of UTF-8 code points in `s`.
std::size_t displayWidth(const std::string& s);

}  // namespace moon
