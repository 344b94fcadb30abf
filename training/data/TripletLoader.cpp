#include "training/data/TripletLoader.h"

#include <atomic>
#include <map>
#include <mutex>
#include <unordered_map>

#include "core/base/Error.h"
#include "core/base/Logging.h"
#include "training/data/BatchPrefetcher.h"
#include "training/data/ImageSource.h"
#include "training/data/ItemEncoder.h"
#include "training/data/SampleRng.h"

namespace moon {
namespace {

// Stream tags that keep the random draws of different purposes apart.
enum Stream : uint64_t { kShuffle = 1, kReplace = 2, kQuery = 3, kPositive = 4, kNegative = 5, kView = 6 };

// Random candidates tried before scanning the triplets in order.
constexpr int kRandomReplacements = 16;

struct ResolvedTriplet {
  const Triplet* triplet;
  size_t positive;
  size_t negative;
};

struct Sample {
  PreparedItem query, positive, negative, view;
  Modality modality, viewModality;
};

}  // namespace

// A batch and how many of its triplets had to be replaced; counted when the
// batch is delivered, so the statistics do not depend on how far ahead the
// workers are.
struct TripletLoader::Built {
  TripletBatch batch;
  int64_t replaced = 0;
};

struct TripletLoader::State {
  ItemEncoder encoder;
  std::vector<Product> products;
  std::vector<Triplet> triplets;
  std::vector<ResolvedTriplet> usable;
  ImageSource images;
  LoaderShard shard;
  int64_t batchesPerEpoch = 0;
  int64_t skipped = 0;
  std::atomic<int64_t> replaced{0};

  std::mutex orderMutex;
  std::map<int64_t, std::shared_ptr<const std::vector<uint32_t>>> orders;  // guarded by orderMutex

  State(const LoaderConfig& config, BpeTokenizer tokenizer, std::string root)
      : encoder(config, std::move(tokenizer)), images(std::move(root)) {}

  const LoaderConfig& config() const { return encoder.config(); }

  void resolve() {
    std::unordered_map<std::string, size_t> index;
    for (size_t i = 0; i < products.size(); ++i) index.emplace(products[i].id, i);
    std::map<std::string, int64_t> reasons;
    for (const Triplet& t : triplets) {
      auto p = index.find(t.positiveId), n = index.find(t.negativeId);
      const Query& q = t.query;
      const bool hasTitle = q.title && !q.title->empty();
      const bool hasImage = q.imagePath && !q.imagePath->empty();
      std::string reason;
      if (p == index.end() || n == index.end())
        reason = "unknown product id";
      else if (q.modality != Modality::Image && !hasTitle)
        reason = "query without the title its modality needs";
      else if (q.modality != Modality::Text && !hasImage)
        reason = "query without the image its modality needs";
      if (reason.empty())
        usable.push_back({&t, p->second, n->second});
      else
        ++reasons[reason];
    }
    for (const auto& [reason, count] : reasons) {
      log::training()->warn("loader: skipped {} triplet(s): {}", count, reason);
      skipped += count;
    }
    if (usable.empty()) throw ConfigError("loader: no usable triplets (" + std::to_string(triplets.size()) + " given)");
    const int64_t n = int64_t(usable.size()), b = int64_t(config().batch_size) * shard.count;
    // Shards must all get batch_size rows, so a sharded loader keeps only full global batches.
    const bool dropLast = config().drop_last || shard.count > 1;
    batchesPerEpoch = dropLast ? n / b : (n + b - 1) / b;
    if (batchesPerEpoch == 0)
      throw ConfigError("loader: " + std::to_string(n) + " triplets make no batch of batch_size " + std::to_string(b) +
                        (shard.count > 1 ? " (" + std::to_string(config().batch_size) + " per worker × " +
                                               std::to_string(shard.count) + " workers)"
                                         : std::string(" with drop_last")));
    if (shard.count > 1 && !config().drop_last && n % b != 0)
      log::training()->info("loader: {} of {} triplets left out of each epoch (only full global batches of {})", n % b,
                            n, b);
  }

