// ojo split | merge (cv::split, cv::merge; see include/ojo/imgproc/channels.hpp).
//
//   ojo split --channel 0 IN RED.png          ojo merge R.png G.png B.png OUT.png
#include <memory>
#include <string>
#include <vector>

#include "common.hpp"
#include "ojo/imgproc/channels.hpp"

namespace ojo::cli {
namespace {
struct SplitOptions {
  std::string input, output;
  int64_t channel = 0;
};
}  // namespace

void register_channels(CLI::App& app) {
  auto s = std::make_shared<SplitOptions>();
  CLI::App* cmd = app.add_subcommand("split", "Write one channel of an image as a gray image (cv::split)");
  cmd->footer("Images are read as RGB: --channel 0 is red, 1 green, 2 blue (3 alpha).");
  cmd->add_option("IN", s->input, "Input image or .npy")->required();
  cmd->add_option("OUT", s->output, "Output image or .npy ({H, W})")->required();
  cmd->add_option("--channel", s->channel, "Channel index K (0-based)")->required();
  cmd->callback([s] { write_array(s->output, extractChannel(read_array(s->input), s->channel)); });

  auto files = std::make_shared<std::vector<std::string>>();
  CLI::App* mcmd = app.add_subcommand("merge", "Stack gray images as the channels of one image (cv::merge)");
  mcmd->footer("merge C0 C1 [C2 [C3]] OUT: the inputs become channels 0, 1, ... (R, G, B, A for an image file).");
  mcmd->add_option("FILES", *files, "Inputs (1-channel images or .npy, same size), then the output")->required();
  mcmd->callback([files] {
    check(files->size() >= 2, "merge", "expected at least one input and an output, got ", files->size(), " file(s)");
    std::vector<Tensor> planes;
    for (size_t i = 0; i + 1 < files->size(); ++i) planes.push_back(read_array((*files)[i]));
    write_array(files->back(), merge(planes));
  });
}

}  // namespace ojo::cli
