// The op cases shared by the PyTorch comparison (ops_pytorch_test.cpp) and the finite-difference
// gradient check (gradcheck_test.cpp). Names, inputs and formulas mirror CASES in
// scripts/reference/autograd_reference.py; inputs come from tests/autograd/data/<name>.in<i>.npy.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "ojo/tensor/ops.hpp"

namespace ojo::test {

struct OpCase {
  std::string name;
  std::function<Tensor(const std::vector<Tensor>&)> fn;
  bool smooth = true;  // false: inputs sit on kinks (relu at 0, ties...), skip finite differences
};

inline void PrintTo(const OpCase& c, std::ostream* os) { *os << c.name; }

inline Tensor i64s(std::initializer_list<int64_t> v) { return Tensor::from<int64_t>(v); }

inline const std::vector<OpCase>& op_cases() {
  using V = const std::vector<Tensor>&;
  static const std::vector<OpCase> cases = {
      {"add_bcast", [](V x) { return x[0] + x[1]; }},
      {"sub_bcast", [](V x) { return x[0] - x[1]; }},
      {"mul_bcast", [](V x) { return x[0] * x[1]; }},
      {"div", [](V x) { return x[0] / x[1]; }},
      {"div_bcast", [](V x) { return x[0] / x[1]; }},
      {"add_scalar", [](V x) { return x[0] + 2.5; }},
      {"rsub_scalar", [](V x) { return 1.0 - x[0]; }},
      {"mul_scalar", [](V x) { return x[0] * 3.0; }},
      {"rdiv_scalar", [](V x) { return 2.0 / x[0]; }},
      {"elementwise_parallel", [](V x) { return (x[0] + x[1]) * 0.5 - 1.0 / (1.0 + abs(x[1])) + sqrt(x[0] * x[0]); }},
      {"rsub_scalar_long", [](V x) { return 1.0 - x[0]; }},
      {"div_scalar_long", [](V x) { return x[0] / 255.0; }},
      {"rdiv_scalar_long", [](V x) { return 2.0 / x[0]; }},
      {"neg", [](V x) { return -x[0]; }},
      {"exp", [](V x) { return exp(x[0]); }},
      {"log", [](V x) { return log(x[0]); }},
      {"exp_range", [](V x) { return exp(x[0]); }, false},
      {"tanh_range", [](V x) { return tanh(x[0]); }, false},
      {"log_range", [](V x) { return log(x[0]); }, false},
      {"sigmoid_range", [](V x) { return sigmoid(x[0]); }, false},
      {"exp_sigmoid_long", [](V x) { return cat({exp(x[0]), sigmoid(x[0])}); }},
      {"sqrt", [](V x) { return sqrt(x[0]); }},
      {"abs", [](V x) { return abs(x[0]); }, false},
      {"sigmoid", [](V x) { return sigmoid(x[0]); }},
      {"tanh", [](V x) { return tanh(x[0]); }},
      {"relu", [](V x) { return relu(x[0]); }, false},
      {"relu_nan", [](V x) { return relu(x[0]); }, false},
      {"round", [](V x) { return round(x[0]); }, false},
      {"round_edges", [](V x) { return round(x[0]); }, false},
      {"pow_scalar", [](V x) { return pow(x[0], 3); }},
      {"pow_frac", [](V x) { return pow(x[0], 2.5); }},
      {"pow_tensor", [](V x) { return pow(x[0], x[1]); }},
      {"maximum", [](V x) { return maximum(x[0], x[1]); }, false},
      {"minimum", [](V x) { return minimum(x[0], x[1]); }, false},
      {"clamp", [](V x) { return clamp(x[0], -1.0, 1.0); }, false},
      {"clamp_nan", [](V x) { return clamp(x[0], -1.0, 1.0); }, false},
      {"clamp_inexact_bounds", [](V x) { return clamp(x[0], -0.1, 0.3); }},
      {"pow_special", [](V x) {
         std::vector<Tensor> powers;
         for (double e : {2.0, 3.0, 0.5, -0.5, -1.0, -2.0, 1.7}) powers.push_back(pow(x[0], e));
         return cat(powers);
       }},
      {"clamp_min", [](V x) { return clamp(x[0], 0.25); }},
      {"abs_smooth", [](V x) { return abs(x[0]); }},
      {"relu_smooth", [](V x) { return relu(x[0]); }},
      {"maximum_smooth", [](V x) { return maximum(x[0], x[1]); }},
      {"minimum_smooth", [](V x) { return minimum(x[0], x[1]); }},
      {"clamp_smooth", [](V x) { return clamp(x[0], -1.0, 1.0); }},
      {"max_all", [](V x) { return x[0].max(); }},
      {"eq", [](V x) { return eq(x[0], x[1]); }},
      {"gt", [](V x) { return gt(x[0], x[1]); }},
      {"lt", [](V x) { return lt(x[0], x[1]); }},
      {"ge", [](V x) { return ge(x[0], x[1]); }},
      {"le", [](V x) { return le(x[0], x[1]); }},
      {"mm", [](V x) { return matmul(x[0], x[1]); }},
      {"mm_odd", [](V x) { return matmul(x[0], x[1]); }},
      {"dot", [](V x) { return matmul(x[0], x[1]); }},
      {"mv", [](V x) { return matmul(x[0], x[1]); }},
      {"vm", [](V x) { return matmul(x[0], x[1]); }},
      {"bmm", [](V x) { return matmul(x[0], x[1]); }},
      {"matmul_bcast", [](V x) { return matmul(x[0], x[1]); }},
      {"matmul_1d_3d", [](V x) { return matmul(x[0], x[1]); }},
      {"sum_all", [](V x) { return x[0].sum(); }},
      {"sum_dim", [](V x) { return x[0].sum(1); }},
      {"sum_dims_keepdim", [](V x) { return x[0].sum({0, 2}, true); }},
      {"mean_all", [](V x) { return x[0].mean(); }},
      {"mean_dim_keepdim", [](V x) { return x[0].mean(-1, true); }},
      {"sum_dim0", [](V x) { return x[0].sum(0); }},
      {"sum_leading_keepdim", [](V x) { return x[0].sum({1, 0}, true); }},
      {"mean_dim0_wide", [](V x) { return x[0].mean(0); }},
      {"sum_dim0_int", [](V x) { return x[0].sum(0); }},
      {"sum_dim0_bool", [](V x) { return x[0].sum(0); }},
      {"sum_long_rows", [](V x) { return x[0].sum(1); }},
      {"sum_all_long", [](V x) { return x[0].sum(); }},
      {"mean_long", [](V x) { return x[0].mean(); }},
      {"max_all_ties", [](V x) { return x[0].max(); }, false},
      {"min_all", [](V x) { return x[0].min(); }},
      {"max_min_all_long", [](V x) { return stack({x[0].max(), x[0].min()}); }},
      {"max_min_all_nan", [](V x) { return stack({x[0].max(), x[0].min()}); }, false},
      {"max_min_dim_edges",
       [](V x) {
         const auto mx = x[0].max(1), mn = x[0].min(1);
         return cat({mx.values, mx.indices.to(DType::f32), mn.values, mn.indices.to(DType::f32)});
       },
       false},
      {"max_dim", [](V x) { return x[0].max(1).values; }},
      {"max_dim_keepdim", [](V x) { return x[0].max(0, true).values; }},
      {"min_dim", [](V x) { return x[0].min(0).values; }},
      {"max_dim_indices", [](V x) { return x[0].max(1).indices; }},
      {"argmax_dim", [](V x) { return x[0].argmax(0); }},
      {"argmin_all", [](V x) { return x[0].argmin(); }},
      {"softmax_dim1", [](V x) { return softmax(x[0], 1); }},
      {"softmax_dim0_3d", [](V x) { return softmax(x[0], 0); }},
      {"softmax_large", [](V x) { return softmax(x[0], -1); }},
      {"softmax_wide", [](V x) { return cat({softmax(x[0], 1), log_softmax(x[0], 1)}); }},
      {"softmax_nan", [](V x) { return softmax(x[0], 1); }, false},
      {"log_softmax", [](V x) { return log_softmax(x[0], -1); }},
      {"log_softmax_large", [](V x) { return log_softmax(x[0], 1); }},
      {"cat_dim0", [](V x) { return cat({x[0], x[1]}, 0); }},
      {"cat_dim1", [](V x) { return cat({x[0], x[1], x[2]}, 1); }},
      {"stack_dim1", [](V x) { return stack({x[0], x[1]}, 1); }},
      {"index_select", [](V x) { return index_select(x[0], 1, i64s({3, 0, 3, 1})); }},
      {"index_select_rows", [](V x) { return index_select(x[0], 0, i64s({4, 0, 4, 2, 1, 4})); }},
      {"index_select_view", [](V x) { return index_select(x[0].transpose(0, 1), 1, i64s({3, 1, 3})); }},
      {"index_tensor", [](V x) { return index(x[0], Tensor::from<int64_t>({{0, 2}, {3, 0}})); }},
      {"index_mask", [](V x) { return index(x[0], gt(x[0], 0.5)); }},
      {"index_row_mask", [](V x) { return index(x[0], Tensor::from<bool>({true, false, true, true})); }},
      {"masked_select", [](V x) { return masked_select(x[0], Tensor::from<bool>({true, false, false, true})); }},
      {"masked_fill", [](V x) { return masked_fill(x[0], lt(x[0], 0), -1.5); }},
      {"gather", [](V x) { return gather(x[0], 1, Tensor::from<int64_t>({{0, 0}, {3, 1}, {2, 2}})); }},
      {"where", [](V x) { return where(gt(x[0], x[1]), x[0], x[1]); }},
      {"where_long",
       [](V x) {
         const Tensor c = gt(x[0], 0.0);
         return stack({where(c, x[0], full({}, 0.5)), where(c, full({}, -1.5), x[0]), where(c, full({}, 2.0), full({}, -2.0))});
       },
       false},
      {"slice", [](V x) { return x[0].index({Slice(1, 3), Slice(None, None, 2)}); }},
      {"select", [](V x) { return x[0].index({Slice(), 2}); }},
      {"reshape_permuted", [](V x) { return x[0].permute({2, 0, 1}).reshape({4, 6}); }},
      {"transpose", [](V x) { return x[0].transpose(0, 1); }},
      {"squeeze_unsqueeze", [](V x) { return x[0].squeeze(1).unsqueeze(0); }},
      {"expand_mul", [](V x) { return x[0].expand({3, 4}) * x[1]; }},
      {"flatten", [](V x) { return x[0].flatten(1); }},
      {"view_chain", [](V x) { return x[0].index({Slice(), Slice(1)}).transpose(0, 1).reshape({-1}) * x[1]; }},
      {"clone_to", [](V x) { return x[0].clone().to(DType::f64) * 2; }},
      {"mlp",
       [](V x) { return log_softmax(matmul(relu(matmul(x[0], x[1]) + x[2]), x[3]), 1).mean(); }},
      {"l1_regression", [](V x) { return abs(x[1] * x[0] + x[2] - (0.7 * x[0] + 0.3)).mean(); }},
      {"reused_input", [](V x) { return x[0] * x[0] + exp(x[0]) * x[0]; }},
  };
  return cases;
}

inline const std::vector<std::pair<std::string, std::function<Tensor()>>>& factory_cases() {
  static const std::vector<std::pair<std::string, std::function<Tensor()>>> cases = {
      {"linspace_7", [] { return linspace(-1, 1, 7); }},
      {"linspace_50", [] { return linspace(0, 1, 50); }},
      {"linspace_odd", [] { return linspace(-3.3, 7.1, 13); }},
      {"eye_3x4", [] { return eye(3, 4); }},
  };
  return cases;
}

}  // namespace ojo::test
