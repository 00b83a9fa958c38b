// ojo erode | dilate | morphologyex | getstructuringelement (cv::erode, cv::dilate,
// cv::morphologyEx, cv::getStructuringElement; see include/ojo/imgproc/morphology.hpp).
//
//   ojo erode --shape MORPH_ELLIPSE --ksize 5 IN OUT          # element built by getStructuringElement
//   ojo dilate --kernel "0,1,0;1,1,1;0,1,0" --iterations 2 IN OUT
//   ojo morphologyex --op GRADIENT --ksize 3 IN OUT
//   ojo getstructuringelement --shape ELLIPSE --ksize 7,5 OUT.npy
#include <memory>
#include <optional>
#include <string>

#include "common.hpp"
#include "ojo/imgproc/morphology.hpp"
#include "values.hpp"

namespace ojo::cli {
namespace {

const ConstantTable kShapes{.prefix = "MORPH_",
                            .names = {{"MORPH_RECT", MORPH_RECT}, {"MORPH_CROSS", MORPH_CROSS}, {"MORPH_ELLIPSE", MORPH_ELLIPSE}}};
const ConstantTable kOps{.prefix = "MORPH_",
                         .names = {{"MORPH_ERODE", MORPH_ERODE}, {"MORPH_DILATE", MORPH_DILATE}, {"MORPH_OPEN", MORPH_OPEN},
                                   {"MORPH_CLOSE", MORPH_CLOSE}, {"MORPH_GRADIENT", MORPH_GRADIENT},
                                   {"MORPH_TOPHAT", MORPH_TOPHAT}, {"MORPH_BLACKHAT", MORPH_BLACKHAT},
                                   {"MORPH_HITMISS", MORPH_HITMISS}}};
const ConstantTable kBorders{.prefix = "BORDER_",
                             .names = {{"BORDER_CONSTANT", BORDER_CONSTANT}, {"BORDER_REPLICATE", BORDER_REPLICATE},
                                       {"BORDER_REFLECT", BORDER_REFLECT}, {"BORDER_REFLECT_101", BORDER_REFLECT_101},
                                       {"BORDER_REFLECT101", BORDER_REFLECT_101}, {"BORDER_DEFAULT", BORDER_DEFAULT}}};

struct MorphOptions {
  std::string input, output;
  std::optional<std::string> kernel, shape, ksize, anchor, border_type, border_value, op;
  int iterations = 1;
};

Point parse_point(const std::string& option, const std::string& text) {
  const std::vector<int64_t> v = parse_int_list(option, text);
  check(v.size() == 2, option, "'", text, "' needs two numbers x,y");
  return {v[0], v[1]};
}

Size parse_ksize(const std::string& option, const std::string& text) {
  const Size2 s = parse_size(option, text);
  return {s.width, s.height};
}

// --kernel (matrix text or .npy), else --shape/--ksize, else OpenCV's default 3x3 rectangle.
Tensor kernel_of(const MorphOptions& o, const std::string& cmd) {
  if (o.kernel) {
    check(!o.shape && !o.ksize, cmd, "give either --kernel or --shape/--ksize, not both");
    return parse_matrix(cmd + ": --kernel", *o.kernel);
  }
  if (!o.shape && !o.ksize) return Tensor();
  const int shape = o.shape ? parse_constant(cmd + ": --shape", *o.shape, kShapes) : MORPH_RECT;
  const Size ksize = o.ksize ? parse_ksize(cmd + ": --ksize", *o.ksize) : Size{3, 3};
  return getStructuringElement(shape, ksize);
}

void run(const MorphOptions& o, const std::string& cmd, int fixed_op) {
  const int op = fixed_op >= 0 ? fixed_op : parse_constant(cmd + ": --op", o.op.value_or(""), kOps);
  const Tensor kernel = kernel_of(o, cmd);
  const Point anchor = o.anchor ? parse_point(cmd + ": --anchor", *o.anchor) : Point{-1, -1};
  const int border = o.border_type ? parse_constant(cmd + ": --border-type", *o.border_type, kBorders) : BORDER_CONSTANT;
  const std::vector<double> value =
      o.border_value ? parse_list(cmd + ": --border-value", *o.border_value) : morphologyDefaultBorderValue();
  const Tensor img = read_array(o.input);
  write_array(o.output, morphologyEx(img, op, kernel, anchor, o.iterations, border, value));
}

void add_morph_command(CLI::App& app, const std::string& name, const std::string& help, int fixed_op) {
  auto o = std::make_shared<MorphOptions>();
  CLI::App* cmd = app.add_subcommand(name, help);
  cmd->add_option("IN", o->input, "Input image or .npy")->required();
  cmd->add_option("OUT", o->output, "Output image or .npy")->required();
  if (fixed_op < 0)
    cmd->add_option("--op", o->op, "MORPH_ERODE, DILATE, OPEN, CLOSE, GRADIENT, TOPHAT, BLACKHAT or HITMISS")
        ->required();
  cmd->add_option("--kernel", o->kernel,
                  "Structuring element as a matrix (\"0,1,0;1,1,1;0,1,0\", nonzero = part of it) or a .npy file");
  cmd->add_option("--shape", o->shape, "Build the element: MORPH_RECT (default), MORPH_CROSS or MORPH_ELLIPSE");
  cmd->add_option("--ksize", o->ksize, "Size of the built element, W,H or N (default 3; no element: 3x3 rect)");
  cmd->add_option("--anchor", o->anchor, "Anchor x,y inside the element (default -1,-1: the centre)");
  cmd->add_option("--iterations", o->iterations, "Times to apply (OpenCV's semantics)")->capture_default_str();
  cmd->add_option("--border-type", o->border_type,
                  "BORDER_CONSTANT (default), BORDER_REPLICATE, BORDER_REFLECT or BORDER_REFLECT_101");
  cmd->add_option("--border-value", o->border_value,
                  "Border colour for BORDER_CONSTANT, per channel (default: the border never wins)");
  cmd->callback([o, name, fixed_op] { run(*o, name, fixed_op); });
}

struct ElementOptions {
  std::string output, shape, ksize;
  std::optional<std::string> anchor;
};

}  // namespace

void register_morphology(CLI::App& app) {
  add_morph_command(app, "erode", "Erode: minimum over the structuring element (cv::erode)", MORPH_ERODE);
  add_morph_command(app, "dilate", "Dilate: maximum over the structuring element (cv::dilate)", MORPH_DILATE);
  add_morph_command(app, "morphologyex", "Opening, closing, gradient, top/black hat, hit-or-miss (cv::morphologyEx)",
                    -1);
  auto o = std::make_shared<ElementOptions>();
  CLI::App* cmd = app.add_subcommand("getstructuringelement",
                                     "Write a structuring element (u8 0/1, cv::getStructuringElement) to OUT");
  cmd->add_option("OUT", o->output, "Output .npy (exact array) or image")->required();
  cmd->add_option("--shape", o->shape, "MORPH_RECT, MORPH_CROSS or MORPH_ELLIPSE")->required();
  cmd->add_option("--ksize", o->ksize, "Size W,H or N")->required();
  cmd->add_option("--anchor", o->anchor, "Anchor x,y (only matters for MORPH_CROSS)");
  cmd->callback([o] {
    const std::string name = "getstructuringelement";
    const Point anchor = o->anchor ? parse_point(name + ": --anchor", *o->anchor) : Point{-1, -1};
    write_array(o->output, getStructuringElement(parse_constant(name + ": --shape", o->shape, kShapes),
                                                 parse_ksize(name + ": --ksize", o->ksize), anchor));
  });
}

}  // namespace ojo::cli
