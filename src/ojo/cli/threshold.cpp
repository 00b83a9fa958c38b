// ojo threshold | adaptivethreshold | canny | calchist | equalizehist | lut (cv::threshold,
// cv::adaptiveThreshold, cv::Canny, cv::calcHist, cv::equalizeHist, cv::LUT; see
// include/ojo/imgproc/threshold.hpp, edge.hpp and histogram.hpp).
//
//   ojo threshold --thresh 127 --maxval 255 --type THRESH_BINARY|THRESH_OTSU IN OUT   # prints {"retval": 96.0}
//   ojo adaptivethreshold --max-value 255 --adaptive-method GAUSSIAN_C --threshold-type BINARY \
//       --block-size 11 --c 2 IN OUT
//   ojo canny --threshold1 50 --threshold2 100 [--aperture-size 3] [--l2gradient] IN OUT
//   ojo calchist --channels 0 --hist-size 256 --ranges 0,256 [--mask M] IN OUT.npy   # float32 bins x 1
//   ojo equalizehist [--method opencv|guide] IN OUT
//   ojo lut --lut TABLE.npy IN OUT
//
// Commands that need one channel (adaptivethreshold, equalizehist --method opencv, a calchist
// --mask) read image files as grayscale (IMREAD_GRAYSCALE); .npy inputs are used as stored.
#include <cstdio>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common.hpp"
#include "ojo/imgproc/edge.hpp"
#include "ojo/imgproc/histogram.hpp"
#include "ojo/imgproc/threshold.hpp"
#include "values.hpp"