  std::shared_ptr<const std::vector<uint32_t>> orderOf(int64_t epoch) {
    std::lock_guard lock(orderMutex);
    auto it = orders.find(epoch);
    if (it != orders.end()) return it->second;
    auto order = std::make_shared<std::vector<uint32_t>>(usable.size());
    for (size_t i = 0; i < order->size(); ++i) (*order)[i] = uint32_t(i);
    if (config().shuffle) {
      SampleRng rng({uint64_t(config().seed), uint64_t(epoch), kShuffle});
      for (size_t i = order->size(); i > 1; --i) std::swap((*order)[i - 1], (*order)[rng.below(i)]);
    }
    if (orders.size() >= 3) orders.erase(orders.begin());  // workers only look a few batches ahead
    return orders.emplace(epoch, std::move(order)).first->second;
  }

  // nullopt when one of the images the sample needs cannot be read.
  std::optional<PreparedItem> productItem(const Product& p, int64_t epoch, int64_t position, Stream stream) {
    PreparedItem item;
    item.id = p.id;
    if (!p.imagePath.empty()) {
      auto image = images.read(p.imagePath);
      if (!image) return std::nullopt;
      item.image = imageTensor(*image, epoch, position, stream);
    }
    item.titleIds = encoder.titleIds(p.title);
    item.traceIds = encoder.traceIds(attributesFor(p, Modality::Multimodal));
    return item;
  }

  // The positive in a view drawn for this sample, with the trace that view can show.
  PreparedItem productView(const Product& p, const PreparedItem& shown, int64_t epoch, int64_t position,
                           Modality& view) {
    SampleRng rng({uint64_t(config().seed), uint64_t(epoch), uint64_t(position), kView});
    const Modality views[] = {Modality::Text, Modality::Image, Modality::Multimodal};
    view = views[rng.below(3)];
    if (view == Modality::Text && shown.titleIds.empty()) view = Modality::Image;
    if (view == Modality::Image && !shown.image.defined()) view = Modality::Text;
    PreparedItem item;
    item.id = shown.id;
    if (view != Modality::Text) item.image = shown.image;
    if (view != Modality::Image) item.titleIds = shown.titleIds;
    item.traceIds = encoder.traceIds(attributesFor(p, view));
    return item;
  }

  torch::Tensor imageTensor(const cv::Mat& image, int64_t epoch, int64_t position, Stream stream) {
    SampleRng rng({uint64_t(config().seed), uint64_t(epoch), uint64_t(position), stream});
    return encoder.imageTensor(image, config().augment ? &rng : nullptr);
  }

  std::optional<Sample> tryBuild(const ResolvedTriplet& r, int64_t epoch, int64_t position) {
    const Query& q = r.triplet->query;
    Sample s;
    s.modality = q.modality;
    s.query.id = products[r.positive].id;  // a query is another listing of its positive
    if (q.modality != Modality::Text) {
      auto image = images.read(*q.imagePath);
      if (!image) return std::nullopt;
      s.query.image = imageTensor(*image, epoch, position, kQuery);
    }
    if (q.modality != Modality::Image) s.query.titleIds = encoder.titleIds(q.title);
    s.query.traceIds = encoder.traceIds(q.attributes);
    auto positive = productItem(products[r.positive], epoch, position, kPositive);
    if (!positive) return std::nullopt;
    auto negative = productItem(products[r.negative], epoch, position, kNegative);
    if (!negative) return std::nullopt;
    s.view = productView(products[r.positive], *positive, epoch, position, s.viewModality);
    s.positive = std::move(*positive);
    s.negative = std::move(*negative);
    return s;
  }

