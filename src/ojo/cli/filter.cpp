// ojo filter2d | sepfilter2d | gaussianblur | blur | boxfilter | sobel | scharr | laplacian | medianblur
// (cv::filter2D ... cv::medianBlur; see include/ojo/imgproc/filter.hpp).
//
//   ojo gaussianblur --ksize 5 --sigma-x 0 IN OUT
//   ojo filter2d --kernel sharpen IN OUT                       # or "0,-1,0;-1,5,-1;0,-1,0" or k.npy
//   ojo sobel --ddepth CV_16S --dx 1 --dy 0 IN OUT.npy          # int16 results go to .npy
//   ojo medianblur --ksize 5 IN OUT
//
// 8-bit results can be written as images; int16/float results only as .npy (as OpenCV's imwrite
// cannot store them in PNG/JPEG either), and the command says so before writing anything.
#include <memory>
#include <optional>
#include <string>

#include "common.hpp"
#include "ojo/imgproc/filter.hpp"
#include "values.hpp"

namespace ojo::cli {
namespace {

const ConstantTable kFilterBorders{.prefix = "BORDER_",
                                   .names = {{"BORDER_CONSTANT", BORDER_CONSTANT}, {"BORDER_REPLICATE", BORDER_REPLICATE},
                                             {"BORDER_REFLECT", BORDER_REFLECT}, {"BORDER_REFLECT_101", BORDER_REFLECT_101},
                                             {"BORDER_REFLECT101", BORDER_REFLECT_101}, {"BORDER_DEFAULT", BORDER_DEFAULT},
                                             {"BORDER_ISOLATED", BORDER_ISOLATED}},
                                   .flags = true};
const ConstantTable kDepths{.prefix = "CV_",
                            .names = {{"-1", -1}, {"CV_8U", CV_8U}, {"CV_16U", CV_16U}, {"CV_16S", CV_16S},
                                      {"CV_32F", CV_32F}, {"CV_64F", CV_64F}}};

struct FilterOptions {
  std::string input, output;
  std::optional<std::string> ddepth, kernel, kernel_x, kernel_y, anchor, ksize, border_type, normalize;
  double delta = 0, scale = 1, sigma_x = 0, sigma_y = 0;
  int dx = 0, dy = 0;
};

int border_of(const FilterOptions& o, const std::string& cmd) {
  return o.border_type ? parse_constant(cmd + ": --border-type", *o.border_type, kFilterBorders) : BORDER_DEFAULT;
}
int ddepth_of(const FilterOptions& o, const std::string& cmd) {
  return o.ddepth ? parse_constant(cmd + ": --ddepth", *o.ddepth, kDepths) : -1;
}
Point anchor_of(const FilterOptions& o, const std::string& cmd) {
  if (!o.anchor) return {-1, -1};
  const std::vector<int64_t> v = parse_int_list(cmd + ": --anchor", *o.anchor);
  check(v.size() == 2, cmd + ": --anchor", "'", *o.anchor, "' needs two numbers x,y");
  return {v[0], v[1]};
}
Size ksize_of(const FilterOptions& o, const std::string& cmd) {
  check(o.ksize.has_value(), cmd, "--ksize is required (W,H or one number for a square)");
  const Size2 s = parse_size(cmd + ": --ksize", *o.ksize);
  return {s.width, s.height};
}
// A named kernel of the guide (sharpen, emboss, ...), a matrix "a,b;c,d" or a .npy file.
Tensor kernel_of(const std::string& option, const std::string& text) {
  for (const char* name : {"sobel_x", "sobel_y", "laplacian", "sharpen", "emboss", "outline", "average"})
    if (text == name) return namedKernel(text);
  return parse_matrix(option, text);
}
// A 1-d kernel: "1,2,1" or a .npy vector.
Tensor vector_of(const std::string& option, const std::string& text) {
  const Tensor m = parse_matrix(option, text);
  return m.size(0) == 1 ? m.reshape({m.size(1), 1}) : m;
}

// Refuses non-8-bit results for image files up front (nothing is written), as imwrite would.
void write_result(const std::string& cmd, const std::string& path, const Tensor& t) {
  if (!is_npy(path) && t.dtype() != DType::u8)
    fail(cmd, "the result is ", dtype_name(t.dtype()), ", which ", path,
         " cannot store (image files hold 8-bit pixels); write it to a .npy file, or use --ddepth -1 for an 8-bit result");
  write_array(path, t);
}

void add_io(CLI::App* cmd, FilterOptions& o) {
  cmd->add_option("IN", o.input, "Input image or .npy")->required();
  cmd->add_option("OUT", o.output, "Output: an image file for 8-bit results, or .npy (exact array)")->required();
}
void add_border(CLI::App* cmd, FilterOptions& o) {
  cmd->add_option("--border-type", o.border_type,
                  "BORDER_REFLECT_101 (default), BORDER_REFLECT, BORDER_REPLICATE or BORDER_CONSTANT (| BORDER_ISOLATED)");
}
void add_ddepth(CLI::App* cmd, FilterOptions& o) {
  cmd->add_option("--ddepth", o.ddepth, "Output depth: -1 (same as input, default), CV_8U, CV_16S, CV_32F, CV_64F");
}

}  // namespace

void register_filter(CLI::App& app) {
  {
    auto o = std::make_shared<FilterOptions>();
    CLI::App* cmd = app.add_subcommand("filter2d", "Correlate with a kernel (cv::filter2D)");
    add_io(cmd, *o);
    add_ddepth(cmd, *o);
    cmd->add_option("--kernel", o->kernel,
                    "Kernel: a guide name (sobel_x, sobel_y, laplacian, sharpen, emboss, outline, average), "
                    "a matrix \"0,-1,0;-1,5,-1;0,-1,0\" or a .npy file")
        ->required();
    cmd->add_option("--anchor", o->anchor, "Anchor x,y in the kernel (default -1,-1: the centre)");
    cmd->add_option("--delta", o->delta, "Added to every result")->capture_default_str();
    add_border(cmd, *o);
    cmd->callback([o] {
      const std::string n = "filter2d";
      const Tensor k = kernel_of(n + ": --kernel", *o->kernel);
      write_result(n, o->output, filter2D(read_array(o->input), ddepth_of(*o, n), k, anchor_of(*o, n), o->delta, border_of(*o, n)));
    });
  }
  {
    auto o = std::make_shared<FilterOptions>();
    CLI::App* cmd = app.add_subcommand("sepfilter2d", "Separable filter: rows with kernel-x, columns with kernel-y (cv::sepFilter2D)");
    add_io(cmd, *o);
    add_ddepth(cmd, *o);
    cmd->add_option("--kernel-x", o->kernel_x, "Row kernel, e.g. \"1,2,1\", or a .npy vector")->required();
    cmd->add_option("--kernel-y", o->kernel_y, "Column kernel, e.g. \"-1,0,1\", or a .npy vector")->required();
    cmd->add_option("--anchor", o->anchor, "Anchor x,y (default -1,-1: the centre)");
    cmd->add_option("--delta", o->delta, "Added to every result")->capture_default_str();
    add_border(cmd, *o);
    cmd->callback([o] {
      const std::string n = "sepfilter2d";
      write_result(n, o->output,
                   sepFilter2D(read_array(o->input), ddepth_of(*o, n), vector_of(n + ": --kernel-x", *o->kernel_x),
                               vector_of(n + ": --kernel-y", *o->kernel_y), anchor_of(*o, n), o->delta, border_of(*o, n)));
    });
  }
  {
    auto o = std::make_shared<FilterOptions>();
    CLI::App* cmd = app.add_subcommand("gaussianblur", "Gaussian blur, bit-exact with OpenCV for 8-bit images (cv::GaussianBlur)");
    add_io(cmd, *o);
    cmd->add_option("--ksize", o->ksize, "Kernel size W,H or N (odd; 0 = from sigma)")->required();
    cmd->add_option("--sigma-x", o->sigma_x, "Standard deviation in x (0 = from ksize)")->capture_default_str();
    cmd->add_option("--sigma-y", o->sigma_y, "Standard deviation in y (0 = sigma-x)")->capture_default_str();
    add_border(cmd, *o);
    cmd->callback([o] {
      const std::string n = "gaussianblur";
      write_result(n, o->output, GaussianBlur(read_array(o->input), ksize_of(*o, n), o->sigma_x, o->sigma_y, border_of(*o, n)));
    });
  }
  {
    auto o = std::make_shared<FilterOptions>();
    CLI::App* cmd = app.add_subcommand("blur", "Mean over a ksize window (cv::blur)");
    add_io(cmd, *o);
    cmd->add_option("--ksize", o->ksize, "Window size W,H or N")->required();
    cmd->add_option("--anchor", o->anchor, "Anchor x,y (default -1,-1: the centre)");
    add_border(cmd, *o);
    cmd->callback([o] {
      const std::string n = "blur";
      write_result(n, o->output, blur(read_array(o->input), ksize_of(*o, n), anchor_of(*o, n), border_of(*o, n)));
    });
  }
  {
    auto o = std::make_shared<FilterOptions>();
    CLI::App* cmd = app.add_subcommand("boxfilter", "Sum (or mean, --normalize) over a ksize window (cv::boxFilter)");
    add_io(cmd, *o);
    add_ddepth(cmd, *o);
    cmd->add_option("--ksize", o->ksize, "Window size W,H or N")->required();
    cmd->add_option("--anchor", o->anchor, "Anchor x,y (default -1,-1: the centre)");
    cmd->add_option("--normalize", o->normalize, "Divide by the window area: true (default) or false");
    add_border(cmd, *o);
    cmd->callback([o] {
      const std::string n = "boxfilter";
      const bool normalize = o->normalize ? parse_bool(n + ": --normalize", *o->normalize) : true;
      write_result(n, o->output, boxFilter(read_array(o->input), ddepth_of(*o, n), ksize_of(*o, n), anchor_of(*o, n), normalize,
                                           border_of(*o, n)));
    });
  }
  for (const bool scharr : {false, true}) {
    auto o = std::make_shared<FilterOptions>();
    CLI::App* cmd = scharr ? app.add_subcommand("scharr", "3x3 Scharr derivative (cv::Scharr)")
                           : app.add_subcommand("sobel", "Sobel derivative of order dx, dy (cv::Sobel)");
    add_io(cmd, *o);
    add_ddepth(cmd, *o);
    cmd->add_option("--dx", o->dx, "Order of the x derivative")->required();
    cmd->add_option("--dy", o->dy, "Order of the y derivative")->required();
    if (!scharr) cmd->add_option("--ksize", o->ksize, "1, 3 (default), 5, 7, ... 31, or FILTER_SCHARR");
    cmd->add_option("--scale", o->scale, "Multiplies the derivative")->capture_default_str();
    cmd->add_option("--delta", o->delta, "Added to every result")->capture_default_str();
    add_border(cmd, *o);
    cmd->callback([o, scharr] {
      const std::string n = scharr ? "scharr" : "sobel";
      const Tensor img = read_array(o->input);
      if (scharr) {
        write_result(n, o->output, Scharr(img, ddepth_of(*o, n), o->dx, o->dy, o->scale, o->delta, border_of(*o, n)));
        return;
      }
      int ksize = 3;
      if (o->ksize) {
        int64_t v = 0;
        ksize = detail::to_int(*o->ksize, v) ? static_cast<int>(v)
                                             : parse_constant(n + ": --ksize", *o->ksize,
                                                              ConstantTable{.prefix = "", .names = {{"FILTER_SCHARR", FILTER_SCHARR}}});
      }
      write_result(n, o->output, Sobel(img, ddepth_of(*o, n), o->dx, o->dy, ksize, o->scale, o->delta, border_of(*o, n)));
    });
  }
  {
    auto o = std::make_shared<FilterOptions>();
    CLI::App* cmd = app.add_subcommand("laplacian", "Laplacian d2/dx2 + d2/dy2 (cv::Laplacian)");
    add_io(cmd, *o);
    add_ddepth(cmd, *o);
    cmd->add_option("--ksize", o->ksize, "Aperture: 1 (default), 3, 5, ... 31");
    cmd->add_option("--scale", o->scale, "Multiplies the result")->capture_default_str();
    cmd->add_option("--delta", o->delta, "Added to every result")->capture_default_str();
    add_border(cmd, *o);
    cmd->callback([o] {
      const std::string n = "laplacian";
      int64_t ksize = 1;
      if (o->ksize) check(detail::to_int(*o->ksize, ksize), n + ": --ksize", "'", *o->ksize, "' is not an integer");
      write_result(n, o->output, Laplacian(read_array(o->input), ddepth_of(*o, n), static_cast<int>(ksize), o->scale, o->delta,
                                           border_of(*o, n)));
    });
  }
  {
    auto o = std::make_shared<FilterOptions>();
    CLI::App* cmd = app.add_subcommand("medianblur", "Median of each ksize x ksize window (cv::medianBlur)");
    add_io(cmd, *o);
    cmd->add_option("--ksize", o->ksize, "Odd window size: 3, 5 (any dtype), larger for 8-bit images")->required();
    cmd->callback([o] {
      const std::string n = "medianblur";
      int64_t ksize = 0;
      check(detail::to_int(*o->ksize, ksize), n + ": --ksize", "'", *o->ksize, "' is not an integer");
      write_result(n, o->output, medianBlur(read_array(o->input), static_cast<int>(ksize)));
    });
  }
}

}  // namespace ojo::cli
