#include "core/data/ContactSheet.h"

#include <algorithm>
#include <set>

#include <opencv2/imgproc.hpp>

#include "core/base/Error.h"
#include "core/data/Dataset.h"
#include "core/image/ImageIo.h"

namespace moon {
namespace {

// Layout (pixels).
constexpr int kMargin = 16;
constexpr int kHeader = 64;
constexpr int kPad = 10;
constexpr int kTextWidth = 270;
constexpr int kLine = 17;
constexpr int kTextLines = 10;  // caption lines a row has room for
constexpr int kFont = cv::FONT_HERSHEY_SIMPLEX;
constexpr int kLabelFont = cv::FONT_HERSHEY_DUPLEX;
constexpr double kFontScale = 0.42;

const cv::Scalar kInk(40, 40, 40);
const cv::Scalar kMuted(110, 110, 110);
const cv::Scalar kHighlight(30, 30, 200);        // red
const cv::Scalar kHighlightBack(215, 220, 255);  // pale red
const cv::Scalar kPaper(255, 255, 255);
const cv::Scalar kRule(225, 225, 225);

int cellWidth(const ContactSheetOptions& o) { return o.thumbnail + kPad + kTextWidth; }
int rowHeight(const ContactSheetOptions& o) { return std::max(o.thumbnail, kTextLines * kLine) + 2 * kPad; }

// Hershey fonts draw ASCII only: each non-ASCII character becomes '?'.
std::string ascii(const std::string& s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      out += c >= 0x20 ? char(c) : ' ';
    } else if ((c & 0xC0) != 0x80) {
      out += '?';
    }
  }
  return out;
}

int textWidth(const std::string& s, double scale = kFontScale, int thickness = 1) {
  int baseline = 0;
  return cv::getTextSize(s, kFont, scale, thickness, &baseline).width;
}

void put(cv::Mat& img, const std::string& s, cv::Point at, const cv::Scalar& color, double scale = kFontScale,
         int thickness = 1) {
  cv::putText(img, ascii(s), at, kFont, scale, color, thickness, cv::LINE_AA);
}

// A bold-looking label: the duplex font at stroke width 1 stays crisp where
// a thicker simplex stroke smears.
int label(cv::Mat& img, const std::string& s, cv::Point at, const cv::Scalar& color) {
  cv::putText(img, ascii(s), at, kLabelFont, 0.45, color, 1, cv::LINE_AA);
  int baseline = 0;
  return cv::getTextSize(ascii(s), kLabelFont, 0.45, 1, &baseline).width;
}

// Greedy word wrap; a line that still does not fit is cut with "...".
std::vector<std::string> wrap(const std::string& text, int width, size_t maxLines) {
  std::vector<std::string> lines;
  std::string line, word;
  const std::string s = ascii(text) + " ";
  for (char c : s) {
    if (c != ' ') {
      word += c;
      continue;
    }
    if (word.empty()) continue;
    const std::string candidate = line.empty() ? word : line + " " + word;
    if (textWidth(candidate) <= width || line.empty()) {
      line = candidate;
    } else {
      lines.push_back(line);
      line = word;
    }
    word.clear();
  }
  if (!line.empty()) lines.push_back(line);
  if (lines.size() > maxLines) {
    lines.resize(maxLines);
    std::string& last = lines.back();
    while (!last.empty() && textWidth(last + "...") > width) last.pop_back();
    last += "...";
  }
  for (auto& l : lines)
    while (textWidth(l) > width && l.size() > 3) l = l.substr(0, l.size() - 4) + "...";
  return lines;
}

// "key: value" chips flowing over lines; differing keys in red on pale red.
int drawAttributes(cv::Mat& img, const Attributes& attrs, const std::set<std::string>& highlight, cv::Point origin,
                   int width, int bottom) {
  int x = origin.x, y = origin.y;
  for (const auto& [key, value] : attrs) {
    const std::string chip = ascii(key + ": " + value);
    const bool hot = highlight.count(key) > 0;
    const int w = textWidth(chip);
    if (x > origin.x && x + w > origin.x + width) {
      x = origin.x;
      y += kLine;
    }
    if (y > bottom) break;
    if (hot) cv::rectangle(img, cv::Rect(x - 3, y - 12, w + 6, 16), kHighlightBack, cv::FILLED);
    put(img, chip, {x, y}, hot ? kHighlight : kMuted);
    x += w + 12;
  }
  return y;
}

