#pragma once

// The ablation table (full MOON3.0, −MMF, −FIRE, −RL, −reasoning): one row
// per variant with the headline numbers, as Markdown (README, closing notes)
// and CSV (spreadsheets, plots).
//
// Columns: R@10 for t->mm, i->mm, mm->mm, t->i, i->t; mean R@10 (over the
// directions with queries); near-duplicate accuracy and mean cosine margin;
// coarse and fine category accuracy; attribute accuracy (micro); training
// time. Markdown shows percentages with one decimal and "n/a" for what was
// not evaluated; CSV holds fractions in [0,1], seconds, and empty cells.

#include <string>
#include <vector>

#include "training/eval/EvaluationResult.h"

namespace moon {

struct AblationRow {
  std::string variant;  // e.g. "MOON3.0 (full)", "−MMF"
  EvaluationResult result;
  double trainSeconds = 0.0;
};

// Table followed by a one-paragraph legend, ending in '\n'.
std::string formatAblationMarkdown(const std::vector<AblationRow>& rows);
// RFC 4180: header line, one line per row, '\n' line ends.
std::string formatAblationCsv(const std::vector<AblationRow>& rows);
// Writes both files atomically; throws IoError naming the file.
void writeAblationTables(const std::vector<AblationRow>& rows, const std::string& markdownPath,
                         const std::string& csvPath);

// "45 s", "3 min 07 s", "2 h 05 min".
std::string formatDuration(double seconds);

}  // namespace moon
