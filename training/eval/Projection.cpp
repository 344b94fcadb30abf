#include "training/eval/Projection.h"

#include <torch/torch.h>

#include <algorithm>
#include <cmath>
#include <string>

#include "core/base/Error.h"
#include "training/eval/GalleryEmbedder.h"

namespace moon {
namespace {

torch::Tensor toTensor(const EmbeddingMatrix& m) {
  return torch::from_blob(const_cast<float*>(m.data.data()), {int64_t(m.rows), int64_t(m.dim)}, torch::kFloat)
      .to(torch::kDouble);
}

std::vector<float> toPairs(const torch::Tensor& xy) {
  const torch::Tensor c = xy.to(torch::kFloat).contiguous();
  return std::vector<float>(c.data_ptr<float>(), c.data_ptr<float>() + c.numel());
}

torch::Tensor squaredDistances(const torch::Tensor& x) {
  const torch::Tensor norms = (x * x).sum(1);
  return (norms.unsqueeze(1) + norms.unsqueeze(0) - 2.0 * x.matmul(x.t())).clamp_min(0.0);
}

// PCA on a double tensor: n x 2, signs fixed.
torch::Tensor pca2(const torch::Tensor& x) {
  const int64_t n = x.size(0), d = x.size(1);
  torch::Tensor out = torch::zeros({n, 2}, torch::kDouble);
  if (n < 2 || d < 1) return out;
  const torch::Tensor centred = x - x.mean(0, true);
  const auto [eigenvalues, eigenvectors] = torch::linalg_eigh(centred.t().matmul(centred) / double(n - 1));
  const int64_t k = std::min<int64_t>(2, d);
  for (int64_t c = 0; c < k; ++c) {
    torch::Tensor v = eigenvectors.select(1, d - 1 - c);  // eigh sorts ascending
    if (v[v.abs().argmax()].item<double>() < 0) v = -v;
    out.select(1, c).copy_(centred.matmul(v));
  }
  return out;
}

void checkCancel(const std::atomic<bool>* cancel) {
  if (cancel && cancel->load()) throw Cancelled("t-SNE canceled");
}

// Symmetric affinities: each row's Gaussian bandwidth found by bisection so
// its conditional distribution has the wanted perplexity (all rows at once).
torch::Tensor affinities(const torch::Tensor& x, double perplexity) {
  const int64_t n = x.size(0);
  const torch::Tensor d = squaredDistances(x);
  const torch::Tensor eye = torch::eye(n, torch::kBool);
  const double target = std::log(perplexity);
  torch::Tensor beta = torch::ones({n, 1}, torch::kDouble);
  torch::Tensor lo = torch::full({n, 1}, 0.0, torch::kDouble);
  torch::Tensor hi = torch::full({n, 1}, INFINITY, torch::kDouble);
  torch::Tensor p;
  for (int step = 0; step < 64; ++step) {
    // Shifted by each row's smallest distance so exp() does not underflow.
    const torch::Tensor shifted = d - d.masked_fill(eye, INFINITY).amin(1, true);
    p = torch::exp(-shifted * beta).masked_fill(eye, 0.0);
    const torch::Tensor sum = p.sum(1, true).clamp_min(1e-300);
    p = p / sum;
    const torch::Tensor entropy = -(p * torch::log(p.clamp_min(1e-300))).sum(1, true);
    const torch::Tensor tooFlat = entropy > target;  // too wide: raise beta
    lo = torch::where(tooFlat, beta, lo);
    hi = torch::where(tooFlat, hi, beta);
    beta = torch::where(torch::isinf(hi), beta * 2.0, (lo + hi) / 2.0);
    if ((entropy - target).abs().max().item<double>() < 1e-5) break;
  }
  p = (p + p.t()) / (2.0 * double(n));
  return p.clamp_min(1e-12);
}

}  // namespace

std::vector<float> pcaProjection(const EmbeddingMatrix& points) {
  torch::NoGradGuard noGrad;
  return toPairs(pca2(toTensor(points)));
}

std::vector<float> tsneProjection(const EmbeddingMatrix& points, const TsneOptions& o) {
  if (points.rows > kMaxTsnePoints)
    throw ConfigError("t-SNE is exact here and takes at most " + std::to_string(kMaxTsnePoints) + " points, not " +
                      std::to_string(points.rows) + "; use PCA or a smaller split");
  if (o.perplexity < 1.0) throw ConfigError("t-SNE perplexity must be at least 1, not " + std::to_string(o.perplexity));
  torch::NoGradGuard noGrad;
  const int64_t n = int64_t(points.rows);
  if (n < 3) return pcaProjection(points);
  const torch::Tensor x = toTensor(points);
  const double perplexity = std::min(o.perplexity, double(n - 1) / 3.0);
  // Affinities in double (the bisection needs it); the descent in float, twice as fast.
  const torch::Tensor p = affinities(x, std::max(perplexity, 1.0)).to(torch::kFloat);
  checkCancel(o.cancel);

  // PCA start scaled to a standard deviation of 1e-4, plus a seeded jitter
  // that breaks exact ties (duplicate products).
  torch::Tensor y = pca2(x);
  const double sd = y.select(1, 0).std().item<double>();
  y = (y / (sd > 0 ? sd : 1.0) * 1e-4).to(torch::kFloat);
  torch::Generator gen = at::detail::createCPUGenerator(o.seed);
  y = y + torch::randn({n, 2}, gen, torch::kFloat) * 1e-6f;

  const double exaggeration = 12.0;
  const int exaggeratedIterations = std::min(250, o.iterations / 3);
  const double learningRate = std::max(double(n) / exaggeration, 50.0);
  torch::Tensor velocity = torch::zeros_like(y);
  torch::Tensor gains = torch::ones_like(y);
  const torch::Tensor eye = torch::eye(n, torch::kBool);
  for (int it = 0; it < o.iterations; ++it) {
    if (it % 10 == 0) {
      checkCancel(o.cancel);
      if (o.progress) o.progress(double(it) / double(o.iterations));
    }
    const torch::Tensor num = (1.0 / (1.0 + squaredDistances(y))).masked_fill(eye, 0.0);
    const torch::Tensor q = (num / num.sum()).clamp_min(1e-12);
    const torch::Tensor pq = ((it < exaggeratedIterations ? p * exaggeration : p) - q) * num;
    const torch::Tensor grad = 4.0 * (pq.sum(1, true) * y - pq.matmul(y));
    gains = torch::where((grad > 0) != (velocity > 0), gains + 0.2, gains * 0.8).clamp_min(0.01);
    const double momentum = it < exaggeratedIterations ? 0.5 : 0.8;
    velocity = momentum * velocity - learningRate * gains * grad;
    y = y + velocity;
    y = y - y.mean(0, true);
  }
  if (o.progress) o.progress(1.0);
  return toPairs(y);
}

std::vector<float> SimilarityTransform2D::apply(const std::vector<float>& points) const {
  std::vector<float> out(points.size());
  for (std::size_t i = 0; i + 1 < points.size(); i += 2) {
    const double x = points[i], y = points[i + 1];
    out[i] = float(scale * (x * r00 + y * r10) + shiftX);
    out[i + 1] = float(scale * (x * r01 + y * r11) + shiftY);
  }
  return out;
}

SimilarityTransform2D fitProcrustes(const std::vector<float>& points, const std::vector<float>& reference) {
  if (points.size() != reference.size() || points.size() % 2 != 0)
    throw FormatError("Procrustes alignment: " + std::to_string(points.size() / 2) + " points against " +
                      std::to_string(reference.size() / 2));
  torch::NoGradGuard noGrad;
  SimilarityTransform2D t;
  const int64_t n = int64_t(points.size() / 2);
  if (n == 0) return t;
  const torch::Tensor a = torch::from_blob(const_cast<float*>(points.data()), {n, 2}, torch::kFloat).to(torch::kDouble);
  const torch::Tensor b =
      torch::from_blob(const_cast<float*>(reference.data()), {n, 2}, torch::kFloat).to(torch::kDouble);
  const torch::Tensor ma = a.mean(0, true), mb = b.mean(0, true);
  const torch::Tensor ac = a - ma, bc = b - mb;
  const double normA = ac.pow(2).sum().item<double>();
  if (normA > 0.0) {
    const auto [u, s, vh] = torch::linalg_svd(ac.t().matmul(bc), false);
    const torch::Tensor r = u.matmul(vh);
    t.r00 = r[0][0].item<double>();
    t.r01 = r[0][1].item<double>();
    t.r10 = r[1][0].item<double>();
    t.r11 = r[1][1].item<double>();
    t.scale = s.sum().item<double>() / normA;
  } else {
    t.scale = 0.0;  // every point at one place: all go to the reference's centre
  }
  // shift = mean(b) - scale * mean(a) R
  const double ax = ma[0][0].item<double>(), ay = ma[0][1].item<double>();
  t.shiftX = mb[0][0].item<double>() - t.scale * (ax * t.r00 + ay * t.r10);
  t.shiftY = mb[0][1].item<double>() - t.scale * (ax * t.r01 + ay * t.r11);
  return t;
}

std::vector<float> procrustesAlign(const std::vector<float>& points, const std::vector<float>& reference) {
  return fitProcrustes(points, reference).apply(points);
}

}  // namespace moon
