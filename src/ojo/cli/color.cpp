// ojo cvtcolor (cv::cvtColor; see include/ojo/imgproc/color.hpp).
//
//   ojo cvtcolor --code RGB2HSV IN OUT.npy        ojo cvtcolor --code COLOR_RGB2GRAY IN OUT.png
//
// Images are read as RGB (what imread returns), so --code applies to the array as read: use the
// RGB* codes (RGB2GRAY, RGB2HSV, HSV2RGB...) on image files; a BGR* code would treat red as blue.
#include <memory>
#include <string>

#include "common.hpp"
#include "ojo/imgproc/color.hpp"
#include "values.hpp"

namespace ojo::cli {
namespace {

const ConstantTable kColorCodes{
    .prefix = "COLOR_",
    .names = {{"COLOR_BGR2BGRA", COLOR_BGR2BGRA},       {"COLOR_RGB2RGBA", COLOR_RGB2RGBA},
              {"COLOR_BGRA2BGR", COLOR_BGRA2BGR},       {"COLOR_RGBA2RGB", COLOR_RGBA2RGB},
              {"COLOR_BGR2RGBA", COLOR_BGR2RGBA},       {"COLOR_RGB2BGRA", COLOR_RGB2BGRA},
              {"COLOR_RGBA2BGR", COLOR_RGBA2BGR},       {"COLOR_BGRA2RGB", COLOR_BGRA2RGB},
              {"COLOR_BGR2RGB", COLOR_BGR2RGB},         {"COLOR_RGB2BGR", COLOR_RGB2BGR},
              {"COLOR_BGRA2RGBA", COLOR_BGRA2RGBA},     {"COLOR_RGBA2BGRA", COLOR_RGBA2BGRA},
              {"COLOR_BGR2GRAY", COLOR_BGR2GRAY},       {"COLOR_RGB2GRAY", COLOR_RGB2GRAY},
              {"COLOR_GRAY2BGR", COLOR_GRAY2BGR},       {"COLOR_GRAY2RGB", COLOR_GRAY2RGB},
              {"COLOR_GRAY2BGRA", COLOR_GRAY2BGRA},     {"COLOR_GRAY2RGBA", COLOR_GRAY2RGBA},
              {"COLOR_BGRA2GRAY", COLOR_BGRA2GRAY},     {"COLOR_RGBA2GRAY", COLOR_RGBA2GRAY},
              {"COLOR_BGR2HSV", COLOR_BGR2HSV},         {"COLOR_RGB2HSV", COLOR_RGB2HSV},
              {"COLOR_BGR2HLS", COLOR_BGR2HLS},         {"COLOR_RGB2HLS", COLOR_RGB2HLS},
              {"COLOR_HSV2BGR", COLOR_HSV2BGR},         {"COLOR_HSV2RGB", COLOR_HSV2RGB},
              {"COLOR_HLS2BGR", COLOR_HLS2BGR},         {"COLOR_HLS2RGB", COLOR_HLS2RGB},
              {"COLOR_BGR2HSV_FULL", COLOR_BGR2HSV_FULL}, {"COLOR_RGB2HSV_FULL", COLOR_RGB2HSV_FULL},
              {"COLOR_BGR2HLS_FULL", COLOR_BGR2HLS_FULL}, {"COLOR_RGB2HLS_FULL", COLOR_RGB2HLS_FULL},
              {"COLOR_HSV2BGR_FULL", COLOR_HSV2BGR_FULL}, {"COLOR_HSV2RGB_FULL", COLOR_HSV2RGB_FULL},
              {"COLOR_HLS2BGR_FULL", COLOR_HLS2BGR_FULL}, {"COLOR_HLS2RGB_FULL", COLOR_HLS2RGB_FULL}},
};

struct CvtColorOptions {
  std::string input, output, code;
  int dst_cn = 0;
};

}  // namespace

void register_color(CLI::App& app) {
  auto o = std::make_shared<CvtColorOptions>();
  CLI::App* cmd = app.add_subcommand("cvtcolor", "Convert between colour spaces (cv::cvtColor)");
  cmd->footer(
      "Images are read as RGB (RGBA with alpha), so the code applies to the array as read: use the RGB* codes,\n"
      "e.g. --code RGB2GRAY, --code RGB2HSV (H 0..179), --code HSV2RGB on a saved HSV .npy. A BGR* code swaps\n"
      "red and blue, as OpenCV does on an array in that order. u8 results are bit-exact with OpenCV 4.6.\n"
      "Save HSV/HLS results as .npy: a PNG viewer would show H, S, V as if they were R, G, B.\n");
  cmd->add_option("IN", o->input, "Input image or .npy (uint8 or float32)")->required();
  cmd->add_option("OUT", o->output, "Output image or .npy")->required();
  cmd->add_option("--code", o->code,
                  "OpenCV colour code, with or without COLOR_: RGB2GRAY, GRAY2RGB, RGB2BGR, RGB2RGBA, RGBA2RGB, "
                  "RGB2HSV, HSV2RGB, RGB2HSV_FULL, RGB2HLS, HLS2RGB, ... (BGR variants too)")
      ->required();
  cmd->add_option("--dst-cn", o->dst_cn, "Channels of the output for HSV2*/HLS2* (0 = automatic, 3 or 4)")
      ->capture_default_str();
  cmd->callback([o] {
    const int code = parse_constant("cvtcolor: --code", o->code, kColorCodes);
    write_array(o->output, cvtColor(read_array(o->input), code, o->dst_cn));
  });
}

}  // namespace ojo::cli
