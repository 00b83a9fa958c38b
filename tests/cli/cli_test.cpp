// ctest-labels: opencv
//
// Runs the `ojo` binary as a subprocess and checks its output, exit codes and files. Pixel and
// statistics checks use OpenCV as the oracle. The binary is $OJO_BIN, or `ojo` beside this test
// executable (both land in <build>/bin/).
#include <gtest/gtest.h>
#include <spawn.h>
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "ojo/io/npy.hpp"

extern char** environ;

namespace fs = std::filesystem;

namespace {

const std::string kSkimage = "/usr/lib/python3/dist-packages/skimage/data/";
const std::string kAstronaut = kSkimage + "astronaut.png";  // 512x512 RGB 8-bit
const std::string kLogo = kSkimage + "logo.png";            // 500x500 RGBA 8-bit

std::string ojo_binary() {
  if (const char* env = std::getenv("OJO_BIN")) return env;
  return (fs::read_symlink("/proc/self/exe").parent_path() / "ojo").string();
}

std::string slurp(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

struct Result {
  int exit_code = -1;  // -1 if killed by a signal
  int signal = 0;
  std::string out, err;
};

std::ostream& operator<<(std::ostream& os, const Result& r) {
  return os << "exit " << r.exit_code << ", signal " << r.signal << "\n--- stdout ---\n"
            << r.out << "--- stderr ---\n" << r.err;
}

class Cli : public ::testing::Test {
 protected:
  void SetUp() override {
    bin_ = ojo_binary();
    ASSERT_TRUE(fs::exists(bin_)) << bin_ << " not found: build the ojo_cli target, or set OJO_BIN";
    std::string templ = (fs::temp_directory_path() / "ojo_cli_test_XXXXXX").string();
    ASSERT_NE(mkdtemp(templ.data()), nullptr);
    dir_ = templ;
    fs::create_directory(dir_ / "out");
  }
  void TearDown() override {
    std::error_code ec;
    if (!dir_.empty()) fs::remove_all(dir_, ec);
  }

  // Runs `ojo args...` with stdout and stderr captured in files (no pipe deadlocks).
  Result run(const std::vector<std::string>& args) {
    std::vector<std::string> argv_s{bin_};
    argv_s.insert(argv_s.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (std::string& a : argv_s) argv.push_back(a.data());
    argv.push_back(nullptr);
    const std::string out_path = (dir_ / "stdout").string(), err_path = (dir_ / "stderr").string();
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 1, out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_addopen(&actions, 2, err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    pid_t pid = 0;
    Result r;
    const int rc = posix_spawn(&pid, bin_.c_str(), &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    if (rc != 0) {
      ADD_FAILURE() << "posix_spawn " << bin_ << " failed: " << rc;
      return r;
    }
    int status = 0;
    waitpid(pid, &status, 0);
    if (WIFEXITED(status)) r.exit_code = WEXITSTATUS(status);
    if (WIFSIGNALED(status)) r.signal = WTERMSIG(status);
    r.out = slurp(out_path);
    r.err = slurp(err_path);
    fs::remove(out_path);
    fs::remove(err_path);
    return r;
  }

  std::string path(const std::string& name) const { return (dir_ / "out" / name).string(); }
  // Files in the output folder: after a failed command there must be none (no partial output,
  // no temporary file left behind).
  std::vector<std::string> outputs() const {
    std::vector<std::string> names;
    for (const auto& e : fs::directory_iterator(dir_ / "out")) names.push_back(e.path().filename().string());
    return names;
  }

  // A failed command: non-zero exit (not a signal), "ojo: ..." on stderr, and nothing in the
  // output folder.
  void expect_clean_failure(const Result& r) const {
    EXPECT_EQ(r.signal, 0) << r;
    EXPECT_GT(r.exit_code, 0) << r;
    EXPECT_EQ(r.err.rfind("ojo: ", 0), 0u) << r;
    EXPECT_EQ(outputs(), std::vector<std::string>{}) << r;
  }

  std::string bin_;
  fs::path dir_;
};

// Per-channel min, max, mean in RGB(A) order, from OpenCV (which holds BGR(A)).
struct Stat {
  double min, max, mean;
};
std::vector<Stat> opencv_stats(const cv::Mat& bgr) {
  std::vector<cv::Mat> planes;
  cv::split(bgr, planes);
  if (planes.size() >= 3) std::swap(planes[0], planes[2]);
  std::vector<Stat> stats;
  for (const cv::Mat& p : planes) {
    Stat s{};
    cv::minMaxIdx(p, &s.min, &s.max);
    s.mean = cv::mean(p)[0];
    stats.push_back(s);
  }
  return stats;
}

std::vector<double> numbers_after(const std::string& text, const std::string& key) {
  const std::regex re("\"" + key + "\": ([-+0-9.eE]+)");
  std::vector<double> values;
  for (auto it = std::sregex_iterator(text.begin(), text.end(), re); it != std::sregex_iterator(); ++it)
    values.push_back(std::stod((*it)[1].str()));
  return values;
}

// cv::Mat of an ojo .npy image array (RGB order) converted to OpenCV's BGR order.
cv::Mat npy_as_bgr_mat(const std::string& path) {
  const ojo::Tensor t = ojo::load_npy(path).contiguous();
  EXPECT_EQ(t.dtype(), ojo::DType::u8);
  const int channels = t.dim() == 2 ? 1 : static_cast<int>(t.size(2));
  cv::Mat m(static_cast<int>(t.size(0)), static_cast<int>(t.size(1)), CV_8UC(channels), t.raw_data());
  cv::Mat out;
  if (channels == 3)
    cv::cvtColor(m, out, cv::COLOR_RGB2BGR);
  else
    out = m.clone();
  return out;
}

void expect_same_image(const std::string& a_path, const std::string& b_path) {
  const cv::Mat a = cv::imread(a_path, cv::IMREAD_UNCHANGED), b = cv::imread(b_path, cv::IMREAD_UNCHANGED);
  ASSERT_FALSE(a.empty()) << a_path;
  ASSERT_FALSE(b.empty()) << b_path;
  ASSERT_EQ(a.type(), b.type()) << a_path << " vs " << b_path;
  ASSERT_EQ(a.size(), b.size());
  EXPECT_EQ(cv::norm(a, b, cv::NORM_INF), 0.0) << a_path << " vs " << b_path;
}

TEST_F(Cli, VersionMatchesProject) {
  const Result r = run({"--version"});
  ASSERT_EQ(r.exit_code, 0) << r;
  std::smatch m;
  ASSERT_TRUE(std::regex_match(r.out, m, std::regex(R"(ojo (\d+\.\d+\.\d+)\n)"))) << r;
  if (const char* src = std::getenv("OJO_SOURCE_DIR")) {
    std::smatch p;
    const std::string cmake = slurp(fs::path(src) / "CMakeLists.txt");
    ASSERT_TRUE(std::regex_search(cmake, p, std::regex(R"(project\(ojo VERSION (\S+))")));
    EXPECT_EQ(m[1].str(), p[1].str());
  }
}

TEST_F(Cli, HelpListsCommandsAndEachCommandHasHelp) {
  const Result r = run({"--help"});
  ASSERT_EQ(r.exit_code, 0) << r;
  EXPECT_NE(r.out.find("info"), std::string::npos) << r;
  EXPECT_NE(r.out.find("convert"), std::string::npos) << r;
  const std::vector<std::pair<std::string, std::string>> commands{{"info", "--json"},
                                                                   {"convert", "--jpeg-quality"}};
  for (const auto& [cmd, option] : commands) {
    const Result h = run({cmd, "--help"});
    EXPECT_EQ(h.exit_code, 0) << h;
    EXPECT_NE(h.out.find(option), std::string::npos) << h;
  }
}

TEST_F(Cli, InfoJsonMatchesOpenCV) {
  const Result r = run({"info", "--json", kAstronaut});
  ASSERT_EQ(r.exit_code, 0) << r;
  EXPECT_EQ(r.err, "");
  EXPECT_NE(r.out.find("\"width\": 512, \"height\": 512, \"channels\": 3, \"dtype\": \"uint8\""), std::string::npos)
      << r;
  const std::vector<Stat> want = opencv_stats(cv::imread(kAstronaut, cv::IMREAD_UNCHANGED));
  const auto mins = numbers_after(r.out, "min"), maxs = numbers_after(r.out, "max"),
             means = numbers_after(r.out, "mean");
  ASSERT_EQ(mins.size(), 3u) << r;
  ASSERT_EQ(maxs.size(), 3u) << r;
  ASSERT_EQ(means.size(), 3u) << r;
  for (size_t c = 0; c < 3; ++c) {
    EXPECT_EQ(mins[c], want[c].min) << "channel " << c;
    EXPECT_EQ(maxs[c], want[c].max) << "channel " << c;
    EXPECT_NEAR(means[c], want[c].mean, 1e-9 * want[c].mean) << "channel " << c;
  }
}

TEST_F(Cli, InfoTextShowsEveryChannelOfRgba) {
  const Result r = run({"info", kLogo});
  ASSERT_EQ(r.exit_code, 0) << r;
  EXPECT_NE(r.out.find("width 500, height 500, channels 4, dtype uint8"), std::string::npos) << r;
  const std::vector<Stat> want = opencv_stats(cv::imread(kLogo, cv::IMREAD_UNCHANGED));
  ASSERT_EQ(want.size(), 4u);
  for (size_t c = 0; c < 4; ++c) {
    std::ostringstream line;
    line << "channel " << c << ": min " << want[c].min << ", max " << want[c].max << ", mean ";
    EXPECT_NE(r.out.find(line.str()), std::string::npos) << line.str() << "\n" << r;
  }
}

TEST_F(Cli, InfoOnNpyAndJsonArrayForSeveralFiles) {
  const std::string npy = path("a.npy");
  ojo::save_npy(npy, ojo::arange(0, 24, 1, ojo::DType::f32).reshape({2, 3, 4}));
  const Result r = run({"info", "--json", npy, kAstronaut});
  ASSERT_EQ(r.exit_code, 0) << r;
  EXPECT_EQ(r.out.rfind("[\n  {\"path\": ", 0), 0u) << r;
  EXPECT_NE(r.out.find("\"shape\": [2, 3, 4], \"dtype\": \"float32\", \"stats\": {\"min\": 0.0, \"max\": 23.0, "
                       "\"mean\": 11.5}"),
            std::string::npos)
      << r;
  EXPECT_NE(r.out.find("\"width\": 512"), std::string::npos) << r;
  EXPECT_EQ(r.out.substr(r.out.size() - 4), "}\n]\n") << r;
}

TEST_F(Cli, InfoReportsBadFileAndStillPrintsTheOthers) {
  const Result r = run({"info", path("missing.png"), kAstronaut});
  EXPECT_EQ(r.exit_code, 1) << r;
  EXPECT_EQ(r.signal, 0);
  EXPECT_NE(r.err.find("missing.png"), std::string::npos) << r;
  EXPECT_NE(r.out.find("width 512, height 512"), std::string::npos) << r;
}

TEST_F(Cli, ConvertPngRoundTripKeepsAlphaExactly) {
  const std::string out = path("logo.png");
  const Result r = run({"convert", kLogo, out});
  ASSERT_EQ(r.exit_code, 0) << r;
  EXPECT_EQ(r.out + r.err, "");
  expect_same_image(kLogo, out);
  EXPECT_EQ(cv::imread(out, cv::IMREAD_UNCHANGED).channels(), 4);
}

TEST_F(Cli, ConvertPngRoundTripKeeps16Bit) {
  cv::Mat m(37, 53, CV_16UC3);
  cv::randu(m, cv::Scalar::all(0), cv::Scalar::all(65536));
  const std::string in = (dir_ / "deep.png").string(), out = path("deep_copy.png");
  ASSERT_TRUE(cv::imwrite(in, m));
  const Result r = run({"convert", in, out, "--png-compression", "9"});
  ASSERT_EQ(r.exit_code, 0) << r;
  expect_same_image(in, out);
  EXPECT_EQ(cv::imread(out, cv::IMREAD_UNCHANGED).type(), CV_16UC3);
}

TEST_F(Cli, ConvertToJpegHonoursQuality) {
  const std::string hi = path("hi.jpg"), lo = path("lo.jpeg");
  ASSERT_EQ(run({"convert", kAstronaut, hi}).exit_code, 0);
  ASSERT_EQ(run({"convert", "--jpeg-quality", "10", kAstronaut, lo}).exit_code, 0);
  const cv::Mat a = cv::imread(hi), b = cv::imread(lo), ref = cv::imread(kAstronaut);
  ASSERT_EQ(a.size(), cv::Size(512, 512));
  ASSERT_EQ(b.size(), cv::Size(512, 512));
  EXPECT_LT(fs::file_size(lo), fs::file_size(hi));
  // Lossy but close: quality 95 stays within a few grey levels on average.
  EXPECT_LT(cv::norm(a, ref, cv::NORM_L1) / ref.total() / 3, 3.0);
}

TEST_F(Cli, ConvertImageToNpyAndBack) {
  const std::string npy = path("astronaut.npy"), png = path("back.png");
  ASSERT_EQ(run({"convert", kAstronaut, npy}).exit_code, 0);
  const ojo::Tensor t = ojo::load_npy(npy);
  EXPECT_EQ(t.shape(), (ojo::Shape{512, 512, 3}));
  const cv::Mat ref = cv::imread(kAstronaut);
  EXPECT_EQ(cv::norm(npy_as_bgr_mat(npy), ref, cv::NORM_INF), 0.0);
  const Result r = run({"convert", npy, png});
  ASSERT_EQ(r.exit_code, 0) << r;
  expect_same_image(kAstronaut, png);
}

TEST_F(Cli, ConvertGrayModeMatchesOpenCVGrayscale) {
  for (const std::string mode : {"gray", "IMREAD_GRAYSCALE", "grayscale", "0"}) {
    const std::string npy = path("gray.npy");
    const Result r = run({"convert", "--imread-mode", mode, kAstronaut, npy});
    ASSERT_EQ(r.exit_code, 0) << mode << "\n" << r;
    EXPECT_EQ(ojo::load_npy(npy).shape(), (ojo::Shape{512, 512})) << mode;
    EXPECT_EQ(cv::norm(npy_as_bgr_mat(npy), cv::imread(kAstronaut, cv::IMREAD_GRAYSCALE), cv::NORM_INF), 0.0);
    fs::remove(npy);
  }
}

// --- errors: exit code, message, no crash, no output file ---

TEST_F(Cli, MissingInputNamesTheFile) {
  const Result r = run({"convert", path("nope.png"), path("x.png")});
  expect_clean_failure(r);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("nope.png"), std::string::npos) << r;
}

TEST_F(Cli, UnwritableOutputDirectory) {
  const Result r = run({"convert", kAstronaut, (dir_ / "out" / "no_such_dir" / "x.png").string()});
  expect_clean_failure(r);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("no_such_dir"), std::string::npos) << r;
}

TEST_F(Cli, FailedConvertLeavesExistingOutputUntouched) {
  const std::string out = path("keep.png");
  ASSERT_EQ(run({"convert", kAstronaut, out}).exit_code, 0);
  const std::string before = slurp(out);
  // Fails reading, and fails writing (a float32 array is no PNG).
  const std::string floats = (dir_ / "f.npy").string();
  ojo::save_npy(floats, ojo::zeros({4, 4}, ojo::DType::f32));
  for (const std::string& input : {path("missing.png"), floats}) {
    const Result r = run({"convert", input, out});
    EXPECT_EQ(r.exit_code, 1) << r;
    EXPECT_EQ(slurp(out), before) << input;
    EXPECT_EQ(outputs(), std::vector<std::string>{"keep.png"}) << input;
  }
}

TEST_F(Cli, OutputIsADirectory) {
  fs::create_directory(dir_ / "out" / "sub.png");
  const Result r = run({"convert", kAstronaut, path("sub.png")});
  EXPECT_EQ(r.signal, 0) << r;
  EXPECT_EQ(r.exit_code, 1) << r;
  EXPECT_NE(r.err.find("sub.png"), std::string::npos) << r;
  EXPECT_EQ(outputs(), std::vector<std::string>{"sub.png"});
  EXPECT_TRUE(fs::is_empty(dir_ / "out" / "sub.png"));
}

TEST_F(Cli, UnknownOutputExtension) {
  const Result r = run({"convert", kAstronaut, path("x.xyz")});
  expect_clean_failure(r);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("xyz"), std::string::npos) << r;
}

TEST_F(Cli, AlphaToJpegFailsWithHint) {
  const Result r = run({"convert", kLogo, path("logo.jpg")});
  expect_clean_failure(r);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("--imread-mode color"), std::string::npos) << r;
  ASSERT_EQ(run({"convert", "--imread-mode", "color", kLogo, path("logo.jpg")}).exit_code, 0);
}

TEST_F(Cli, TruncatedInputFailsCleanly) {
  const std::string bytes = slurp(kAstronaut);
  const std::string cut = (dir_ / "cut.png").string();
  std::ofstream(cut, std::ios::binary) << bytes.substr(0, bytes.size() / 2);
  for (const std::string cmd : {"convert", "info"}) {
    const Result r = cmd == "info" ? run({"info", cut}) : run({"convert", cut, path("x.png")});
    expect_clean_failure(r);
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.err.find("cut.png"), std::string::npos) << r;
  }
}

