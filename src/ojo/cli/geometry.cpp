// ojo resize | flip | getrotationmatrix2d | warpaffine (cv::resize, cv::flip, cv::getRotationMatrix2D,
// cv::warpAffine; see include/ojo/imgproc/geometry.hpp).
//
//   ojo resize --dsize 640,360 IN OUT            ojo resize --fx 0.5 --fy 0.5 --interpolation AREA IN OUT
//   ojo flip --flip-code 1 IN OUT                ojo getrotationmatrix2d --center 256,256 --angle 30
//   ojo warpaffine --m "0.87,0.5,-93;-0.5,0.87,162" --dsize 512,512 --flags "CUBIC|WARP_INVERSE_MAP" IN OUT
#include <cstdio>
#include <memory>
#include <optional>
#include <string>

#include "common.hpp"
#include "ojo/imgproc/geometry.hpp"
#include "values.hpp"

namespace ojo::cli {
namespace {

const ConstantTable kInterpolations{
    .prefix = "INTER_",
    .names = {{"INTER_NEAREST", INTER_NEAREST}, {"INTER_LINEAR", INTER_LINEAR}, {"INTER_CUBIC", INTER_CUBIC},
              {"INTER_AREA", INTER_AREA}, {"INTER_LANCZOS4", INTER_LANCZOS4}, {"INTER_LINEAR_EXACT", INTER_LINEAR_EXACT},
              {"INTER_NEAREST_EXACT", INTER_NEAREST_EXACT}}};

struct ResizeOptions {
  std::string input, output;
  std::optional<std::string> dsize;
  double fx = 0, fy = 0;
  std::string interpolation = "INTER_LINEAR";
};

struct FlipOptions {
  std::string input, output;
  int flip_code = 0;
};

const ConstantTable kWarpFlags{
    .prefix = "INTER_",
    .names = {{"INTER_NEAREST", INTER_NEAREST}, {"INTER_LINEAR", INTER_LINEAR}, {"INTER_CUBIC", INTER_CUBIC},
              {"INTER_AREA", INTER_AREA}, {"INTER_LANCZOS4", INTER_LANCZOS4}, {"WARP_FILL_OUTLIERS", WARP_FILL_OUTLIERS},
              {"WARP_INVERSE_MAP", WARP_INVERSE_MAP}},
    .flags = true};

const ConstantTable kWarpBorders{
    .prefix = "BORDER_",
    .names = {{"BORDER_CONSTANT", BORDER_CONSTANT}, {"BORDER_REPLICATE", BORDER_REPLICATE},
              {"BORDER_REFLECT", BORDER_REFLECT}, {"BORDER_WRAP", BORDER_WRAP},
              {"BORDER_REFLECT_101", BORDER_REFLECT_101}, {"BORDER_REFLECT101", BORDER_REFLECT_101},
              {"BORDER_DEFAULT", BORDER_DEFAULT}, {"BORDER_TRANSPARENT", BORDER_TRANSPARENT}}};

struct WarpOptions {
  std::string input, output, m, dsize = "0,0";
  std::string flags = "INTER_LINEAR", border_mode = "BORDER_CONSTANT";
  std::optional<std::string> border_value, dst;
};

struct RotationOptions {
  std::string center = "0,0";
  double angle = 0, scale = 1;
};

}  // namespace

void register_geometry(CLI::App& app) {
  auto r = std::make_shared<ResizeOptions>();
  CLI::App* cmd = app.add_subcommand("resize", "Resize to --dsize W,H or by --fx/--fy (cv::resize)");
  cmd->add_option("IN", r->input, "Input image or .npy")->required();
  cmd->add_option("OUT", r->output, "Output image or .npy")->required();
  cmd->add_option("--dsize", r->dsize, "Output size W,H (width first, as OpenCV)");
  cmd->add_option("--fx", r->fx, "Horizontal factor (with --fy, when --dsize is not given)");
  cmd->add_option("--fy", r->fy, "Vertical factor");
  cmd->add_option("--interpolation", r->interpolation, "INTER_NEAREST, INTER_LINEAR, INTER_CUBIC or INTER_AREA")
      ->capture_default_str();
  cmd->callback([r] {
    Size dsize{0, 0};
    if (r->dsize) {
      const Size2 s = parse_size("resize: --dsize", *r->dsize);
      dsize = {s.width, s.height};
    }
    const int interp = parse_constant("resize: --interpolation", r->interpolation, kInterpolations);
    write_array(r->output, resize(read_array(r->input), dsize, r->fx, r->fy, interp));
  });

  auto f = std::make_shared<FlipOptions>();
  CLI::App* fcmd = app.add_subcommand("flip", "Flip: 0 upside down, 1 left-right, -1 both (cv::flip)");
  fcmd->add_option("IN", f->input, "Input image or .npy")->required();
  fcmd->add_option("OUT", f->output, "Output image or .npy")->required();
  fcmd->add_option("--flip-code", f->flip_code, "0: around the x axis, > 0: around the y axis, < 0: both")
      ->required();
  fcmd->callback([f] { write_array(f->output, flip(read_array(f->input), f->flip_code)); });

  auto w = std::make_shared<WarpOptions>();
  CLI::App* wcmd = app.add_subcommand("warpaffine", "Affine warp by a 2x3 matrix (cv::warpAffine)");
  wcmd->add_option("IN", w->input, "Input image or .npy (u8)")->required();
  wcmd->add_option("OUT", w->output, "Output image or .npy")->required();
  wcmd->add_option("--m", w->m, "The 2x3 matrix, rows split by ';': \"a,b,c;d,e,f\"")->required();
  wcmd->add_option("--dsize", w->dsize, "Output size W,H (0,0: the input's size)")->capture_default_str();
  wcmd->add_option("--flags", w->flags,
                   "INTER_NEAREST, INTER_LINEAR, INTER_CUBIC or INTER_AREA, optionally |WARP_INVERSE_MAP")
      ->capture_default_str();
  wcmd->add_option("--border-mode", w->border_mode,
                   "BORDER_CONSTANT, BORDER_REPLICATE, BORDER_REFLECT, BORDER_WRAP, BORDER_REFLECT_101 or "
                   "BORDER_TRANSPARENT (needs --dst)")
      ->capture_default_str();
  wcmd->add_option("--border-value", w->border_value, "BORDER_CONSTANT colour per channel, e.g. 0,0,255 (default 0)");
  wcmd->add_option("--dst", w->dst, "Image the result is drawn over (BORDER_TRANSPARENT)");
  wcmd->callback([w] {
    const Tensor m = parse_matrix("warpaffine: --m", w->m);
    const Size2 s = parse_size("warpaffine: --dsize", w->dsize);
    const int flags = parse_constant("warpaffine: --flags", w->flags, kWarpFlags);
    const int border = parse_constant("warpaffine: --border-mode", w->border_mode, kWarpBorders);
    const std::vector<double> value =
        w->border_value ? parse_list("warpaffine: --border-value", *w->border_value) : std::vector<double>{};
    const Tensor dst = w->dst ? read_array(*w->dst) : Tensor();
    write_array(w->output, warpAffine(read_array(w->input), m, {s.width, s.height}, flags, border, value, dst));
  });

  auto m = std::make_shared<RotationOptions>();
  CLI::App* mcmd = app.add_subcommand("getrotationmatrix2d",
                                      "Print the 2x3 rotation matrix as JSON (cv::getRotationMatrix2D)");
  mcmd->add_option("--center", m->center, "Centre x,y")->capture_default_str();
  mcmd->add_option("--angle", m->angle, "Angle in degrees, counter-clockwise")->capture_default_str();
  mcmd->add_option("--scale", m->scale, "Isotropic scale")->capture_default_str();
  mcmd->callback([m] {
    const std::vector<double> c = parse_list("getrotationmatrix2d: --center", m->center);
    check(c.size() == 2, "getrotationmatrix2d: --center", "'", m->center, "' needs two numbers x,y");
    const Tensor t = getRotationMatrix2D({c[0], c[1]}, m->angle, m->scale);
    std::string json = "[";
    for (int i = 0; i < 2; ++i) {
      json += i ? ", [" : "[";
      for (int j = 0; j < 3; ++j) json += (j ? ", " : "") + json_number(t.at<double>(i, j));
      json += "]";
    }
    std::printf("%s]\n", json.c_str());
  });
}

}  // namespace ojo::cli
