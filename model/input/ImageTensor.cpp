#include "model/input/ImageTensor.h"

#include <opencv2/imgproc.hpp>

#include "core/base/Error.h"

namespace moon {

torch::Tensor imageToTensor(const cv::Mat& bgr, int size) {
  if (bgr.empty()) throw FormatError("imageToTensor: empty image");
  if (bgr.depth() != CV_8U || (bgr.channels() != 1 && bgr.channels() != 3 && bgr.channels() != 4))
    throw FormatError("imageToTensor: expected an 8-bit image with 1, 3 or 4 channels, got type " +
                      std::to_string(bgr.type()));
  TORCH_CHECK(size > 0, "imageToTensor: size must be positive");

  cv::Mat resized = bgr;
  if (bgr.cols != size || bgr.rows != size) {
    const bool shrinking = bgr.cols * bgr.rows > size * size;
    cv::resize(bgr, resized, cv::Size(size, size), 0, 0, shrinking ? cv::INTER_AREA : cv::INTER_LINEAR);
  }
  static const int kToRgb[5] = {0, cv::COLOR_GRAY2RGB, 0, cv::COLOR_BGR2RGB, cv::COLOR_BGRA2RGB};
  cv::Mat rgb;
  cv::cvtColor(resized, rgb, kToRgb[resized.channels()]);
  // The only copy: the 8-bit HWC pixels, viewed in place, become a contiguous
  // float CHW tensor; 0 and 255 map exactly to -1 and 1.
  return torch::from_blob(rgb.data, {size, size, 3}, torch::kUInt8)
      .permute({2, 0, 1})
      .to(torch::kFloat32, /*non_blocking=*/false, /*copy=*/false, torch::MemoryFormat::Contiguous)
      .div_(127.5)
      .sub_(1.0);
}

cv::Mat tensorToImage(const torch::Tensor& image) {
  torch::Tensor t = image.dim() == 4 ? image.squeeze(0) : image;
  TORCH_CHECK(t.dim() == 3 && t.size(0) == 3, "tensorToImage: expected [3,H,W], got ", image.sizes());
  t = ((t.detach().to(torch::kCPU, torch::kFloat32) + 1.0) * 127.5)
          .round()
          .clamp(0, 255)
          .to(torch::kUInt8)
          .permute({1, 2, 0})
          .contiguous();
  const cv::Mat rgb(int(t.size(0)), int(t.size(1)), CV_8UC3, t.data_ptr<uint8_t>());
  cv::Mat bgr;
  cv::cvtColor(rgb, bgr, cv::COLOR_RGB2BGR);  // writes a new buffer, so `t` may go
  return bgr;
}

}  // namespace moon
