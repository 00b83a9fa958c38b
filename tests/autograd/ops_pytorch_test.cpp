// ctest-labels: pytorch
// Every tensor-math op, forward and backward, against PyTorch 1.13 reference data made by
// scripts/reference/autograd_reference.py (tests/autograd/data). For each case the inputs are
// loaded, float inputs that have a reference gradient get requires_grad_(), the output is
// compared, then out.backward(gout) and each input's .grad() is compared with torch's.
// Tolerance: |ojo - torch| <= 1e-6 + 1e-5 * |torch| element-wise (float32 rounding); integer and
// bool results must be equal.
#include <filesystem>
#include <set>

#include "cases.hpp"
#include "compare.hpp"
#include "ojo/io/npy.hpp"

namespace ojo::test {
namespace {

constexpr double kAtol = 1e-6, kRtol = 1e-5;

std::string data_path(const std::string& name, const std::string& suffix) {
  return source_dir() + "/tests/autograd/data/" + name + "." + suffix + ".npy";
}
bool has(const std::string& name, const std::string& suffix) {
  return std::filesystem::exists(data_path(name, suffix));
}
const char* kHint = "(regenerate with /usr/bin/python3 scripts/reference/autograd_reference.py)";

class OpsPytorch : public ::testing::TestWithParam<OpCase> {};

TEST_P(OpsPytorch, ForwardAndBackward) {
  const OpCase& c = GetParam();
  ASSERT_TRUE(has(c.name, "out")) << "no reference data for " << c.name << " " << kHint;
  std::vector<Tensor> inputs;
  for (int i = 0; has(c.name, "in" + std::to_string(i)); ++i) {
    Tensor t = load_npy(data_path(c.name, "in" + std::to_string(i)));
    if (has(c.name, "grad" + std::to_string(i))) t.requires_grad_();
    inputs.push_back(t);
  }
  const Tensor out = c.fn(inputs);
  const Tensor expected = load_npy(data_path(c.name, "out"));
  EXPECT_TRUE(allclose(out, expected, kAtol, kRtol)) << c.name << ": output " << kHint;
  if (!has(c.name, "gout")) return;
  ASSERT_TRUE(out.requires_grad()) << c.name << ": output does not require grad";
  out.backward(load_npy(data_path(c.name, "gout")));
  for (size_t i = 0; i < inputs.size(); ++i) {
    const std::string g = "grad" + std::to_string(i);
    if (!has(c.name, g)) {
      EXPECT_FALSE(inputs[i].grad().defined()) << c.name << ": input " << i << " got a gradient";
      continue;
    }
    EXPECT_TRUE(allclose(inputs[i].grad(), load_npy(data_path(c.name, g)), kAtol, kRtol))
        << c.name << ": gradient of input " << i << " " << kHint;
  }
}

INSTANTIATE_TEST_SUITE_P(Cases, OpsPytorch, ::testing::ValuesIn(op_cases()),
                         [](const auto& info) { return info.param.name; });

TEST(OpsPytorch, EveryReferenceCaseHasACppCase) {
  // A case added to the script but not to cases.hpp would otherwise go unnoticed.
  std::set<std::string> known;
  for (const auto& c : op_cases()) known.insert(c.name);
  for (const auto& [name, fn] : factory_cases()) known.insert(name);
  for (const auto& e : std::filesystem::directory_iterator(source_dir() + "/tests/autograd/data")) {
    const std::string f = e.path().filename().string();
    if (f.size() > 8 && f.ends_with(".out.npy")) {
      EXPECT_TRUE(known.count(f.substr(0, f.size() - 8))) << f;
    }
  }
}

TEST(OpsPytorch, Factories) {
  for (const auto& [name, fn] : factory_cases())
    EXPECT_TRUE(allclose(fn(), load_npy(data_path(name, "out")), kAtol, kRtol)) << name << " " << kHint;
}

}  // namespace
}  // namespace ojo::test
