// ctest-labels: pytorch
// The guide's models against the same classes built by PyTorch 1.13
// (scripts/reference/models_reference.py → tests/models/data): print(model), state_dict keys in
// order with shapes and dtypes, parameter counts, and — for the models whose weights are checked
// in — the eval-mode output on a fixed input after loading PyTorch's initial weights
// (atol 1e-5 + rtol 1e-5).
#include <nlohmann/json.hpp>

#include <fstream>

#include "autograd/compare.hpp"
#include "ojo/io/npy.hpp"
#include "ojo/models/zoo.hpp"

namespace ojo::test {
namespace {

using nlohmann::json;
using std::make_shared;

std::string data_dir() { return source_dir() + "/tests/models/data/"; }

const json& manifest() {
  static const json j = [] {
    std::ifstream in(data_dir() + "manifest.json");
    if (!in) throw std::runtime_error("missing tests/models/data/manifest.json (run models_reference.py)");
    return json::parse(in);
  }();
  return j;
}

std::shared_ptr<nn::Module> make_model(const std::string& name) {
  using namespace models;
  if (name == "LinearRegressionModel") return make_shared<LinearRegressionModel>();
  if (name == "LinearRegressionModelV2") return make_shared<LinearRegressionModelV2>();
  if (name == "and_mlp") return and_mlp();
  if (name == "CircleModelV0") return make_shared<CircleModelV0>();
  if (name == "CircleModelV2") return make_shared<CircleModelV2>();
  if (name == "BlobModel") return make_shared<BlobModel>(2, 4, 8);
  if (name == "FashionMNISTModelV0") return make_shared<FashionMNISTModelV0>(784, 10, 10);
  if (name == "FashionMNISTModelV1") return make_shared<FashionMNISTModelV1>(784, 10, 10);
  if (name == "FashionMNISTModelV2") return make_shared<FashionMNISTModelV2>(1, 10, 10);
  if (name == "TinyVGG") return make_shared<TinyVGG>(1, 10, 10);
  if (name == "CIFAR10Model") return make_shared<CIFAR10Model>();
  if (name == "AlexNet") return make_shared<AlexNet>();
  return nullptr;
}

class Models : public ::testing::TestWithParam<std::string> {};
class ModelsForward : public ::testing::TestWithParam<std::string> {};

TEST_P(Models, PrintKeysAndCountsAsPytorch) {
  const std::string name = GetParam();
  const json& m = manifest().at(name);
  auto model = make_model(name);
  ASSERT_NE(model, nullptr) << "no ojo model named " << name;
  EXPECT_EQ(model->repr(), m["repr"].get<std::string>());
  EXPECT_EQ(model->num_parameters(), m["num_parameters"].get<int64_t>());
  const StateDict sd = model->state_dict();
  ASSERT_EQ(sd.size(), m["keys"].size());
  size_t i = 0;
  for (const auto& [key, t] : sd) {
    const json& e = m["keys"][i++];
    EXPECT_EQ(key, e[0].get<std::string>());
    EXPECT_EQ(t.shape(), e[1].get<Shape>()) << key;
    EXPECT_EQ(std::string(dtype_name(t.dtype())), e[2].get<std::string>()) << key;
  }
}

// CIFAR10Model and AlexNet have no forward data (their weights are too large to check in); their
// layers are tested one by one in tests/nn.
TEST_P(ModelsForward, WithPytorchWeights) {
  const std::string name = GetParam();
  const json& m = manifest().at(name);
  auto model = make_model(name);
  StateDict weights;
  for (const auto& e : m["keys"]) {
    const std::string key = e[0];
    weights.insert(key, load_npy(data_dir() + name + "." + key + ".npy"));
  }
  model->load_state_dict(weights);
  model->eval();
  const Tensor x = load_npy(data_dir() + name + ".input.npy"), expected = load_npy(data_dir() + name + ".output.npy");
  EXPECT_TRUE(allclose((*model)(x), expected, 1e-5, 1e-5));
  InferenceMode inference;  // nothing recorded: the fused paths (conv2d_relu_max_pool2d) run
  EXPECT_TRUE(allclose((*model)(x), expected, 1e-5, 1e-5)) << "under InferenceMode";
}

// manual_seed(42) then construction draws PyTorch's initial weights (the reference script seeds
// torch.manual_seed(42) before building each model).
TEST_P(ModelsForward, InitialWeightsAsPytorchFromTheSameSeed) {
  const std::string name = GetParam();
  manual_seed(42);
  auto model = make_model(name);
  for (const auto& [key, t] : model->state_dict())
    EXPECT_TRUE(t.equal(load_npy(data_dir() + name + "." + key + ".npy"))) << name << "." << key;
}

std::vector<std::string> model_names(bool with_forward_data_only) {
  std::vector<std::string> names;
  for (const auto& [name, m] : manifest().items())
    if (!with_forward_data_only || m["forward"].get<bool>()) names.push_back(name);
  return names;
}
INSTANTIATE_TEST_SUITE_P(Zoo, Models, ::testing::ValuesIn(model_names(false)),
                         [](const auto& info) { return info.param; });
INSTANTIATE_TEST_SUITE_P(Zoo, ModelsForward, ::testing::ValuesIn(model_names(true)),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace ojo::test
