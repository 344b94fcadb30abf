#include <CLI/CLI.hpp>

#include <chrono>
#include <filesystem>
#include <iomanip>
#include <iostream>
#include <sstream>

#include "app/cli/EvalCommandParts.h"
#include "core/base/AtomicFile.h"
#include "core/base/Error.h"
#include "training/eval/ApproximateIndex.h"
#include "training/eval/EmbeddingExport.h"
#include "training/eval/GalleryIndex.h"

namespace moon::cli {
namespace {
namespace fs = std::filesystem;

struct SearchArgs {
  std::string gallery;
  std::string queries;
  std::size_t k = 10;
  bool approximate = false;
  std::string index;  // default: <gallery>.ivf
  std::size_t lists = 0;
  std::size_t probes = 0;
  std::string out;
};

double secondsSince(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

// The saved index when it is newer than the gallery and holds as many rows
// of the same width; otherwise a new one, saved for the next search.
ApproximateGalleryIndex approximateIndex(const SearchArgs& a, const EmbeddingMatrix& gallery) {
  const std::string file = a.index.empty() ? a.gallery + ".ivf" : a.index;
  const auto t0 = std::chrono::steady_clock::now();
  std::error_code ec;
  if (fs::exists(file, ec) && fs::last_write_time(file, ec) >= fs::last_write_time(a.gallery, ec)) {
    try {
      auto index = ApproximateGalleryIndex::load(file);
      if (index.size() == gallery.rows && index.dim() == gallery.dim) {
        if (a.probes > 0) index.setProbes(a.probes);
        std::cerr << "reused " << file << " (" << index.lists() << " lists) in " << std::fixed << std::setprecision(1)
                  << secondsSince(t0) << " s\n";
        return index;
      }
      std::cerr << file << " was built for another gallery (" << index.size() << " x " << index.dim()
                << "): building a new one\n";
    } catch (const Error& e) {
      std::cerr << "cannot reuse " << file << " (" << e.what() << "): building a new one\n";
    }
  }
  ApproximateIndexOptions options;
  options.lists = a.lists;
  options.probes = a.probes;
  ApproximateGalleryIndex index(gallery, options);
  index.save(file);
  std::cerr << "built " << file << " (" << index.lists() << " lists, " << index.probes() << " probed) in " << std::fixed
            << std::setprecision(1) << secondsSince(t0) << " s\n";
  return index;
}

std::string label(const std::vector<std::string>& ids, std::int64_t row) {
  return ids.empty() ? std::to_string(row) : ids[static_cast<std::size_t>(row)];
}

void runSearch(const SearchArgs& a) {
  if (a.k == 0) throw ConfigError("--k must be at least 1");
  const EmbeddingsFile gallery = readEmbeddingsSafetensors(a.gallery);
  const EmbeddingsFile queries = readEmbeddingsSafetensors(a.queries);
  if (gallery.embeddings.dim != queries.embeddings.dim)
    throw FormatError("--queries " + a.queries + " has " + std::to_string(queries.embeddings.dim) +
                      "-dimensional embeddings, --gallery " + a.gallery + " " + std::to_string(gallery.embeddings.dim));
  SearchResult result;
  auto t0 = std::chrono::steady_clock::now();
  if (a.approximate) {
    const ApproximateGalleryIndex index = approximateIndex(a, gallery.embeddings);
    t0 = std::chrono::steady_clock::now();
    result = index.search(queries.embeddings, a.k);
  } else {
    result = GalleryIndex(gallery.embeddings).search(queries.embeddings, a.k);
  }
  const double seconds = secondsSince(t0);
  std::ostringstream csv;
  csv << "query,rank,product,score\n";
  csv << std::setprecision(9);
  for (std::size_t q = 0; q < result.queries; ++q)
    for (std::size_t j = 0; j < result.k; ++j) {
      const std::int64_t row = result.index(q, j);
      if (row < 0) continue;  // the probed cells held fewer than k rows
      csv << label(queries.ids, std::int64_t(q)) << ',' << j + 1 << ',' << label(gallery.ids, row) << ','
          << result.score(q, j) << '\n';
    }
  if (a.out.empty())
    std::cout << csv.str();
  else
    writeFileAtomically(a.out, csv.str());
  std::cerr << (a.approximate ? "approximate" : "exact") << " search: " << result.queries << " queries x "
            << gallery.embeddings.rows << " products, top " << result.k << " in " << std::fixed << std::setprecision(3)
            << seconds << " s" << (a.out.empty() ? "" : "; wrote " + a.out) << "\n";
}

}  // namespace

void addSearchCommand(CLI::App& app) {
  auto a = std::make_shared<SearchArgs>();
  auto* search = app.add_subcommand(
      "search", "Nearest products of query embeddings in a gallery (files of moon embed --format safetensors)");
  search->add_option("--gallery", a->gallery, "gallery embeddings (.safetensors)")->required();
  search->add_option("--queries", a->queries, "query embeddings (.safetensors)")->required();
  search->add_option("--k", a->k, "results per query")->capture_default_str();
  search->add_flag("--approximate", a->approximate,
                   "FAISS inverted-file index instead of exact search; saved and reused (--index)");
  search->add_option("--index", a->index, "index file (default: <gallery>.ivf)");
  search->add_option("--lists", a->lists, "k-means cells of a new index (default: 4 sqrt(n))");
  search->add_option("--probes", a->probes, "cells scanned per query (default: lists / 16)");
  search->add_option("--out", a->out, "CSV query,rank,product,score (default: stdout)");
  search->callback([a] { runSearch(*a); });
}

}  // namespace moon::cli
