// getRotationMatrix2D (see include/ojo/imgproc/geometry.hpp), the same double arithmetic as OpenCV.
#include <cmath>
#include <numbers>

#include "ojo/imgproc/geometry.hpp"

namespace ojo {

Tensor getRotationMatrix2D(Point2d center, double angle, double scale) {
  const double rad = angle * std::numbers::pi / 180.0;
  const double a = std::cos(rad) * scale, b = std::sin(rad) * scale;
  return Tensor::from<double>({{a, b, (1 - a) * center.x - b * center.y}, {-b, a, b * center.x + (1 - a) * center.y}});
}

}  // namespace ojo