namespace ojo::cli {
namespace {

const ConstantTable kThresholdTypes{
    .prefix = "THRESH_",
    .names = {{"THRESH_BINARY", THRESH_BINARY}, {"THRESH_BINARY_INV", THRESH_BINARY_INV},
              {"THRESH_TRUNC", THRESH_TRUNC}, {"THRESH_TOZERO", THRESH_TOZERO},
              {"THRESH_TOZERO_INV", THRESH_TOZERO_INV}, {"THRESH_OTSU", THRESH_OTSU},
              {"THRESH_TRIANGLE", THRESH_TRIANGLE}},
    .flags = true,
};
const ConstantTable kAdaptiveTypes{.prefix = "THRESH_",
                                   .names = {{"THRESH_BINARY", THRESH_BINARY}, {"THRESH_BINARY_INV", THRESH_BINARY_INV}}};
const ConstantTable kAdaptiveMethods{
    .prefix = "ADAPTIVE_THRESH_",
    .names = {{"ADAPTIVE_THRESH_MEAN_C", ADAPTIVE_THRESH_MEAN_C}, {"ADAPTIVE_THRESH_GAUSSIAN_C", ADAPTIVE_THRESH_GAUSSIAN_C},
              {"mean", ADAPTIVE_THRESH_MEAN_C}, {"gaussian", ADAPTIVE_THRESH_GAUSSIAN_C}}};

// An image file as gray, a .npy as stored.
Tensor read_gray(const std::string& path) { return read_array(path, is_npy(path) ? ImreadMode::unchanged : ImreadMode::gray); }

std::vector<int> to_ints(const std::vector<int64_t>& v) { return std::vector<int>(v.begin(), v.end()); }

void register_threshold_cmd(CLI::App& app) {
  struct Options {
    std::string input, output, type = "THRESH_BINARY";
    double thresh = 127, maxval = 255;
  };
  auto o = std::make_shared<Options>();
  CLI::App* cmd = app.add_subcommand(
      "threshold", "Fixed or automatic (Otsu, triangle) threshold (cv::threshold); prints {\"retval\": T} on stdout");
  cmd->add_option("IN", o->input, "Input image or .npy (uint8, uint16, int16, float32, float64)")->required();
  cmd->add_option("OUT", o->output, "Output image or .npy")->required();
  cmd->add_option("--thresh", o->thresh, "Threshold (ignored with THRESH_OTSU / THRESH_TRIANGLE)")->capture_default_str();
  cmd->add_option("--maxval", o->maxval, "Value for pixels that pass (BINARY, BINARY_INV)")->capture_default_str();
  cmd->add_option("--type", o->type,
                  "THRESH_BINARY, BINARY_INV, TRUNC, TOZERO or TOZERO_INV, optionally |THRESH_OTSU or "
                  "|THRESH_TRIANGLE (uint8 one-channel)")
      ->capture_default_str();
  cmd->callback([o] {
    const int type = parse_constant("threshold: --type", o->type, kThresholdTypes);
    const Tensor img = read_array(o->input);
    auto [retval, dst] = threshold(img, o->thresh, o->maxval, type);
    write_array(o->output, dst);
    std::printf("{\"retval\": %s}\n", json_number(retval).c_str());
  });
}

void register_adaptive_cmd(CLI::App& app) {
  struct Options {
    std::string input, output, method = "ADAPTIVE_THRESH_MEAN_C", type = "THRESH_BINARY";
    double max_value = 255, c = 2;
    int block_size = 11;
  };
  auto o = std::make_shared<Options>();
  CLI::App* cmd = app.add_subcommand("adaptivethreshold",
                                     "Threshold against the local mean minus C (cv::adaptiveThreshold); images are "
                                     "read as gray");
  cmd->add_option("IN", o->input, "Input image (read as gray) or one-channel uint8 .npy")->required();
  cmd->add_option("OUT", o->output, "Output image or .npy")->required();
  cmd->add_option("--max-value", o->max_value, "Value for pixels that pass")->capture_default_str();
  cmd->add_option("--adaptive-method", o->method, "ADAPTIVE_THRESH_MEAN_C or ADAPTIVE_THRESH_GAUSSIAN_C")
      ->capture_default_str();
  cmd->add_option("--threshold-type", o->type, "THRESH_BINARY or THRESH_BINARY_INV")->capture_default_str();
  cmd->add_option("--block-size", o->block_size, "Odd neighbourhood size >= 3")->capture_default_str();
  cmd->add_option("--c", o->c, "Constant subtracted from the mean")->capture_default_str();
  cmd->callback([o] {
    const int method = parse_constant("adaptivethreshold: --adaptive-method", o->method, kAdaptiveMethods);
    const int type = parse_constant("adaptivethreshold: --threshold-type", o->type, kAdaptiveTypes);
    write_array(o->output, adaptiveThreshold(read_gray(o->input), o->max_value, method, type, o->block_size, o->c));
  });
}

void register_canny_cmd(CLI::App& app) {
  struct Options {
    std::string input, output;
    double threshold1 = 0, threshold2 = 0;
    int aperture = 3;
    std::optional<std::string> l2;
  };
  auto o = std::make_shared<Options>();
  CLI::App* cmd = app.add_subcommand("canny", "Canny edges, 0/255 (cv::Canny); colour images use the strongest channel");
  cmd->add_option("IN", o->input, "Input uint8 image or .npy (gray or colour)")->required();
  cmd->add_option("OUT", o->output, "Output image or .npy")->required();
  cmd->add_option("--threshold1", o->threshold1, "Low hysteresis threshold")->required();
  cmd->add_option("--threshold2", o->threshold2, "High hysteresis threshold")->required();
  cmd->add_option("--aperture-size", o->aperture, "Sobel aperture: 3, 5 or 7")->capture_default_str();
  cmd->add_option("--l2gradient", o->l2, "Use the L2 norm: --l2gradient, or --l2gradient true|false (default false)")
      ->expected(0, 1);
  cmd->callback([o, cmd] {
    bool l2 = false;
    if (cmd->count("--l2gradient") > 0) l2 = !o->l2 || o->l2->empty() || parse_bool("canny: --l2gradient", *o->l2);
    write_array(o->output, Canny(read_array(o->input), o->threshold1, o->threshold2, o->aperture, l2));
  });
}

void register_calchist_cmd(CLI::App& app) {
  struct Options {
    std::string input, output, channels = "0", hist_size = "256";
    std::optional<std::string> ranges, mask;
  };
  auto o = std::make_shared<Options>();
  CLI::App* cmd = app.add_subcommand("calchist",
                                     "Histogram (cv::calcHist) written as float32 .npy: bins x 1, or b0 x b1 [x b2]");
  cmd->add_option("IN", o->input, "Input image or .npy (uint8, uint16, float32)")->required();
  cmd->add_option("OUT", o->output, "Output .npy")->required();
  cmd->add_option("--channels", o->channels, "Channel per dimension, e.g. 0 or 0,1,2")->capture_default_str();
  cmd->add_option("--hist-size", o->hist_size, "Bins per dimension, e.g. 256 or 8,8,8")->capture_default_str();
  cmd->add_option("--ranges", o->ranges, "low,high per dimension, e.g. 0,256 (default 0,256 for uint8)");
  cmd->add_option("--mask", o->mask, "Mask image or .npy: only nonzero pixels are counted");
  cmd->callback([o] {
    check(is_npy(o->output), "calchist", "OUT must be a .npy file (the histogram is float32), got ", o->output);
    const std::vector<int> channels = to_ints(parse_int_list("calchist: --channels", o->channels));
    const std::vector<int> bins = to_ints(parse_int_list("calchist: --hist-size", o->hist_size));
    std::vector<float> ranges;
    if (o->ranges)
      for (double v : parse_list("calchist: --ranges", *o->ranges)) ranges.push_back(static_cast<float>(v));
    const Tensor mask = o->mask ? read_gray(*o->mask) : Tensor();
    write_array(o->output, calcHist({read_array(o->input)}, channels, mask, bins, ranges));
  });
}

void register_equalizehist_cmd(CLI::App& app) {
  struct Options {
    std::string input, output, method = "opencv";
  };
  auto o = std::make_shared<Options>();
  CLI::App* cmd = app.add_subcommand(
      "equalizehist", "Histogram equalization: OpenCV's cv::equalizeHist, or the guide's §39 algorithm (--method guide)");
  cmd->add_option("IN", o->input, "Input image or .npy (opencv: read as gray; guide: as stored, uint8)")->required();
  cmd->add_option("OUT", o->output, "Output image or .npy")->required();
  cmd->add_option("--method", o->method,
                  "opencv (default: cv::equalizeHist) or guide (§39: uint8(255 * CDF) with truncation, as NumPy)")
      ->capture_default_str();
  cmd->callback([o] {
    const std::string m = detail::upper(o->method);
    check(m == "OPENCV" || m == "GUIDE", "equalizehist: --method", "unknown value '", o->method,
          "' (expected opencv or guide)");
    write_array(o->output, m == "OPENCV" ? equalizeHist(read_gray(o->input)) : equalizeHistManual(read_array(o->input)));
  });
}

void register_lut_cmd(CLI::App& app) {
  struct Options {
    std::string input, output, lut;
  };
  auto o = std::make_shared<Options>();
  CLI::App* cmd = app.add_subcommand("lut", "Look-up table: dst = lut[src] (cv::LUT)");
  cmd->add_option("IN", o->input, "Input uint8 image or .npy")->required();
  cmd->add_option("OUT", o->output, "Output image or .npy (dtype of the table)")->required();
  cmd->add_option("--lut", o->lut,
                  "The table: a .npy of 256 entries (or 256 x C, one column per channel), or 256 comma-separated "
                  "numbers (uint8)")
      ->required();
  cmd->callback([o] {
    Tensor table;
    if (is_npy(o->lut)) {
      table = load_npy(o->lut);
    } else {
      const std::vector<double> v = parse_list("lut: --lut", o->lut);
      check(v.size() == 256, "lut: --lut", "expected 256 numbers or a .npy file, got ", v.size(), " numbers");
      table = Tensor::from_vector(v, {256}).to(DType::u8);
    }
    write_array(o->output, LUT(read_array(o->input), table));
  });
}

}  // namespace

void register_threshold(CLI::App& app) {
  register_threshold_cmd(app);
  register_adaptive_cmd(app);
  register_canny_cmd(app);
  register_calchist_cmd(app);
  register_equalizehist_cmd(app);
  register_lut_cmd(app);
}

}  // namespace ojo::cli