cv::Mat loadThumbnail(const std::string& file, int size, std::string* error) {
  cv::Mat img;
  try {
    img = readImageChecked(file);
  } catch (const Error& e) {
    *error = e.what();
    return {};
  }
  cv::Mat out;
  const double scale = double(size) / std::max(img.cols, img.rows);
  cv::resize(img, out, cv::Size(std::max(1, int(img.cols * scale)), std::max(1, int(img.rows * scale))), 0, 0,
             scale > 1 ? cv::INTER_CUBIC : cv::INTER_AREA);
  return out;
}

void placeholder(cv::Mat cell, const std::string& line1, const std::string& line2) {
  cell.setTo(cv::Scalar(238, 238, 238));
  cv::rectangle(cell, cv::Rect(0, 0, cell.cols, cell.rows), cv::Scalar(200, 200, 200), 1);
  put(cell, line1, {10, cell.rows / 2 - 4}, kMuted);
  put(cell, line2, {10, cell.rows / 2 + 14}, kMuted);
}

void drawImage(cv::Mat& sheet, cv::Rect box, const std::optional<std::string>& file, const std::string& noImage) {
  cv::Mat cell = sheet(box);
  if (!file) {
    placeholder(cell, noImage, "");
    return;
  }
  std::string error;
  cv::Mat thumb = loadThumbnail(*file, box.width, &error);
  if (thumb.empty()) {
    // The message starts with the path; the reason after it is what fits.
    const size_t colon = error.find(": ");
    placeholder(cell, "unreadable image", error.substr(colon == std::string::npos ? 0 : colon + 2, 22));
    return;
  }
  thumb.copyTo(cell(cv::Rect((box.width - thumb.cols) / 2, (box.height - thumb.rows) / 2, thumb.cols, thumb.rows)));
  cv::rectangle(cell, cv::Rect(0, 0, cell.cols, cell.rows), cv::Scalar(210, 210, 210), 1);
}

void drawProductCell(cv::Mat& sheet, cv::Point at, const ContactSheetOptions& o, const Dataset& ds, const Product* p,
                     const std::string& role, const std::set<std::string>& diff) {
  const cv::Rect imageBox(at.x, at.y, o.thumbnail, o.thumbnail);
  const int tx = at.x + o.thumbnail + kPad, bottom = at.y + rowHeight(o) - 2 * kPad;
  if (!p) {
    placeholder(sheet(imageBox), "missing product", "");
    return;
  }
  drawImage(sheet, imageBox, ds.imageFile(p->imagePath), "");
  int y = at.y + 12;
  const int w = label(sheet, role, {tx, y}, kInk);
  put(sheet, p->id, {tx + w + 8, y}, kMuted);
  y += kLine;
  std::string category;
  for (const auto& level : p->categoryPath) category += (category.empty() ? "" : " > ") + level;
  put(sheet, category, {tx, y}, kMuted);
  y += kLine + 2;
  for (const auto& line : wrap(p->title, kTextWidth, 3)) {
    put(sheet, line, {tx, y}, kInk);
    y += kLine;
  }
  y += 4;
  drawAttributes(sheet, p->allAttributes(), diff, {tx, y}, kTextWidth, bottom);
}

const char* modalityLabel(Modality m) {
  switch (m) {
    case Modality::Text:
      return "TEXT QUERY";
    case Modality::Image:
      return "IMAGE QUERY";
    case Modality::Multimodal:
      return "IMAGE + TEXT QUERY";
  }
  return "QUERY";
}

void drawQueryCell(cv::Mat& sheet, cv::Point at, const ContactSheetOptions& o, const Dataset& ds, const Triplet& t,
                   const Product* pos, const Product* neg, const std::vector<std::string>& diff) {
  const cv::Rect imageBox(at.x, at.y, o.thumbnail, o.thumbnail);
  std::optional<std::string> file;
  if (t.query.imagePath) file = ds.imageFile(*t.query.imagePath);
  drawImage(sheet, imageBox, file, "text only");
  const int tx = at.x + o.thumbnail + kPad;
  int y = at.y + 12;
  label(sheet, modalityLabel(t.query.modality), {tx, y}, kInk);
  y += kLine + 2;
  if (t.query.title) {
    for (const auto& line : wrap("\"" + *t.query.title + "\"", kTextWidth, 4)) {
      put(sheet, line, {tx, y}, kInk);
      y += kLine;
    }
    y += 4;
  }
  if (!pos || !neg) return;
  put(sheet, "differs from the near-duplicate in:", {tx, y}, kMuted);
  y += kLine;
  const Attributes pa = pos->allAttributes(), na = neg->allAttributes();
  for (const auto& key : diff) {
    const auto pv = pa.count(key) ? pa.at(key) : "-";
    const auto nv = na.count(key) ? na.at(key) : "-";
    // A difference the query cannot show (a text-only attribute for an image query) is greyed out.
    const bool shown = t.query.attributes.count(key) > 0;
    const std::string line = key + ": " + pv + ", not " + nv + (shown ? "" : " (not in query)");
    const int w = textWidth(line);
    if (shown)
      cv::rectangle(sheet, cv::Rect(tx - 3, y - 12, std::min(w, kTextWidth) + 6, 16), kHighlightBack, cv::FILLED);
    put(sheet, wrap(line, kTextWidth, 1).front(), {tx, y}, shown ? kHighlight : kMuted);
    y += kLine + 2;
  }
}

