// ctest-labels: pytorch
// Losses, forward and backward, against PyTorch 1.13 reference data made by
// scripts/reference/loss_reference.py (tests/nn/data/loss_cases.txt lists the cases; inputs,
// outputs and input gradients in tests/nn/data/loss/). Each case runs through the functional
// form, the module, and for cross_entropy also the plain path (log_softmax + nll_loss).
// Tolerance: |ojo - torch| <= 1e-6 + 1e-5 * |torch| element-wise.
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <sstream>

#include "autograd/compare.hpp"
#include "ojo/io/npy.hpp"
#include "ojo/nn/loss.hpp"
#include "ojo/tensor/ops.hpp"

namespace ojo::test {
namespace {

namespace F = nn::functional;
using nn::Reduction;

constexpr double kAtol = 1e-6, kRtol = 1e-5;
const char* kHint = "(regenerate with /usr/bin/python3 scripts/reference/loss_reference.py)";

std::string data_dir() { return source_dir() + "/tests/nn/data"; }
std::string case_path(const std::string& name, const std::string& part) {
  return data_dir() + "/loss/" + name + "." + part + ".npy";
}

// Lines of a data file, without '#' comments.
std::vector<std::string> data_lines(const std::string& file) {
  std::ifstream in(data_dir() + "/" + file);
  std::vector<std::string> out;
  for (std::string line; std::getline(in, line);)
    if (!line.empty() && line[0] != '#') out.push_back(line);
  return out;
}

struct LossCase {
  std::string name, loss, reduction;
  int64_t ignore_index = -100;
  double label_smoothing = 0;
};
void PrintTo(const LossCase& c, std::ostream* os) { *os << c.name; }

std::vector<LossCase> loss_cases() {
  std::vector<LossCase> cases;
  for (const auto& line : data_lines("loss_cases.txt")) {
    std::istringstream in(line);
    LossCase c;
    in >> c.name >> c.loss >> c.reduction >> c.ignore_index >> c.label_smoothing;
    cases.push_back(c);
  }
  return cases;
}

Reduction reduction_of(const std::string& s) {
  if (s == "none") return Reduction::none;
  if (s == "sum") return Reduction::sum;
  return Reduction::mean;
}

// The ways to compute one case: functional, module, and the plain path where there is one.
std::map<std::string, std::function<Tensor(const Tensor&, const Tensor&)>> paths(const LossCase& c) {
  const Reduction r = reduction_of(c.reduction);
  auto optional = [&](const char* part) {
    const std::string p = case_path(c.name, part);
    return std::filesystem::exists(p) ? load_npy(p) : Tensor();
  };
  const Tensor w = optional("weight"), pw = optional("pos_weight");
  if (c.loss == "mse_loss")
    return {{"functional", [r](auto& x, auto& t) { return F::mse_loss(x, t, r); }},
            {"module", [r](auto& x, auto& t) { return nn::MSELoss({.reduction = r})(x, t); }}};
  if (c.loss == "l1_loss")
    return {{"functional", [r](auto& x, auto& t) { return F::l1_loss(x, t, r); }},
            {"module", [r](auto& x, auto& t) { return nn::L1Loss({.reduction = r})(x, t); }}};
  if (c.loss == "binary_cross_entropy") {
    const nn::BCELossOptions o{.weight = w, .reduction = r};
    return {{"functional", [o](auto& x, auto& t) { return F::binary_cross_entropy(x, t, o); }},
            {"module", [o](auto& x, auto& t) { return nn::BCELoss(o)(x, t); }}};
  }
  if (c.loss == "binary_cross_entropy_with_logits") {
    const nn::BCEWithLogitsLossOptions o{.weight = w, .reduction = r, .pos_weight = pw};
    return {{"functional", [o](auto& x, auto& t) { return F::binary_cross_entropy_with_logits(x, t, o); }},
            {"module", [o](auto& x, auto& t) { return nn::BCEWithLogitsLoss(o)(x, t); }}};
  }
  if (c.loss == "nll_loss") {
    const nn::NLLLossOptions o{.weight = w, .ignore_index = c.ignore_index, .reduction = r};
    return {{"functional", [o](auto& x, auto& t) { return F::nll_loss(x, t, o); }},
            {"module", [o](auto& x, auto& t) { return nn::NLLLoss(o)(x, t); }}};
  }
  if (c.loss == "cross_entropy") {
    const nn::CrossEntropyLossOptions o{
        .weight = w, .ignore_index = c.ignore_index, .reduction = r, .label_smoothing = c.label_smoothing};
    return {{"functional", [o](auto& x, auto& t) { return F::cross_entropy(x, t, o); }},
            {"plain", [o](auto& x, auto& t) { return F::ref::cross_entropy(x, t, o); }},
            {"module", [o](auto& x, auto& t) { return nn::CrossEntropyLoss(o)(x, t); }}};
  }
  ADD_FAILURE() << "unknown loss " << c.loss << " in loss_cases.txt";
  return {};
}

class LossPytorch : public ::testing::TestWithParam<LossCase> {};

TEST_P(LossPytorch, ForwardAndBackward) {
  const LossCase& c = GetParam();
  ASSERT_TRUE(std::filesystem::exists(case_path(c.name, "out"))) << c.name << " " << kHint;
  const Tensor target = load_npy(case_path(c.name, "target"));
  const Tensor expected = load_npy(case_path(c.name, "out")), gout = load_npy(case_path(c.name, "gout"));
  const Tensor expected_grad = load_npy(case_path(c.name, "grad"));
  for (const auto& [path, fn] : paths(c)) {
    Tensor x = load_npy(case_path(c.name, "input")).requires_grad_();
    const Tensor out = fn(x, target);
    EXPECT_TRUE(allclose(out, expected, kAtol, kRtol)) << c.name << " (" << path << "): output " << kHint;
    ASSERT_TRUE(out.requires_grad()) << c.name << " (" << path << ")";
    out.backward(gout);
    EXPECT_TRUE(allclose(x.grad(), expected_grad, kAtol, kRtol)) << c.name << " (" << path << "): gradient " << kHint;
  }
}

INSTANTIATE_TEST_SUITE_P(Cases, LossPytorch, ::testing::ValuesIn(loss_cases()),
                         [](const auto& info) { return info.param.name; });

TEST(LossPytorch, CaseListIsComplete) {
  const auto cases = loss_cases();
  EXPECT_GE(cases.size(), 100u) << kHint;
  // Every listed case became a test (none lost because the list was unreadable at discovery).
  const ::testing::TestSuite* suite = nullptr;
  const auto* unit = ::testing::UnitTest::GetInstance();
  for (int i = 0; i < unit->total_test_suite_count(); ++i)
    if (std::string(unit->GetTestSuite(i)->name()) == "Cases/LossPytorch") suite = unit->GetTestSuite(i);
  ASSERT_NE(suite, nullptr) << "no test was instantiated from " << data_dir() << "/loss_cases.txt";
  EXPECT_EQ(static_cast<size_t>(suite->total_test_count()), cases.size());
  for (const auto& c : cases) EXPECT_NE(paths(c).size(), 0u) << c.name;
}

TEST(LossGradcheck, Float64CasesMatchFiniteDifferences) {
  // The backward rules against calculus, independent of PyTorch: d/dx sum(out * gout) from
  // backward() vs the central difference with eps 1e-6, on every float64 case, every path.
  int checked = 0;
  for (const LossCase& c : loss_cases()) {
    if (c.name.find("_f64_") == std::string::npos) continue;
    const Tensor x0 = load_npy(case_path(c.name, "input")), t = load_npy(case_path(c.name, "target"));
    const Tensor gout = load_npy(case_path(c.name, "gout"));
    for (const auto& [path, fn] : paths(c)) {
      Tensor x = x0.clone().requires_grad_();
      fn(x, t).backward(gout);
      NoGradGuard no_grad;
      Tensor numeric = zeros(x0.shape(), DType::f64);
      for (int64_t j = 0; j < x0.numel(); ++j) {
        auto objective = [&](double delta) {
          Tensor xs = x0.clone();
          xs.data<double>()[j] += delta;
          return (fn(xs, t) * gout).sum().item();
        };
        numeric.data<double>()[j] = (objective(1e-6) - objective(-1e-6)) / 2e-6;
      }
      EXPECT_TRUE(allclose(x.grad(), numeric, 1e-6, 1e-5)) << c.name << " (" << path << ")";
      ++checked;
    }
  }
  EXPECT_GE(checked, 27);
}

TEST(Loss, NoGraphWithoutRequiresGrad) {
  const Tensor x = Tensor::from<float>({{1.0f, 2.0f, 0.5f}}), y = Tensor::from<int64_t>({2});
  const Tensor l = F::cross_entropy(x, y);
  EXPECT_FALSE(l.requires_grad());
  EXPECT_EQ(l.dim(), 0);
  Tensor xg = x.clone().requires_grad_();
  EXPECT_EQ(F::cross_entropy(xg, y).grad_fn_name(), "NllLossBackward0");
  EXPECT_EQ(F::cross_entropy(xg.reshape({1, 3, 1}), y.reshape({1, 1})).grad_fn_name(), "NllLoss2DBackward0");
  EXPECT_EQ(F::mse_loss(xg, x).grad_fn_name(), "MseLossBackward0");
  EXPECT_EQ(F::binary_cross_entropy(sigmoid(xg), x / 3).grad_fn_name(), "BinaryCrossEntropyBackward0");
  EXPECT_EQ(F::binary_cross_entropy_with_logits(xg, x / 3).grad_fn_name(), "BinaryCrossEntropyWithLogitsBackward0");
}

TEST(Loss, FusedCrossEntropyMatchesPlainPathOnLargerInputs) {
  // The fused kernel and log_softmax + nll_loss on a TinyVGG-sized batch with every option.
  Tensor x = randn({64, 10}, DType::f32) * 3;
  Tensor t = randint(0, 10, {64});
  t.index({Slice(0, 64, 9)}).fill_(-100);
  const Tensor w = rand({10}) + 0.5;
  for (Reduction r : {Reduction::none, Reduction::mean, Reduction::sum}) {
    const nn::CrossEntropyLossOptions o{.weight = w, .reduction = r};
    Tensor a = x.clone().requires_grad_(), b = x.clone().requires_grad_();
    const Tensor la = F::cross_entropy(a, t, o), lb = F::ref::cross_entropy(b, t, o);
    EXPECT_TRUE(allclose(la, lb.detach(), 1e-6, 1e-5));
    const Tensor g = r == Reduction::none ? rand({64}) : full({}, 0.7);
    la.backward(g);
    lb.backward(g);
    EXPECT_TRUE(allclose(a.grad(), b.grad(), 1e-6, 1e-5));
  }
}

// ---------------------------------------------------------------- modules

TEST(LossModules, PrintedAndSavedAsPytorch) {
  const Tensor w4 = Tensor::from<float>({1, 2, 3, 4}), p4 = Tensor::from<float>({1, 1, 2, 2});
  std::map<std::string, std::shared_ptr<nn::Loss>> modules = {
      {"MSELoss", std::make_shared<nn::MSELoss>()},
      {"L1Loss_sum", std::make_shared<nn::L1Loss>(nn::L1LossOptions{.reduction = Reduction::sum})},
      {"BCELoss", std::make_shared<nn::BCELoss>()},
      {"BCELoss_weight", std::make_shared<nn::BCELoss>(nn::BCELossOptions{.weight = w4})},
      {"BCEWithLogitsLoss_pos_weight",
       std::make_shared<nn::BCEWithLogitsLoss>(nn::BCEWithLogitsLossOptions{.pos_weight = p4})},
      {"BCEWithLogitsLoss_both",
       std::make_shared<nn::BCEWithLogitsLoss>(nn::BCEWithLogitsLossOptions{.weight = w4, .pos_weight = p4})},
      {"NLLLoss", std::make_shared<nn::NLLLoss>()},
      {"CrossEntropyLoss", std::make_shared<nn::CrossEntropyLoss>()},
      {"CrossEntropyLoss_all", std::make_shared<nn::CrossEntropyLoss>(nn::CrossEntropyLossOptions{
                                   .weight = w4, .ignore_index = 1, .reduction = Reduction::sum, .label_smoothing = 0.1})},
  };
  const auto lines = data_lines("loss_repr.txt");
  ASSERT_EQ(lines.size(), modules.size()) << kHint;
  for (const auto& line : lines) {
    const size_t a = line.find('|'), b = line.rfind('|');
    const std::string key = line.substr(0, a), repr = line.substr(a + 1, b - a - 1), keys = line.substr(b + 1);
    ASSERT_TRUE(modules.count(key)) << key;
    const auto& m = *modules.at(key);
    std::ostringstream printed;
    printed << m;
    EXPECT_EQ(printed.str(), repr) << key;
    std::string names;
    for (const auto& [name, t] : m.state_dict()) names += (names.empty() ? "" : ",") + name;
    EXPECT_EQ(names, keys) << key;
  }
}

TEST(LossModules, DesignatedInitializersAndBuffersShareTheWeight) {
  const Tensor w = Tensor::from<float>({1, 1, 1});
  nn::CrossEntropyLoss loss({.weight = w, .ignore_index = -100, .reduction = Reduction::mean, .label_smoothing = 0.1});
  EXPECT_EQ(loss.named_buffers().size(), 1u);
  StateDict sd;
  sd.insert("weight", Tensor::from<float>({2, 1, 1}));
  loss.load_state_dict(sd);
  EXPECT_EQ(w.at<float>(0), 2.0f);  // the options' weight is the registered buffer
  const Tensor x = Tensor::from<float>({{0.5f, 1.0f, -1.0f}}), y = Tensor::from<int64_t>({0});
  EXPECT_TRUE(allclose(loss(x, y), F::cross_entropy(x, y, loss.options)));
}

// ---------------------------------------------------------------- errors (worded as PyTorch)

TEST(LossErrors, ClassTargets) {
  const Tensor x = randn({32, 10});
  const Tensor y = randint(0, 10, {32});
  EXPECT_THROW_MSG(nn::CrossEntropyLoss()(x, rand({32})), "expected scalar type Long but found Float");
  EXPECT_THROW_MSG(nn::NLLLoss()(x, rand({32}, DType::f64)), "expected scalar type Long but found Double");
  EXPECT_THROW_MSG(F::cross_entropy(x, y.to(DType::i32)), "expected scalar type Long but found Int");
  Tensor bad = y.clone();
  bad.at<int64_t>(5) = 12;
  EXPECT_THROW_MSG(F::cross_entropy(x, bad), "Target 12 is out of bounds.");
  EXPECT_THROW_MSG(F::ref::cross_entropy(x, bad), "Target 12 is out of bounds.");
  bad.at<int64_t>(5) = -1;
  EXPECT_THROW_MSG(F::nll_loss(x, bad), "Target -1 is out of bounds.");
  EXPECT_THROW_MSG(F::cross_entropy(x, bad, {.label_smoothing = 0.1}), "Target -1 is out of bounds.");
  EXPECT_THROW_MSG(F::cross_entropy(x, randint(0, 10, {31})),
                   "Expected input batch_size (32) to match target batch_size (31).");
  EXPECT_THROW_MSG(F::nll_loss(randn({2, 4, 3}), randint(0, 4, {2, 4})), "Expected target size [2, 3], got [2, 4]");
  EXPECT_THROW_MSG(F::nll_loss(x, randint(0, 4, {32, 2})), "0D or 1D target tensor expected, multi-target not supported");
  EXPECT_THROW_MSG(nn::CrossEntropyLoss({.weight = ones({5})})(x, y),
                   "weight tensor should be defined either for all 10 classes or no classes but got weight tensor of "
                   "shape: [5]");
  EXPECT_THROW_MSG(F::nll_loss(x, y, {.weight = ones({5})}), "weight tensor should be defined either for all 10 classes");
  EXPECT_THROW_MSG(F::cross_entropy(x, rand({32, 10}), {.weight = ones({5})}),
                   "weight tensor should be defined either for all 10 classes");
  EXPECT_THROW_MSG(F::cross_entropy(x, y, {.label_smoothing = 1.5}), "label_smoothing must be between 0.0 and 1.0. Got: 1.5");
  EXPECT_THROW_MSG(F::cross_entropy(x, rand({32, 10}), {.ignore_index = 1}),
                   "ignore_index is not supported for floating point target");
  EXPECT_THROW_MSG(F::cross_entropy(x, zeros({32, 10}, DType::i64)),
                   "Expected floating point type for target with class probabilities, got Long");
  EXPECT_THROW_MSG(F::cross_entropy(x.to(DType::i64), y), "expected a floating point input");
  EXPECT_THROW_MSG(F::cross_entropy(x, Tensor()), "tensor is undefined");
}

TEST(LossErrors, Binary) {
  const Tensor p = rand({3}), t = rand({3});
  EXPECT_THROW_MSG(nn::BCELoss()(p, rand({3, 1})),
                   "Using a target size (torch.Size([3, 1])) that is different to the input size (torch.Size([3])) "
                   "is deprecated. Please ensure they have the same size.");
  EXPECT_THROW_MSG(F::binary_cross_entropy(Tensor::from<float>({0.5f, 1.5f}), rand({2})),
                   "all elements of input should be between 0 and 1");
  EXPECT_THROW_MSG(F::binary_cross_entropy(Tensor::from<float>({-0.1f}), rand({1})),
                   "all elements of input should be between 0 and 1");
  EXPECT_THROW_MSG(F::binary_cross_entropy(Tensor::from<float>({NAN}), rand({1})),
                   "all elements of input should be between 0 and 1");
  EXPECT_THROW_MSG(F::binary_cross_entropy(p, t, {.weight = ones({2})}),
                   "The size of tensor a (3) must match the size of tensor b (2) at non-singleton dimension 0");
  EXPECT_THROW_MSG(nn::BCEWithLogitsLoss()(p, rand({3, 1})),
                   "Target size (torch.Size([3, 1])) must be the same as input size (torch.Size([3]))");
  EXPECT_THROW_MSG(F::binary_cross_entropy_with_logits(p, t, {.pos_weight = ones({2})}),
                   "The size of tensor a (2) must match the size of tensor b (3) at non-singleton dimension 0");
  EXPECT_THROW_MSG(F::mse_loss(p, rand({4})),
                   "The size of tensor a (3) must match the size of tensor b (4) at non-singleton dimension 0");
}

}  // namespace
}  // namespace ojo::test
