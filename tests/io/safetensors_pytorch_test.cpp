// ctest-labels: pytorch
// safetensors files exchanged with PyTorch 1.13:
// - a file written from torch by scripts/safetensors_torch.py (tests/io/data/safetensors/, made by
//   scripts/reference/safetensors_reference.py, expected values as .npy written by NumPy) loads
//   with exactly those values, names, order and metadata;
// - a file ojo writes is read by torch (`scripts/safetensors_torch.py to-npy`, values checked
//   exactly through NumPy's .npy), survives torch.save/torch.load (`to-torch`, `to-safetensors`)
//   and comes back identical. Skipped when /usr/bin/python3 cannot import torch.
#include <cstdlib>
#include <filesystem>

#include "ojo/io/npy.hpp"
#include "ojo/io/safetensors.hpp"
#include "ojo/tensor/ops.hpp"
#include "test_util.hpp"

namespace ojo::test {
namespace {

const char* kHint = "(regenerate with /usr/bin/python3 scripts/reference/safetensors_reference.py)";

std::string ref_dir() { return source_dir() + "/tests/io/data/safetensors"; }

TEST(SafetensorsPytorch, ReadsAFileWrittenFromTorch) {
  std::map<std::string, std::string> meta;
  const StateDict sd = safetensors::load(ref_dir() + "/torch.safetensors", &meta);
  const std::map<std::string, std::string> want_meta = {{"format", "pt"}, {"epoch", "3"}, {"note", "ojo ñandú"}};
  EXPECT_EQ(meta, want_meta);
  const std::vector<std::string> order = {"conv.weight", "conv.bias", "double", "transposed", "i64", "i32",  "i16",
                                          "i8",          "u8",        "mask",   "scalar",     "step", "empty", "empty_i64"};
  EXPECT_EQ(sd.keys(), order) << kHint;
  int compared = 0;
  for (const auto& e : std::filesystem::directory_iterator(ref_dir())) {
    if (e.path().extension() != ".npy") continue;
    const std::string name = e.path().stem().string();
    ASSERT_TRUE(sd.contains(name)) << name << " " << kHint;
    EXPECT_TENSOR_EQ(sd.at(name), load_npy(e.path().string())) << name << " " << kHint;
    ++compared;
  }
  EXPECT_EQ(compared, static_cast<int>(order.size())) << kHint;
}

bool torch_available() {
  return std::system("/usr/bin/python3 -c 'import torch' >/dev/null 2>&1") == 0;
}

// Runs scripts/safetensors_torch.py with `args`; returns its exit status (output in `log`).
int run_script(const std::string& args, const std::string& log) {
  const std::string cmd = "/usr/bin/python3 " + source_dir() + "/scripts/safetensors_torch.py " + args + " >" + log + " 2>&1";
  const int status = std::system(cmd.c_str());
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

// Every dtype torch 1.13 has among ojo's (not U16), with 0-d, empty and view tensors.
StateDict ojo_state() {
  StateDict sd;
  const Tensor w = linspace(-3, 3, 24).reshape({2, 3, 4});
  sd.insert("layer.weight", w);
  sd.insert("layer.weight_t", w.permute({2, 0, 1}));  // a view
  sd.insert("f64", linspace(-1e10, 1e-10, 7, DType::f64));
  sd.insert("scalar", full({}, 0.1, DType::f32));
  sd.insert("empty", zeros({0, 4}));
  sd.insert("i64", arange(-5, 5, 1, DType::i64) * int64_t{3'000'000'000});
  sd.insert("i32", arange(-20, 20, 3, DType::i32));
  sd.insert("i16", arange(-300, 300, 37, DType::i16));
  sd.insert("i8", arange(-128, 128, 17, DType::i8));
  sd.insert("u8", arange(0, 256, 5, DType::u8).index({Slice(None, None, -1)}));
  sd.insert("mask", gt(linspace(-1, 1, 9).reshape({3, 3}), 0.1));
  return sd;
}

TEST(SafetensorsPytorch, TorchReadsWhatOjoWrites) {
  if (!torch_available()) GTEST_SKIP() << "/usr/bin/python3 cannot import torch";
  TempDir dir;
  const StateDict sd = ojo_state();
  const std::map<std::string, std::string> meta = {{"writer", "ojo"}, {"epoch", "12"}};
  safetensors::save(sd, dir.path("ojo.safetensors"), meta);

  // torch parses the file; NumPy writes what torch holds.
  ASSERT_EQ(run_script("to-npy " + dir.path("ojo.safetensors") + " " + dir.path("npy"), dir.path("log")), 0)
      << read_bytes(dir.path("log"));
  for (const auto& [name, t] : sd)
    EXPECT_TENSOR_EQ(load_npy(dir.path("npy/" + name + ".npy")), t.contiguous()) << name;

  // Through torch.save / torch.load and back to safetensors: identical tensors, same order.
  ASSERT_EQ(run_script("to-torch " + dir.path("ojo.safetensors") + " " + dir.path("ojo.pt"), dir.path("log")), 0)
      << read_bytes(dir.path("log"));
  ASSERT_EQ(run_script("to-safetensors " + dir.path("ojo.pt") + " " + dir.path("back.safetensors"), dir.path("log")), 0)
      << read_bytes(dir.path("log"));
  const StateDict back = safetensors::load(dir.path("back.safetensors"));
  EXPECT_EQ(back.keys(), sd.keys());
  for (const auto& [name, t] : sd) EXPECT_TENSOR_EQ(back.at(name), t.contiguous()) << name;

  // The script shows the metadata ojo wrote.
  ASSERT_EQ(run_script("show " + dir.path("ojo.safetensors"), dir.path("show")), 0) << read_bytes(dir.path("show"));
  const std::string shown = read_bytes(dir.path("show"));
  EXPECT_NE(shown.find("__metadata__.writer\tojo"), std::string::npos) << shown;
  EXPECT_NE(shown.find("layer.weight_t\tF32\t[4, 2, 3]"), std::string::npos) << shown;
}

TEST(SafetensorsPytorch, ScriptRefusesMalformedFiles) {
  if (!torch_available()) GTEST_SKIP() << "/usr/bin/python3 cannot import torch";
  TempDir dir;
  StateDict sd;
  sd.insert("w", zeros({4}));
  std::vector<uint8_t> bytes = encode_safetensors(sd);
  bytes.push_back(0);  // a trailing byte no tensor covers
  write_bytes(dir.path("bad.safetensors"), std::string(bytes.begin(), bytes.end()));
  EXPECT_NE(run_script("show " + dir.path("bad.safetensors"), dir.path("log")), 0);
  EXPECT_NE(read_bytes(dir.path("log")).find("not covered"), std::string::npos) << read_bytes(dir.path("log"));
}

}  // namespace
}  // namespace ojo::test