  Sample sample(int64_t epoch, int64_t position, size_t first, int64_t& replacedCount) {
    const size_t n = usable.size();
    SampleRng rng({uint64_t(config().seed), uint64_t(epoch), uint64_t(position), kReplace});
    for (size_t attempt = 0; attempt <= kRandomReplacements + n; ++attempt) {
      size_t candidate = first;
      if (attempt > 0 && attempt <= kRandomReplacements)
        candidate = size_t(rng.below(n));
      else if (attempt > kRandomReplacements)
        candidate = (first + attempt - kRandomReplacements) % n;
      if (auto s = tryBuild(usable[candidate], epoch, position)) {
        if (attempt > 0) ++replacedCount;
        return std::move(*s);
      }
    }
    throw IoError("loader: no triplet has readable images (" + std::to_string(images.badFileCount()) +
                  " unreadable files)");
  }

  Built build(int64_t global) {
    const int64_t epoch = global / batchesPerEpoch, batch = global % batchesPerEpoch;
    const auto order = orderOf(epoch);
    const int64_t b = config().batch_size;
    const int64_t begin = (batch * shard.count + shard.index) * b;
    const int64_t end = std::min<int64_t>(begin + b, int64_t(order->size()));
    std::vector<PreparedItem> queries, positives, negatives, views;
    std::vector<int64_t> modalities, viewModalities;
    Built built;
    for (int64_t position = begin; position < end; ++position) {
      Sample s = sample(epoch, position, (*order)[size_t(position)], built.replaced);
      queries.push_back(std::move(s.query));
      positives.push_back(std::move(s.positive));
      negatives.push_back(std::move(s.negative));
      views.push_back(std::move(s.view));
      modalities.push_back(int64_t(s.modality));
      viewModalities.push_back(int64_t(s.viewModality));
    }
    TripletBatch& out = built.batch;
    out.query = encoder.collate(queries);
    out.positive = encoder.collate(positives);
    out.negative = encoder.collate(negatives);
    out.queryModality = torch::tensor(modalities, torch::kInt64);
    out.productView = encoder.collate(views);
    out.productViewModality = torch::tensor(viewModalities, torch::kInt64);
    return built;
  }
};

TripletLoader::TripletLoader(const LoaderConfig& config, std::vector<Product> products, std::vector<Triplet> triplets,
                             std::string datasetRoot, BpeTokenizer tokenizer, DataPosition start, LoaderShard shard)
    : state_(std::make_shared<State>(config, std::move(tokenizer), std::move(datasetRoot))) {
  if (shard.count < 1 || shard.index < 0 || shard.index >= shard.count)
    throw ConfigError("loader: shard " + std::to_string(shard.index) + " of " + std::to_string(shard.count));
  state_->shard = shard;
  state_->products = std::move(products);
  state_->triplets = std::move(triplets);
  state_->resolve();
  std::shared_ptr<State> state = state_;
  batches_ = std::make_unique<BatchPrefetcher<Built>>([state](int64_t global) { return state->build(global); },
                                                      config.workers, config.prefetch, globalIndex(start));
}

TripletLoader::~TripletLoader() = default;

TripletBatch TripletLoader::next() {
  Built built = batches_->next();
  state_->replaced += built.replaced;
  return std::move(built.batch);
}

DataPosition TripletLoader::position() const {
  const int64_t global = batches_->position();
  return {global / state_->batchesPerEpoch, global % state_->batchesPerEpoch};
}

int64_t TripletLoader::globalIndex(DataPosition p) const {
  if (p.epoch < 0 || p.batch < 0 || p.batch >= state_->batchesPerEpoch)
    throw ConfigError("loader: data position (epoch " + std::to_string(p.epoch) + ", batch " + std::to_string(p.batch) +
                      ") is outside an epoch of " + std::to_string(state_->batchesPerEpoch) + " batches");
  return p.epoch * state_->batchesPerEpoch + p.batch;
}

void TripletLoader::seek(DataPosition p) { batches_->seek(globalIndex(p)); }

int64_t TripletLoader::batchesPerEpoch() const { return state_->batchesPerEpoch; }

int64_t TripletLoader::tripletCount() const { return int64_t(state_->usable.size()); }

LoaderStats TripletLoader::stats() const {
  return {state_->replaced.load(), state_->images.badFileCount(), state_->skipped};
}

}  // namespace moon
