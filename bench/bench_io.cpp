// bench_io: image file encode/decode, ojo against OpenCV 4.6, side by side in the same run.
//
//   build/bin/bench_io [--filter TEXT] [--min-reps N] [--seconds S]
//
// Input: skimage's chelsea.png resized by OpenCV (INTER_CUBIC) to 1920x1080 RGB, plus its gray
// version. Cases: imdecode/imencode (in memory) and imread/imwrite (files in a temporary folder) for
// PNG and JPEG (quality 95). Each library gives its native output (ojo RGB, OpenCV BGR). Before
// timing, every case checks that both produce the same pixels (decoders) or the same bytes
// (encoders, whose settings match OpenCV's defaults).
//
// Note on imwrite: ojo writes a temporary file, fsyncs it and renames it (crash-safe); OpenCV
// writes in place without fsync. The "imwrite" cases therefore include an fsync that OpenCV skips.
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <string>

#include "harness.hpp"
#include "ojo/io/file.hpp"
#include "ojo/io/image.hpp"

namespace {

bool same_pixels(const ojo::Tensor& ours, cv::Mat theirs) {
  if (theirs.channels() == 3) cv::cvtColor(theirs, theirs, cv::COLOR_BGR2RGB);
  const int64_t c = ours.dim() == 3 ? ours.size(2) : 1;
  if (ours.size(0) != theirs.rows || ours.size(1) != theirs.cols || c != theirs.channels()) return false;
  return std::memcmp(ours.contiguous().raw_data(), theirs.data, theirs.total() * theirs.elemSize()) == 0;
}

std::string cv_encode(const std::string& ext, const cv::Mat& m, const std::vector<int>& params = {}) {
  std::vector<uchar> buf;
  cv::imencode(ext, m, buf, params);
  return std::string(buf.begin(), buf.end());
}

}  // namespace

int main(int argc, char** argv) {
  const bench::Options options = bench::parse_options(argc, argv);
  const std::string photo = "/usr/lib/python3/dist-packages/skimage/data/chelsea.png";
  cv::Mat bgr = cv::imread(photo, cv::IMREAD_COLOR);
  if (bgr.empty()) {
    std::fprintf(stderr, "bench_io: cannot read %s (run scripts/setup)\n", photo.c_str());
    return 1;
  }
  cv::resize(bgr, bgr, cv::Size(1920, 1080), 0, 0, cv::INTER_CUBIC);
  cv::Mat gray_cv, rgb_cv;
  cv::cvtColor(bgr, gray_cv, cv::COLOR_BGR2GRAY);
  cv::cvtColor(bgr, rgb_cv, cv::COLOR_BGR2RGB);
  const ojo::Tensor rgb = ojo::Tensor::from_blob(rgb_cv.data, {1080, 1920, 3}, ojo::DType::u8);
  const ojo::Tensor gray = ojo::Tensor::from_blob(gray_cv.data, {1080, 1920}, ojo::DType::u8);

  char tmpl[] = "/tmp/ojo-bench-io-XXXXXX";
  if (!mkdtemp(tmpl)) {
    std::perror("bench_io: mkdtemp");
    return 1;
  }
  const std::string dir = tmpl;

  bench::Report report("OpenCV");
  struct Image {
    const char* name;
    const ojo::Tensor& ours;
    const cv::Mat& theirs;
    int cv_flag;
    ojo::ImreadMode mode;
  };
  const Image images[] = {{"1080p rgb", rgb, bgr, cv::IMREAD_COLOR, ojo::ImreadMode::color},
                          {"1080p gray", gray, gray_cv, cv::IMREAD_GRAYSCALE, ojo::ImreadMode::gray}};
  for (const Image& im : images) {
    for (const char* ext : {".png", ".jpg"}) {
      const std::string fmt = std::string(ext + 1) + " " + im.name;
      const std::string bytes = ojo::imencode(ext, im.ours);
      const cv::Mat buf(1, static_cast<int>(bytes.size()), CV_8U, const_cast<char*>(bytes.data()));

      const std::string dec = "imdecode " + fmt;
      if (options.selects(dec)) {
        if (!same_pixels(ojo::imdecode(bytes, im.mode), cv::imdecode(buf, im.cv_flag))) report.mismatch(dec);
        else
          report.add(dec, bench::time_pair([&] { ojo::imdecode(bytes, im.mode); },
                                           [&] { cv::imdecode(buf, im.cv_flag); }, options));
      }
      const std::string enc = "imencode " + fmt;
      if (options.selects(enc)) {
        if (bytes != cv_encode(ext, im.theirs)) report.mismatch(enc);
        else
          report.add(enc, bench::time_pair([&] { ojo::imencode(ext, im.ours); },
                                           [&] { cv_encode(ext, im.theirs); }, options));
      }
      const std::string path_ojo = dir + "/ojo" + ext, path_cv = dir + "/cv" + ext;
      const std::string rd = "imread " + fmt;
      if (options.selects(rd)) {
        ojo::write_file_atomic(path_ojo, bytes, "bench");
        if (!same_pixels(ojo::imread(path_ojo, im.mode), cv::imread(path_ojo, im.cv_flag))) report.mismatch(rd);
        else
          report.add(rd, bench::time_pair([&] { ojo::imread(path_ojo, im.mode); },
                                          [&] { cv::imread(path_ojo, im.cv_flag); }, options));
      }
      const std::string wr = "imwrite " + fmt + " (ojo fsyncs)";
      if (options.selects(wr)) {
        ojo::imwrite(path_ojo, im.ours);
        cv::imwrite(path_cv, im.theirs);
        if (ojo::read_file(path_ojo, "bench") != ojo::read_file(path_cv, "bench")) report.mismatch(wr);
        else
          report.add(wr, bench::time_pair([&] { ojo::imwrite(path_ojo, im.ours); },
                                          [&] { cv::imwrite(path_cv, im.theirs); }, options));
      }
    }
  }
  std::filesystem::remove_all(dir);
  return report.finish();
}
