// The case list of bench_imgproc: each operation family adds its cases from its own file
// (bench/imgproc/<family>.cpp defines add_<family>_cases). bench_imgproc.cpp runs every case at
// 1 and 2 threads, alternating ojo and OpenCV, verifies outputs before timing, and prints medians
// and the ratio ojo/OpenCV.
#pragma once

#include <functional>
#include <opencv2/core.hpp>
#include <string>
#include <vector>

#include "ojo/core/tensor.hpp"

namespace bench {

struct BenchCase {
  std::string name;                     // "GaussianBlur 5x5 s0 | 1080p rgb"
  std::function<void()> run_ojo;        // one call of the ojo operation (keep the result alive outside)
  std::function<void()> run_peer;       // the same call in OpenCV, same input
  std::function<std::string()> verify;  // after one run of each: "" if outputs agree, else what differs
};
using CaseList = std::vector<BenchCase>;

// The same photo-like inputs for both libraries (ojo tensors view the cv::Mat memory).
struct Input {
  std::string label;  // "1080p gray", "2160p rgb"
  cv::Mat mat;        // RGB order for colour, CV_8UC1 / CV_8UC3
  ojo::Tensor tensor; // {H, W} or {H, W, 3} u8, same memory as mat
};
const std::vector<Input>& inputs();  // 1920x1080 and 3840x2160, gray and RGB

// "" if the ojo tensor and the OpenCV mat hold the same shape, type and bytes; else a description.
std::string compare(const ojo::Tensor& ojo_out, const cv::Mat& cv_out);

// One function per family file; add yours here and call it from bench_imgproc.cpp.
void add_color_cases(CaseList& cases);
void add_mask_cases(CaseList& cases);
void add_filter_cases(CaseList& cases);
void add_threshold_cases(CaseList& cases);
void add_edge_cases(CaseList& cases);
void add_morphology_cases(CaseList& cases);
void add_histogram_cases(CaseList& cases);
void add_geometry_cases(CaseList& cases);

}  // namespace bench
