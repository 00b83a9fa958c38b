// nn::Module behaviour: registration order and names, state_dict round trips and every
// load_state_dict error (worded as PyTorch's), train/eval propagation, Dropout and BatchNorm modes,
// zero_grad, devices, Sequential indexing, shape errors of the layers, and init's distributions.
#include <cmath>

#include "ojo/autograd/autograd.hpp"
#include "ojo/core/parallel.hpp"
#include "ojo/models/zoo.hpp"
#include "ojo/nn/init.hpp"
#include "ojo/nn/layers.hpp"
#include "test_util.hpp"

namespace ojo::test {
namespace {

using namespace ojo::nn;
using std::make_shared;

std::shared_ptr<Sequential> small_net() {
  return sequential({make_shared<Linear>(3, 4), make_shared<ReLU>(), make_shared<BatchNorm1d>(4),
                                 make_shared<Linear>(4, 2)});
}

TEST(Module, NamedParametersFollowRegistrationOrder) {
  auto net = small_net();
  std::vector<std::string> names;
  for (const auto& [name, p] : net->named_parameters()) names.push_back(name);
  EXPECT_EQ(names, (std::vector<std::string>{"0.weight", "0.bias", "2.weight", "2.bias", "3.weight", "3.bias"}));
  EXPECT_EQ(net->state_dict().keys(),
            (std::vector<std::string>{"0.weight", "0.bias", "2.weight", "2.bias", "2.running_mean", "2.running_var",
                                      "2.num_batches_tracked", "3.weight", "3.bias"}));
  EXPECT_EQ(net->num_parameters(), 3 * 4 + 4 + 4 + 4 + 4 * 2 + 2);
  for (const Tensor& p : net->parameters()) EXPECT_TRUE(p.requires_grad());
}

TEST(Module, StateDictRoundTripKeepsHandles) {
  manual_seed(1);
  auto a = small_net();
  manual_seed(2);
  auto b = small_net();
  const Tensor handle = b->parameters()[0];  // e.g. held by an optimizer
  b->load_state_dict(a->state_dict());
  for (const auto& [key, t] : a->state_dict()) EXPECT_TRUE(t.equal(b->state_dict().at(key))) << key;
  EXPECT_TRUE(handle.equal(a->parameters()[0]));  // loaded in place
  const Tensor x = Tensor::from<float>({{1, 2, 3}, {-1, 0, 2}});
  a->eval(), b->eval();
  EXPECT_TRUE((*a)(x).equal((*b)(x)));
}

TEST(Module, LoadStateDictErrorsListKeysAndChangeNothing) {
  auto net = small_net();
  const StateDict before = net->state_dict();
  StateDict sd = net->state_dict();
  StateDict missing;
  for (const auto& [k, t] : sd)
    if (k != "3.bias") missing.insert(k, t.clone());
  EXPECT_THROW_MSG(net->load_state_dict(missing), "Missing key(s) in state_dict: \"3.bias\".");
  missing.insert("3.bias", zeros({2}));
  missing.insert("extra.weight", zeros({1}));
  EXPECT_THROW_MSG(net->load_state_dict(missing), "Unexpected key(s) in state_dict: \"extra.weight\".");
  EXPECT_NO_THROW(net->load_state_dict(missing, /*strict=*/false));
  StateDict wrong = net->state_dict();
  wrong.insert("0.weight", zeros({4, 5}));
  EXPECT_THROW_MSG(net->load_state_dict(wrong),
                   "size mismatch for 0.weight: copying a param with shape [4, 5], the shape in current model is [4, 3].");
  // A failed load leaves every tensor as it was.
  for (const auto& [k, t] : net->state_dict())
    if (k != "3.bias") {
      EXPECT_TRUE(t.equal(before.at(k))) << k;
    }
}

TEST(Module, TrainEvalReachEverySubmodule) {
  auto model = make_shared<models::FashionMNISTModelV2>(1, 4, 3);
  EXPECT_TRUE(model->conv_block_1->is_training());
  model->eval();
  EXPECT_FALSE(model->is_training());
  EXPECT_FALSE((*model->conv_block_2)[0]->is_training());
  model->train();
  EXPECT_TRUE((*model->classifier)[1]->is_training());
}

TEST(Module, DropoutScalesInTrainingAndIsIdentityInEval) {
  Dropout drop(0.25);
  const Tensor x = ones({100000});
  manual_seed(0);
  const Tensor y = drop(x);
  const double kept = amax(y) > 0 ? sum(gt(y, 0.0).to(DType::f64)) / 100000.0 : 0.0;
  EXPECT_NEAR(kept, 0.75, 0.01);
  EXPECT_NEAR(amax(y), 1 / 0.75, 1e-6);  // survivors scaled by 1/(1-p)
  drop.eval();
  EXPECT_TRUE(drop(x).equal(x));
  EXPECT_THROW_MSG(Dropout(1.5), "dropout probability has to be between 0 and 1, but got 1.5");
}

TEST(Module, BatchNormTracksBatchesAndUsesRunningStatsInEval) {
  BatchNorm1d bn(2);
  const Tensor x = Tensor::from<float>({{1, 10}, {3, 14}, {5, 12}});
  bn(x);
  EXPECT_EQ(bn.num_batches_tracked.item(), 1);
  // running_mean = 0.9·0 + 0.1·batch mean; running_var = 0.9·1 + 0.1·unbiased variance.
  EXPECT_NEAR(bn.running_mean.at<float>(0), 0.3, 1e-6);
  EXPECT_NEAR(bn.running_var.at<float>(1), 0.9 + 0.1 * 4.0, 1e-6);
  bn.eval();
  const Tensor y = bn(x);
  EXPECT_NEAR(y.at<float>(0, 0), (1 - 0.3) / std::sqrt(0.9 + 0.1 * 4.0 + 1e-5), 1e-5);
  EXPECT_THROW_MSG(bn(zeros({2, 2, 2, 2})), "expected 2D or 3D input (got 4D input");
}

TEST(Module, ZeroGradSetsGradientsToNone) {
  Linear lin(3, 2);
  lin(ones({4, 3})).sum().backward();
  EXPECT_TRUE(lin.weight.grad().defined());
  lin.zero_grad();
  EXPECT_FALSE(lin.weight.grad().defined());
  EXPECT_FALSE(lin.bias.grad().defined());
}

TEST(Module, DevicesAreCpuOnly) {
  auto net = small_net();
  EXPECT_FALSE(cuda_is_available());
  EXPECT_EQ(&net->to(Device("cpu")), net.get());
  EXPECT_THROW_MSG(net->to(Device("cuda")), "device 'cuda' is not available");
  EXPECT_THROW_MSG(Device("tpu"), "expected 'cpu' or 'cuda', got 'tpu'");
}

TEST(Module, ToDtypeConvertsFloatTensorsAndKeepsLayersInSync) {
  auto net = small_net();
  net->to(DType::f64);
  for (const auto& [key, t] : net->state_dict())
    EXPECT_EQ(t.dtype(), key == "2.num_batches_tracked" ? DType::i64 : DType::f64) << key;
  for (const Tensor& p : net->parameters()) EXPECT_TRUE(p.requires_grad() && p.is_leaf());
  EXPECT_EQ(net->at<Linear>(0)->weight.dtype(), DType::f64);  // the layer's own handle follows
  const Tensor y = (*net)(ones({5, 3}, DType::f64));
  EXPECT_EQ(y.dtype(), DType::f64);
  y.sum().backward();
  EXPECT_TRUE(net->at<Linear>(3)->weight.grad().defined());
  EXPECT_THROW_MSG(net->to(DType::i32), "only accepts floating point dtypes");
}

TEST(Module, SequentialIndexing) {
  auto net = small_net();
  EXPECT_EQ((*net)[0]->type_name(), "Linear");
  EXPECT_EQ((*net)[-1]->type_name(), "Linear");
  EXPECT_EQ(net->at<BatchNorm1d>(2)->num_features, 4);
  EXPECT_THROW_MSG((*net)[4], "index 4 is out of range for 4 modules");
  EXPECT_THROW_MSG(net->at<Conv2d>(0), "module 0 is a Linear, not the type asked for");
}

// TinyVGG's forward runs its three Sequentials' layers as one list (forward_chain), and a
// Sequential of Sequentials opens them up: the same bits as calling the modules in turn, with and
// without gradients, one image and a batch, at 1 and 2 threads; the same gradients too.
TEST(Module, ForwardChainAndNestedSequentialsAsTheModulesInTurn) {
  manual_seed(3);
  models::FashionMNISTModelV2 model(1, 10, 10);
  const auto in_turn = [&](const Tensor& x) { return (*model.classifier)((*model.conv_block_2)((*model.conv_block_1)(x))); };
  const auto nested = sequential({model.conv_block_1, model.conv_block_2, model.classifier});
  for (int threads : {1, 2}) {
    set_num_threads(threads);
    for (int64_t n : {1, 3}) {
      const Tensor x = rand({n, 1, 28, 28});
      {
        InferenceMode guard;
        const Tensor expected = in_turn(x);
        EXPECT_TRUE(model(x).equal(expected)) << n << " images, " << threads << " threads";
        EXPECT_TRUE((*nested)(x).equal(expected)) << n << " images, " << threads << " threads";
      }
      const Tensor expected = in_turn(x);
      std::vector<Tensor> expected_grads;
      expected.sum().backward();
      for (const Tensor& p : model.parameters()) expected_grads.push_back(p.grad().clone());
      model.zero_grad();
      const Tensor y = model(x);
      EXPECT_TRUE(y.equal(expected));
      y.sum().backward();
      const auto params = model.parameters();
      for (size_t i = 0; i < params.size(); ++i) EXPECT_TRUE(params[i].grad().equal(expected_grads[i])) << i;
      model.zero_grad();
    }
  }
  set_num_threads(2);
  EXPECT_THROW_MSG(forward_chain(zeros({1, 1, 28, 28}), {model.conv_block_1.get(), nullptr}), "forward_chain: module 1 of 2 is null");
}

TEST(Module, RegistrationErrors) {
  Module m("Custom");
  m.register_parameter("w", zeros({2}));
  EXPECT_THROW_MSG(m.register_parameter("w", zeros({2})), "attribute 'w' already exists");
  EXPECT_THROW_MSG(m.register_buffer("a.b", zeros({2})), "must be non-empty and contain no '.'");
  EXPECT_THROW_MSG(m.register_parameter("i", zeros({2}, DType::i64)), "only Tensors of floating point dtype");
  EXPECT_THROW_MSG(m(zeros({1})), "Custom: this module has no single-tensor forward()");
}

TEST(Layers, ShapeErrorsNameOperationAndShapes) {
  Linear lin(490, 10);
  EXPECT_THROW_MSG(lin(zeros({32, 500})), "linear: input has 500 features, weight expects 490; input shape [32, 500]");
  Conv2d conv(1, 10, 3);
  EXPECT_THROW_MSG(conv(zeros({32, 3, 28, 28})),
                   "conv2d: input has 3 channels, weight expects 1 (input shape [32, 3, 28, 28]");
  EXPECT_THROW_MSG(conv(zeros({28, 28})), "Expected 3D (unbatched) or 4D (batched) input to conv2d");
  EXPECT_THROW_MSG(conv(zeros({1, 1, 2, 2})), "Kernel size can't be greater than actual input size");
  EXPECT_THROW_MSG(Conv2d(3, 8, 3, Conv2dOptions{.stride = 2, .padding = "same"}),
                   "padding='same' is not supported for strided convolutions");
  EXPECT_THROW_MSG(Conv2d(3, 8, 3, Conv2dOptions{.padding = "full"}), "Invalid padding string 'full'");
  EXPECT_THROW_MSG(Conv2d(3, 8, 3, Conv2dOptions{.groups = 2}), "in_channels must be divisible by groups");
  MaxPool2d pool(2);
  EXPECT_THROW_MSG(pool(zeros({1, 1, 1, 1})), "Output size is too small");
  EXPECT_THROW_MSG(MaxPool2d(2, MaxPool2dOptions{.padding = 2})(zeros({1, 1, 8, 8})),
                   "pad should be smaller than or equal to half of kernel size");
  EXPECT_THROW_MSG(pool(zeros({8, 8})), "Expected 3D or 4D (batch mode) tensor");
}

TEST(Init, DefaultLinearAndConvBoundsArePytorchs) {
  manual_seed(3);
  Linear lin(400, 30);
  // kaiming_uniform(a=√5) and the bias rule both give U(−1/√fan_in, 1/√fan_in).
  const double bound = 1 / std::sqrt(400.0);
  EXPECT_LE(amax(abs(lin.weight)), bound);
  EXPECT_GT(amax(abs(lin.weight)), 0.99 * bound);
  EXPECT_LE(amax(abs(lin.bias)), bound);
  Conv2d conv(10, 20, 3);
  EXPECT_LE(amax(abs(conv.weight)), 1 / std::sqrt(90.0));
}

TEST(Init, NamedInitialisers) {
  manual_seed(4);
  Tensor w = Tensor::empty({256, 512});
  init::kaiming_normal_(w, 0, init::FanMode::fan_in, "relu");
  const double std_expected = std::sqrt(2.0 / 512);
  const double var = mean(w * w);
  EXPECT_NEAR(std::sqrt(var), std_expected, 0.02 * std_expected);
  init::xavier_uniform_(w);
  EXPECT_LE(amax(abs(w)), std::sqrt(6.0 / (256 + 512)));
  init::zeros_(w);
  EXPECT_EQ(amax(abs(w)), 0);
  init::ones_(w);
  EXPECT_EQ(amin(w), 1);
  EXPECT_NEAR(init::calculate_gain("tanh"), 5.0 / 3.0, 1e-12);
  EXPECT_THROW_MSG(init::calculate_gain("swish"), "Unsupported nonlinearity swish");
  Tensor v = zeros({3});
  EXPECT_THROW_MSG(init::kaiming_uniform_(v), "fewer than 2 dimensions");
}

}  // namespace
}  // namespace ojo::test