std::vector<std::string> differing(const Attributes& a, const Attributes& b) {
  std::set<std::string> keys;
  for (const auto& [k, v] : a)
    if (!b.count(k) || b.at(k) != v) keys.insert(k);
  for (const auto& [k, v] : b)
    if (!a.count(k)) keys.insert(k);
  return {keys.begin(), keys.end()};
}

}  // namespace

cv::Size contactSheetSize(int rows, const ContactSheetOptions& o) {
  return {2 * kMargin + 3 * cellWidth(o) + 2 * kMargin, kHeader + rows * rowHeight(o) + kMargin};
}

cv::Mat renderContactSheet(const Dataset& ds, const ContactSheetOptions& o, int* rowsDrawn) {
  if (o.rows < 1) throw ConfigError("contact sheet: rows must be at least 1");
  if (o.thumbnail < 48 || o.thumbnail > 1024) throw ConfigError("contact sheet: thumbnail must be in [48, 1024]");
  const auto& triplets = ds.split(o.split);
  const int rows = std::min<int>(o.rows, int(triplets.size()));
  if (rows == 0) throw FormatError(ds.dir() + ": split '" + o.split + "' has no usable triplets to show");
  const cv::Size size = contactSheetSize(rows, o);
  cv::Mat sheet(size, CV_8UC3, kPaper);

  put(sheet,
      "MOON catalogue  |  " + ds.dir() + "  |  split '" + o.split + "', " + std::to_string(rows) + " of " +
          std::to_string(triplets.size()) + " triplets",
      {kMargin, 24}, kInk, 0.5);
  const char* columns[3] = {"QUERY (another listing of the positive)", "POSITIVE (the product searched for)",
                            "NEAR-DUPLICATE (the hard negative)"};
  for (int c = 0; c < 3; ++c) label(sheet, columns[c], {kMargin + c * (cellWidth(o) + kMargin), 52}, kMuted);
  const std::string legend = "red: the attributes that tell the positive from the near-duplicate";
  put(sheet, legend, {size.width - kMargin - textWidth(legend), 24}, kHighlight);

  for (int r = 0; r < rows; ++r) {
    const Triplet& t = triplets[size_t(r) * triplets.size() / size_t(rows)];
    const Product* pos = ds.findProduct(t.positiveId);
    const Product* neg = ds.findProduct(t.negativeId);
    const int y = kHeader + r * rowHeight(o);
    if (r % 2 == 1) sheet(cv::Rect(0, y, size.width, rowHeight(o))).setTo(cv::Scalar(248, 248, 246));
    cv::line(sheet, {0, y}, {size.width, y}, kRule, 1);
    std::vector<std::string> diff;
    if (pos && neg) diff = differing(pos->allAttributes(), neg->allAttributes());
    const std::set<std::string> diffSet(diff.begin(), diff.end());
    const int top = y + kPad;
    drawQueryCell(sheet, {kMargin, top}, o, ds, t, pos, neg, diff);
    drawProductCell(sheet, {kMargin + cellWidth(o) + kMargin, top}, o, ds, pos, "POSITIVE", diffSet);
    drawProductCell(sheet, {kMargin + 2 * (cellWidth(o) + kMargin), top}, o, ds, neg, "NEAR-DUPLICATE", diffSet);
  }
  if (rowsDrawn) *rowsDrawn = rows;
  return sheet;
}

int writeContactSheet(const std::string& datasetDir, const std::string& outPng, const ContactSheetOptions& options) {
  DatasetOptions load;
  load.splits = {options.split};
  load.requiredSplits = {options.split};
  const Dataset ds = Dataset::load(datasetDir, load);
  int rows = 0;
  const cv::Mat sheet = renderContactSheet(ds, options, &rows);
  writeImageFile(outPng, sheet);
  return rows;
}

}  // namespace moon
