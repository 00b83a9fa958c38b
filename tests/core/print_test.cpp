// Tensor printing against PyTorch 1.13's str(tensor) (reference: scripts/reference/core_reference.py).
// ctest-labels: pytorch
#include <gtest/gtest.h>

#include <fstream>
#include <functional>
#include <map>
#include <sstream>
#include <string>

#include "ojo/core/tensor.hpp"
#include "test_util.hpp"

using namespace ojo;

namespace {
// (i - 5) / 4 in float32, as the reference script's f(n).
Tensor f(int64_t n) {
  std::vector<float> v(n);
  for (int64_t i = 0; i < n; ++i) v[i] = (static_cast<float>(i) - 5.0f) / 4.0f;
  return Tensor::from_vector(v, {n});
}

template <class T, class F>
Tensor generate(int64_t n, F formula) {
  std::vector<T> v(n);
  for (int64_t i = 0; i < n; ++i) v[i] = formula(i);
  return Tensor::from_vector(v, {n});
}

const std::map<std::string, std::function<Tensor()>>& cases() {
  static const std::map<std::string, std::function<Tensor()>> table = {
      {"tiny_image", [] { return Tensor::from<uint8_t>({{0, 20, 30}, {200, 200, 250}, {50, 180, 85}}); }},
      {"int64_matrix", [] { return arange(12).reshape({3, 4}); }},
      {"float_matrix", [] { return f(12).reshape({3, 4}); }},
      {"float_integers", [] { return generate<float>(6, [](int64_t i) { return i - 2.0f; }).reshape({2, 3}); }},
      {"float_sci", [] { return generate<float>(6, [](int64_t i) { float x = i + 1; return x * x * x * x * x * 3; }); }},
      {"float64_small", [] { return generate<double>(4, [](int64_t i) { return (i + 1) / 3e5; }); }},
      {"summarised_2d", [] { return arange(2000).reshape({40, 50}); }},
      {"summarised_3d_uint8",
       [] { return generate<uint8_t>(3000, [](int64_t i) { return static_cast<uint8_t>(i % 256); }).reshape({10, 15, 20}); }},
      {"long_vector", [] { return arange(100); }},
      {"float_vector_wrap", [] { return f(40); }},
      {"bool_vector", [] { return generate<bool>(5, [](int64_t i) { return i % 2 == 0; }); }},
      {"int32_3d", [] { return generate<int32_t>(24, [](int64_t i) { return i - 12; }).reshape({2, 3, 4}); }},
      {"scalar", [] { return Tensor::from<float>({3.5f}).reshape({}); }},
      {"empty_2d", [] { return zeros({0, 3}); }},
      {"empty_int", [] { return zeros({0}, DType::i64); }},
      {"int16_negative", [] { return generate<int16_t>(4, [](int64_t i) { return -i; }); }},
  };
  return table;
}

std::map<std::string, std::string> reference() {
  std::ifstream in(ojo::test::source_dir() + "/tests/core/data/print.txt");
  std::map<std::string, std::string> out;
  std::string line, name;
  while (std::getline(in, line)) {
    if (line.rfind("### ", 0) == 0) {
      name = line.substr(4);
    } else if (!name.empty()) {
      out[name] += (out[name].empty() ? "" : "\n") + line;
    }
  }
  return out;
}
}  // namespace

TEST(PrintVsPyTorch, EveryCaseMatches) {
  const auto expected = reference();
  ASSERT_EQ(expected.size(), cases().size()) << "tests/core/data/print.txt is missing or stale; regenerate it "
                                                "with /usr/bin/python3 scripts/reference/core_reference.py";
  for (const auto& [name, make] : cases()) {
    std::ostringstream got;
    got << make();
    EXPECT_EQ(got.str(), expected.at(name)) << "case " << name;
  }
}
