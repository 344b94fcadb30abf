// moon data synth | check | sheet

#include <CLI/CLI.hpp>

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <csignal>
#include <iomanip>
#include <iostream>
#include <memory>

#include "app/cli/Commands.h"
#include "core/base/Error.h"
#include "core/base/Logging.h"
#include "core/data/ContactSheet.h"
#include "core/data/Dataset.h"
#include "core/synth/CatalogueGenerator.h"
#include "core/text/DatasetTokenizer.h"

namespace moon::cli {
namespace {

// Progress on stderr: one line rewritten a few times a second on a terminal,
// a new line every few seconds when stderr goes to a file or a pipe.
class ProgressLine {
 public:
  explicit ProgressLine(std::string label) : label_(std::move(label)), terminal_(isatty(STDERR_FILENO) == 1) {}
  void update(size_t done, size_t total) {
    const auto now = std::chrono::steady_clock::now();
    const auto every = terminal_ ? std::chrono::milliseconds(200) : std::chrono::milliseconds(3000);
    if (done != total && now - last_ < every) return;
    last_ = now;
    std::cerr << (terminal_ ? "\r" : "") << label_ << ": " << done << "/" << total;
    if (!terminal_ || done == total) std::cerr << "\n";
    std::cerr << std::flush;
  }

 private:
  std::string label_;
  bool terminal_;
  std::chrono::steady_clock::time_point last_{};
};

// Ctrl-C during `data synth` cancels cleanly: the generator removes what it wrote.
std::atomic<bool> gInterrupted{false};
extern "C" void onInterrupt(int) { gInterrupted = true; }

class InterruptGuard {
 public:
  InterruptGuard() {
    gInterrupted = false;
    previous_ = std::signal(SIGINT, onInterrupt);
  }
  ~InterruptGuard() { std::signal(SIGINT, previous_); }

