#pragma once

// Writers for exported embeddings (DESIGN.md §5 "Embeddings"): the matrix as
// .npy / safetensors / CSV, and a TensorBoard-projector metadata TSV with one
// row per embedded item, in the same order as the matrix rows. Every file is
// written atomically (core/base/AtomicFile.h).

#include <map>
#include <string>
#include <vector>

#include "core/data/Product.h"
#include "training/eval/EmbeddingMatrix.h"

namespace moon {

// What the projector shows for one embedded item (from a Product: id, title,
// categoryPath, allAttributes()).
struct ItemMetadata {
  std::string id;
  std::string title;
  std::vector<std::string> categoryPath;  // coarse first, fine last
  Attributes attributes;
};

// id, title, category path and the multimodal attributes (image ∪ text) of a product.
ItemMetadata itemMetadata(const Product& product);

// Projector metadata TSV. Header row, then one row per item with the columns
//   id, category (the fine, last path element), coarse (the first), one
//   column per attribute key (the union over all items, sorted; empty where
//   an item lacks the key), title.
// One column per key (rather than a packed "k=v|k=v" cell) lets the projector
// colour and search by any single attribute. An attribute key equal to a
// fixed column name is written as "attribute:<key>". In cells, '\' tab, LF
// and CR are written as \\ \t \n \r so every row keeps its columns.
std::string formatProjectorMetadata(const std::vector<ItemMetadata>& items);
void writeProjectorMetadata(const std::string& path, const std::vector<ItemMetadata>& items);

// CSV: header "id,e0,...,e{dim-1}", then one line per row; floats written in
// the shortest form that reads back to the same float. Throws FormatError
// when ids.size() != m.rows.
std::string formatEmbeddingsCsv(const EmbeddingMatrix& m, const std::vector<std::string>& ids);
void writeEmbeddingsCsv(const std::string& path, const EmbeddingMatrix& m, const std::vector<std::string>& ids);

// .npy, float32, C order, shape (rows, dim): numpy.load() and the TensorBoard
// projector read it directly. Written atomically; throws IoError naming the file.
void writeEmbeddingsNpy(const std::string& path, const EmbeddingMatrix& m);

// safetensors with one F32 tensor "embeddings" of shape [rows, dim]. When ids
// are given (one per row, else FormatError) they are stored as a JSON list in
// the "ids" metadata entry, so the file says which row is which item; other
// metadata entries (model, checkpoint, modality, ...) are passed through.
void writeEmbeddingsSafetensors(const std::string& path, const EmbeddingMatrix& m,
                                const std::vector<std::string>& ids = {},
                                std::map<std::string, std::string> metadata = {});

// An embeddings safetensors file read back (moon search): the "embeddings"
// matrix, the ids when the file has them (else empty) and the metadata.
struct EmbeddingsFile {
  EmbeddingMatrix embeddings;
  std::vector<std::string> ids;
  std::map<std::string, std::string> metadata;
};
// Throws IoError for a missing or unreadable file and FormatError naming it
// for anything else: no 2-D F32 "embeddings" tensor, "ids" that are not a
// JSON list of strings with one per row.
EmbeddingsFile readEmbeddingsSafetensors(const std::string& path);

// Escaping used by the TSV writer (exposed for readers and tests).
std::string escapeTsvCell(const std::string& s);

}  // namespace moon
