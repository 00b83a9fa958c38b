// Views, writes through views and reductions, against NumPy (reference: scripts/reference/core_reference.py).
#include <gtest/gtest.h>

#include <functional>
#include <map>
#include <string>

#include "ojo/core/tensor.hpp"
#include "ojo/tensor/ops.hpp"
#include "test_util.hpp"
#include "ojo/io/npy.hpp"

using namespace ojo;

namespace {
Tensor base() { return arange(4 * 5 * 6).reshape({4, 5, 6}); }
Tensor big() { return arange(20 * 3 * 37).reshape({20, 3, 37}); }

// The same cases, by name, as view_cases() in the reference script.
const std::map<std::string, std::function<Tensor()>>& cases() {
  static const std::map<std::string, std::function<Tensor()>> table = {
      {"contiguous_transpose_f32", [] { return (big().select(1, 0).to(DType::f32) * 0.5).transpose(0, 1).contiguous(); }},
      {"contiguous_permute_i64", [] { return big().permute({2, 1, 0}).contiguous(); }},
      {"contiguous_permute_u8",
       [] {
         const Tensor values = arange(37).reshape({1, 1, 37}) + arange(20).reshape({20, 1, 1}) * 2 + arange(3).reshape({1, 3, 1}) * 90;
         return values.to(DType::u8).permute({1, 2, 0}).contiguous();
       }},
      {"contiguous_transpose_i16_roi",
       [] { return big().index({Slice(2, 19), 1, Slice(3, 30)}).to(DType::i16).transpose(0, 1).contiguous(); }},
      {"roi", [] { return base().index({Slice(1, 3), Slice(2, 5)}); }},
      {"steps", [] { return base().index({Slice(None, None, 2), Slice(1, None, 2), Slice(None, None, 3)}); }},
      {"negative_steps", [] { return base().index({Slice(None, None, -1), Slice(), Slice(None, None, -2)}); }},
      {"negative_indices", [] { return base().index({-1, Slice(-3, None), Slice(None, -2)}); }},
      {"select_first", [] { return base()[2]; }},
      {"select_middle", [] { return base().select(1, 3); }},
      {"permute", [] { return base().permute({2, 0, 1}); }},
      {"permute_reshape", [] { return base().transpose(0, 1).reshape({5, 24}); }},
      {"view_of_view",
       [] { return base().index({Slice(1, None), Slice(None, None, 2)}).index({Slice(None, None, -1), Slice(1, None)}); }},
      {"flatten_roi", [] { return base().index({Slice(), Slice(1, 4)}).flatten(); }},
      {"squeeze", [] { return base().index({Slice(), Slice(0, 1)}).squeeze(1); }},
      {"unsqueeze", [] { return base().select(1, 1).unsqueeze(1); }},
      {"expand", [] { return base().index({Slice(), Slice(None, 1)}).expand({4, 5, 6}); }},
      {"empty_slice", [] { return base().index({Slice(3, 1)}); }},
      {"clamped_slice", [] { return base().index({Slice(-10, 10), Slice(4, 100), Slice(-1, None)}); }},
      {"fill_region",
       [] {
         Tensor b = base().clone();
         b.index({Slice(1, 3), Slice(2, 4)}).fill_(7);
         return b;
       }},
      {"fill_colour",
       [] {
         Tensor c = zeros({4, 5, 3}, DType::u8);
         c.index({Slice(1, 3), Slice(2, 4)}).fill_({0, 255, 0});
         return c;
       }},
      {"copy_broadcast",
       [] {
         Tensor d = zeros({4, 5, 6}, DType::i64);
         d.copy_(base()[0]);
         return d;
       }},
      {"copy_overlap",
       [] {
         Tensor e = base().clone();
         e.index({Slice(None, None, -1), 1}).copy_(e.select(1, 2));
         return e;
       }},
      {"amin_dim1", [] { return amin(base().index({Slice(), Slice(None, None, -1)}), 1); }},
      {"amax_last", [] { return amax(base(), -1); }},
      {"sum_dim2", [] { return sum(base(), 2); }},
      {"mean_dim0_keepdim", [] { return mean(base(), 0, true); }},
  };
  return table;
}

std::string reference_path(const std::string& name) {
  return ojo::test::source_dir() + "/tests/core/data/views/" + name + ".npy";
}
}  // namespace

class ViewsVsNumPy : public ::testing::TestWithParam<std::string> {};

TEST_P(ViewsVsNumPy, MatchesReference) {
  const Tensor expected = load_npy(reference_path(GetParam()));
  const Tensor got = cases().at(GetParam())();
  ASSERT_EQ(shape_str(got.shape()), shape_str(expected.shape()));
  ASSERT_EQ(dtype_name(got.dtype()), std::string(dtype_name(expected.dtype())));
  EXPECT_TRUE(got.equal(expected)) << "got " << got << "\nexpected " << expected
                                   << "\n(regenerate with /usr/bin/python3 scripts/reference/core_reference.py)";
  EXPECT_TRUE(got.contiguous().equal(expected));
}

INSTANTIATE_TEST_SUITE_P(Cases, ViewsVsNumPy, ::testing::ValuesIn([] {
                           std::vector<std::string> names;
                           for (const auto& [name, make] : cases()) names.push_back(name);
                           return names;
                         }()),
                         [](const auto& info) { return info.param; });
