// ojo inrange | bitwise_not | bitwise_and | bitwise_or | bitwise_xor | setto | chromakey
// (see include/ojo/imgproc/mask.hpp).
//
//   ojo inrange --lowerb 0,0,180 --upperb 70,70,255 IN MASK.png
//   ojo bitwise_and --mask MASK.png IN1 IN2 OUT             ojo bitwise_not MASK.png INV.png
//   ojo setto --mask MASK.png --value 0,0,0 IN OUT           (img[mask != 0] = value)
//   ojo chromakey --background BG.png --lowerb 40,40,40 --upperb 80,255,255 --space HSV IN OUT
#include <memory>
#include <optional>
#include <string>

#include "common.hpp"
#include "ojo/imgproc/mask.hpp"
#include "values.hpp"

namespace ojo::cli {
namespace {

struct InRangeOptions {
  std::string input, output, lowerb, upperb;
};
struct BitwiseOptions {
  std::string a, b, output;
  std::optional<std::string> mask;
};
struct SetToOptions {
  std::string input, output, value;
  std::optional<std::string> mask;
};
struct ChromaKeyCliOptions {
  std::string input, output, background, lowerb, upperb, space = "RGB";
  std::optional<std::string> origin;
};

Tensor read_mask(const std::optional<std::string>& path) { return path ? read_array(*path) : Tensor(); }

void add_bitwise(CLI::App& app, const std::string& name, bool unary) {
  auto o = std::make_shared<BitwiseOptions>();
  CLI::App* cmd = app.add_subcommand(
      name, unary ? "Invert every bit (cv::bitwise_not); with --mask, 0 outside the mask"
                  : "Per-element " + name.substr(8) + " of two images of one shape (cv::" + name +
                        "); with --mask, 0 outside the mask");
  cmd->add_option("IN1", o->a, "Input image or .npy")->required();
  if (!unary) cmd->add_option("IN2", o->b, "Second input, same shape and dtype")->required();
  cmd->add_option("OUT", o->output, "Output image or .npy")->required();
  cmd->add_option("--mask", o->mask, "8-bit mask image (H x W, non-zero = keep), e.g. from `ojo inrange`");
  cmd->callback([o, name, unary] {
    const Tensor a = read_array(o->a), mask = read_mask(o->mask);
    Tensor out;
    if (unary) out = bitwise_not(a, mask);
    else if (name == "bitwise_and") out = bitwise_and(a, read_array(o->b), mask);
    else if (name == "bitwise_or") out = bitwise_or(a, read_array(o->b), mask);
    else out = bitwise_xor(a, read_array(o->b), mask);
    write_array(o->output, out);
  });
}

}  // namespace

void register_mask(CLI::App& app) {
  auto r = std::make_shared<InRangeOptions>();
  CLI::App* cmd = app.add_subcommand("inrange", "Mask of pixels within [lowerb, upperb] per channel (cv::inRange)");
  cmd->footer("Bounds are in the array's channel order: RGB for image files (imread returns RGB), HSV for a\n"
              "`cvtcolor --code RGB2HSV` result. One value applies to every channel.");
  cmd->add_option("IN", r->input, "Input image or .npy (1 to 4 channels)")->required();
  cmd->add_option("OUT", r->output, "Output mask (uint8, 0 or 255)")->required();
  cmd->add_option("--lowerb", r->lowerb, "Lower bounds, one per channel: 0,0,180")->required();
  cmd->add_option("--upperb", r->upperb, "Upper bounds (inclusive): 70,70,255")->required();
  cmd->callback([r] {
    write_array(r->output, inRange(read_array(r->input), parse_list("inrange: --lowerb", r->lowerb),
                                   parse_list("inrange: --upperb", r->upperb)));
  });

  add_bitwise(app, "bitwise_not", true);
  add_bitwise(app, "bitwise_and", false);
  add_bitwise(app, "bitwise_or", false);
  add_bitwise(app, "bitwise_xor", false);

  auto s = std::make_shared<SetToOptions>();
  CLI::App* scmd = app.add_subcommand("setto", "Set pixels where the mask is non-zero to a value (Mat::setTo, "
                                               "NumPy img[mask != 0] = value)");
  scmd->add_option("IN", s->input, "Input image or .npy")->required();
  scmd->add_option("OUT", s->output, "Output image or .npy")->required();
  scmd->add_option("--value", s->value, "Value per channel (RGB order for images) or one for all: 0,0,0")->required();
  scmd->add_option("--mask", s->mask, "8-bit mask image (H x W); without it every pixel is set");
  scmd->callback([s] {
    const Tensor img = read_array(s->input).contiguous();
    write_array(s->output, setTo(img, parse_list("setto: --value", s->value), read_mask(s->mask)));
  });

  auto c = std::make_shared<ChromaKeyCliOptions>();
  CLI::App* ccmd = app.add_subcommand("chromakey", "Replace a blue/green screen with a background (guide §9, §11)");
  ccmd->footer(
      "mask = inRange(IN or its HSV, lowerb, upperb); OUT = IN where mask is 0, the background crop where it is 255.\n"
      "The background is cropped to IN's size from its top-left corner, or from --origin X,Y; it must be at\n"
      "least that large (resize it first with `ojo resize`).\n"
      "Examples: --lowerb 0,0,180 --upperb 70,70,255 (blue screen, RGB);\n"
      "          --space HSV --lowerb 40,40,40 --upperb 80,255,255 (green screen, OpenCV HSV, H 0..179).");
  ccmd->add_option("IN", c->input, "Scene image (8-bit RGB)")->required();
  ccmd->add_option("OUT", c->output, "Output image")->required();
  ccmd->add_option("--background", c->background, "New background image (8-bit, at least the scene's size)")
      ->required();
  ccmd->add_option("--lowerb", c->lowerb, "Lower bounds of the screen colour, per channel")->required();
  ccmd->add_option("--upperb", c->upperb, "Upper bounds of the screen colour, per channel")->required();
  ccmd->add_option("--space", c->space, "RGB (bounds on the pixels) or HSV (bounds on COLOR_RGB2HSV)")
      ->capture_default_str();
  ccmd->add_option("--origin", c->origin, "Top-left corner X,Y of the crop in the background (default 0,0)");
  ccmd->callback([c] {
    const ConstantTable spaces{.prefix = "", .names = {{"RGB", 0}, {"HSV", 1}}};
    ChromaKeyOptions opts;
    opts.space = parse_constant("chromakey: --space", c->space, spaces) == 1 ? KeySpace::HSV : KeySpace::RGB;
    opts.lowerb = parse_list("chromakey: --lowerb", c->lowerb);
    opts.upperb = parse_list("chromakey: --upperb", c->upperb);
    if (c->origin) {
      const std::vector<int64_t> xy = parse_int_list("chromakey: --origin", *c->origin);
      check(xy.size() == 2, "chromakey: --origin", "'", *c->origin, "' needs two integers X,Y");
      opts.origin = {xy[0], xy[1]};
    }
    write_array(c->output, chromaKey(read_array(c->input), read_array(c->background), opts));
  });
}

}  // namespace ojo::cli
