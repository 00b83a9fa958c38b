// §38: histogram equalization of one HSV channel of an RGB image (a file of its own so that
// equalizeHist does not pull in the colour conversions).
#include "ojo/imgproc/border.hpp"
#include "ojo/imgproc/color.hpp"
#include "ojo/imgproc/histogram.hpp"

namespace ojo {

Tensor equalizeHistHSV(const Tensor& rgb, int channel) {
  const int64_t C = check_image(rgb, "equalizeHistHSV");
  check(rgb.dtype() == DType::u8 && C == 3, "equalizeHistHSV", "expected a uint8 RGB image {H, W, 3}, got ",
        dtype_name(rgb.dtype()), " ", shape_str(rgb.shape()));
  check(channel >= 0 && channel <= 2, "equalizeHistHSV", "channel must be 0 (H), 1 (S) or 2 (V), got ", channel);
  Tensor hsv = cvtColor(rgb, COLOR_RGB2HSV);
  hsv.select(2, channel).copy_(equalizeHist(hsv.select(2, channel)));
  return cvtColor(hsv, COLOR_HSV2RGB);
}

}  // namespace ojo
