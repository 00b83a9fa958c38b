// Channels: cv::split, cv::merge, cv::extractChannel (guide §10).
//
//   std::vector<Tensor> rgb = ojo::split(img);        // three u8 {H, W} planes: R, G, B (ojo is RGB)
//   Tensor img2 = ojo::merge({rgb[0], rgb[1], rgb[2]});
//   Tensor green = ojo::extractChannel(img, 1);       // same as img[:, :, 1] as a contiguous copy
//
// Any dtype; any view as input. Outputs are new contiguous tensors (as OpenCV, which copies).
// split of {H, W} returns one plane (a copy). merge accepts {H, W} planes and {H, W, k} images
// (their channels are appended in order, as cv::merge does) of one dtype and one H×W; a single
// one-channel input gives {H, W}. Errors: empty list, mismatched H×W or dtype, k out of range.
#pragma once

#include <vector>

#include "ojo/core/tensor.hpp"

namespace ojo {

std::vector<Tensor> split(const Tensor& img);
Tensor merge(const std::vector<Tensor>& channels);
Tensor extractChannel(const Tensor& img, int64_t coi);

namespace ref {
std::vector<Tensor> split(const Tensor& img);
Tensor merge(const std::vector<Tensor>& channels);
}  // namespace ref

}  // namespace ojo
