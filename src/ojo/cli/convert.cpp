// ojo convert IN OUT [--imread-mode MODE] [--jpeg-quality Q] [--png-compression N]
//
// Reads IN (an image, or a .npy array as stored) and writes OUT in the format of its extension.
// Images are read unchanged by default, so a PNG round-trips exactly with its alpha and 16-bit
// depth; --imread-mode color|gray (OpenCV's IMREAD_COLOR / IMREAD_GRAYSCALE) converts on the way.
// An image written to .npy is the array imread returns (u8/u16, {H, W} or {H, W, C}, RGB order);
// a .npy written as an image must be one imwrite accepts.
#include <memory>
#include <optional>
#include <string>

#include "common.hpp"
#include "ojo/core/error.hpp"
#include "values.hpp"

namespace ojo::cli {
namespace {

const ConstantTable kImreadModes{
    .prefix = "IMREAD_",
    .names = {{"IMREAD_UNCHANGED", -1}, {"IMREAD_GRAYSCALE", 0}, {"IMREAD_COLOR", 1},
              {"unchanged", -1}, {"gray", 0}, {"color", 1}},
};

struct ConvertOptions {
  std::string input, output;
  std::optional<std::string> imread_mode;
  ImwriteOptions write;
};

ImreadMode imread_mode(const std::string& text) {
  switch (parse_constant("convert: --imread-mode", text, kImreadModes)) {
    case 0: return ImreadMode::gray;
    case 1: return ImreadMode::color;
    default: return ImreadMode::unchanged;
  }
}

void run_convert(const ConvertOptions& opts) {
  ImreadMode mode = ImreadMode::unchanged;
  if (opts.imread_mode) {
    mode = imread_mode(*opts.imread_mode);
    check(!is_npy(opts.input), "convert", "--imread-mode applies to image files; ", opts.input,
          " is a .npy array and is read as stored");
  }
  const Tensor img = read_array(opts.input, mode);
  try {
    write_array(opts.output, img, opts.write);
  } catch (const Error& e) {
    // Alpha and 16-bit depth are kept by default; say how to drop them for formats without them.
    const bool plain = img.dtype() == DType::u8 && (img.dim() == 2 || img.size(-1) == 1 || img.size(-1) == 3);
    if (is_npy(opts.input) || is_npy(opts.output) || mode != ImreadMode::unchanged || plain) throw;
    throw Error(std::string(e.what()) + " (the input was read unchanged as " + dtype_name(img.dtype()) + " " +
                shape_str(img.shape()) + "; --imread-mode color gives 8-bit RGB)");
  }
}

}  // namespace

void register_convert(CLI::App& app) {
  auto opts = std::make_shared<ConvertOptions>();
  CLI::App* cmd = app.add_subcommand("convert", "Convert between image formats and .npy (format from OUT's extension)");
  cmd->add_option("IN", opts->input, "Input image or .npy file")->required();
  cmd->add_option("OUT", opts->output, "Output file: .png .jpg .jpeg .bmp .pgm .ppm .pnm or .npy")->required();
  cmd->add_option("--imread-mode", opts->imread_mode,
                  "How to read an image: unchanged (default: channels and depth as stored), color (8-bit RGB) "
                  "or gray; OpenCV's IMREAD_* names work too");
  cmd->add_option("--jpeg-quality", opts->write.jpeg_quality, "JPEG quality 0..100 (IMWRITE_JPEG_QUALITY)")
      ->check(CLI::Range(0, 100))
      ->capture_default_str();
  cmd->add_option("--png-compression", opts->write.png_compression,
                  "PNG compression level 0..9 (IMWRITE_PNG_COMPRESSION)")
      ->check(CLI::Range(0, 9))
      ->capture_default_str();
  cmd->callback([opts] { run_convert(*opts); });
}

}  // namespace ojo::cli