 private:
  void (*previous_)(int);
};

void addSynth(CLI::App& data) {
  struct Args {
    std::string out;
    SynthOptions options = SynthOptions::demo();
    bool quiet = false;
  };
  auto args = std::make_shared<Args>();
  CLI::App* cmd = data.add_subcommand("synth", "Generate the synthetic fine-grained product catalogue");
  cmd->add_option("--out", args->out, "Output folder (new or empty)")->required();
  cmd->add_option("--products", args->options.products, "Number of gallery products")->capture_default_str();
  cmd->add_option("--seed", args->options.seed, "Random seed (same seed, same bytes)")->capture_default_str();
  cmd->add_option("--image-size", args->options.imageSize, "Image side in pixels")->capture_default_str();
  cmd->add_option("--queries-per-product", args->options.queriesPerProduct, "Triplets per positive product")
      ->capture_default_str();
  cmd->add_option("--test-queries-per-product", args->options.testQueriesPerProduct,
                  "Triplets per positive product in the test split (0 = as --queries-per-product)")
      ->capture_default_str();
  cmd->add_option("--threads", args->options.threads, "Rendering threads (0 = all cores)")->capture_default_str();
  cmd->add_flag("--quiet", args->quiet, "No progress on stderr");
  cmd->callback([args] {
    ProgressLine line("rendering products");
    const bool quiet = args->quiet;
    const SynthProgress progress = [&line, quiet](size_t done, size_t total) {
      if (!quiet) line.update(done, total);
      return !gInterrupted.load();
    };
    SynthSummary s;
    {
      InterruptGuard guard;
      s = generateCatalogue(args->out, args->options, progress);
    }
    if (s.cancelled) throw Error("interrupted; " + args->out + " was left as it was found");
    std::cout << "wrote " << args->out << ": " << s.products << " products (" << s.families << " families, "
              << s.categories << " categories), triplets train " << s.triplets.at("train") << " / val "
              << s.triplets.at("val") << " / test " << s.triplets.at("test") << ", " << s.images << " images in "
              << std::fixed << std::setprecision(1) << s.seconds << " s\n";
  });
}

void addCheck(CLI::App& data) {
  struct Args {
    std::string dir;
    std::vector<std::string> require = {"train", "val", "test"};
    bool strict = false;
    int threads = 0;
  };
  auto args = std::make_shared<Args>();
  CLI::App* cmd = data.add_subcommand("check", "Validate a dataset folder, decoding every image");
  cmd->add_option("dir", args->dir, "Dataset folder")->required();
  cmd->add_option("--require", args->require, "Splits that must have usable triplets")
      ->delimiter(',')
      ->capture_default_str();
  cmd->add_flag("--strict", args->strict, "Fail (exit 1) on any bad record, not only when nothing is usable");
  cmd->add_option("--threads", args->threads, "Decoding threads (0 = all cores)");
  cmd->callback([args] {
    DatasetOptions options;
    options.requiredSplits = args->require;
    for (const auto& r : args->require)
      if (std::find(options.splits.begin(), options.splits.end(), r) == options.splits.end())
        options.splits.push_back(r);
    options.decodeImages = true;
    options.threads = args->threads;
    options.examplesPerKind = 5;
    options.logReport = false;  // printed below
    ProgressLine line("decoding images");
    options.progress = [&line](size_t done, size_t total) { line.update(done, total); };
    const Dataset ds = Dataset::load(args->dir, options);
    const DataReport& report = ds.report();
    std::cout << args->dir << ": " << ds.products().size() << " usable products";
    for (const auto& name : ds.splitNames()) std::cout << ", " << name << " " << ds.split(name).size();
    std::cout << " triplets\n" << report.summary() << "\n";
    if (report.clean()) {
      std::cout << "OK: no problems found\n";
    } else {
      std::cout << report.totalProblems() << " bad records skipped; the rest is usable\n";
      if (args->strict)
        throw FormatError(args->dir + ": " + std::to_string(report.totalProblems()) + " bad records (--strict)");
    }
  });
}

void addSheet(CLI::App& data) {
  struct Args {
    std::string dir;
    std::string out;
    ContactSheetOptions options;
  };
  auto args = std::make_shared<Args>();
  CLI::App* cmd = data.add_subcommand("sheet", "Write a contact sheet PNG: query | positive | near-duplicate");
  cmd->add_option("dir", args->dir, "Dataset folder")->required();
  cmd->add_option("--out", args->out, "Output PNG")->required();
  cmd->add_option("--rows", args->options.rows, "Triplets to show")->capture_default_str();
  cmd->add_option("--split", args->options.split, "Split to show")->capture_default_str();
  cmd->add_option("--thumbnail", args->options.thumbnail, "Image size on the sheet, pixels")->capture_default_str();
  cmd->callback([args] {
    const int rows = writeContactSheet(args->dir, args->out, args->options);
    std::cout << "wrote " << args->out << " (" << rows << " triplets of split '" << args->options.split << "')\n";
  });
}

}  // namespace

void addTokenizer(CLI::App& data) {
  struct Args {
    std::string dir;
    int vocab = kDefaultDatasetVocabSize;
  };
  auto args = std::make_shared<Args>();
  CLI::App* cmd = data.add_subcommand("tokenizer", "Train the dataset's BPE tokenizer into DIR/tokenizer.json");
  cmd->add_option("dir", args->dir, "Dataset folder")->required();
  cmd->add_option("--vocab", args->vocab, "Vocabulary size")->capture_default_str()->check(CLI::Range(300, 200000));
  cmd->callback([args] {
    const BpeTokenizer tokenizer = writeDatasetTokenizer(args->dir, args->vocab);
    std::cout << "wrote " << args->dir << "/" << kDatasetTokenizerFile << ": " << tokenizer.vocabSize() << " tokens\n";
  });
}

void addDataCommands(CLI::App& app) {
  CLI::App* data = app.add_subcommand("data", "Datasets: generate, validate, look at");
  data->require_subcommand(1);
  addSynth(*data);
  addCheck(*data);
  addSheet(*data);
  addTokenizer(*data);
}

}  // namespace moon::cli