TEST_F(Cli, BadImreadModeListsAcceptedValues) {
  const Result r = run({"convert", "--imread-mode", "sepia", kAstronaut, path("x.png")});
  expect_clean_failure(r);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("--imread-mode: unknown value 'sepia'"), std::string::npos) << r;
  EXPECT_NE(r.err.find("IMREAD_GRAYSCALE"), std::string::npos) << r;
}

TEST_F(Cli, UsageErrors) {
  const std::vector<std::pair<std::vector<std::string>, std::string>> cases{
      {{"frobnicate"}, "unknown command 'frobnicate' (commands: info, convert, "},
      {{}, "subcommand"},
      {{"convert", kAstronaut}, "OUT is required\nRun `ojo convert --help`"},
      {{"info"}, "IMAGE"},
      {{"convert", "--jpeg-quality", "101", kAstronaut, path("x.jpg")}, "--jpeg-quality"},
      {{"convert", "--no-such-option", kAstronaut, path("x.png")}, "--no-such-option"},
  };
  for (const auto& [args, needle] : cases) {
    const Result r = run(args);
    expect_clean_failure(r);
    EXPECT_NE(r.err.find(needle), std::string::npos) << r;
    EXPECT_NE(r.err.find("--help"), std::string::npos) << r;
  }
}

}  // namespace
