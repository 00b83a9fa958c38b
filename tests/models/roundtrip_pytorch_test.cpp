// ctest-labels: pytorch
// Weights move between ojo and PyTorch 1.13 through safetensors files (scripts/model_roundtrip.py):
// ojo's weights loaded into the same PyTorch class predict what ojo predicts, and PyTorch's weights
// loaded into ojo predict what PyTorch predicts (atol 1e-5 + rtol 1e-5), for the guide's models.
#include <cstdlib>

#include "autograd/compare.hpp"
#include "ojo/io/npy.hpp"
#include "ojo/io/safetensors.hpp"
#include "ojo/models/zoo.hpp"

namespace ojo::test {
namespace {

using std::make_shared;

struct RoundTripCase {
  std::string name;
  std::function<std::shared_ptr<nn::Module>()> make;
  Shape input;
};
void PrintTo(const RoundTripCase& c, std::ostream* os) { *os << c.name; }

class RoundTrip : public ::testing::TestWithParam<RoundTripCase> {};

TEST_P(RoundTrip, PredictionsEqualAfterTheTripBothWays) {
  const RoundTripCase& c = GetParam();
  TempDir dir;
  manual_seed(11);
  auto model = c.make();
  model->eval();
  const Tensor x = randn(c.input);
  save_npy(dir.path("input.npy"), x);
  safetensors::save(model->state_dict(), dir.path("ojo.safetensors"));
  const std::string cmd = "/usr/bin/python3 " + source_dir() + "/scripts/model_roundtrip.py " + c.name + " " +
                          dir.path("ojo.safetensors") + " " + dir.path("input.npy") + " " + dir.str() + " >" +
                          dir.path("log.txt") + " 2>&1";
  ASSERT_EQ(std::system(cmd.c_str()), 0) << "model_roundtrip.py failed; see its output:\n" << read_bytes(dir.path("log.txt"));

  // ojo → PyTorch
  EXPECT_TRUE(allclose(load_npy(dir.path("torch_on_ojo_weights.npy")), (*model)(x), 1e-5, 1e-5));
  // PyTorch → ojo
  auto from_torch = c.make();
  from_torch->load_state_dict(safetensors::load(dir.path("torch.safetensors")));
  from_torch->eval();
  EXPECT_TRUE(allclose((*from_torch)(x), load_npy(dir.path("torch_preds.npy")), 1e-5, 1e-5));
}

INSTANTIATE_TEST_SUITE_P(
    Models, RoundTrip,
    ::testing::Values(
        RoundTripCase{"FashionMNISTModelV2", [] { return make_shared<models::FashionMNISTModelV2>(1, 10, 10); },
                      {4, 1, 28, 28}},
        RoundTripCase{"FashionMNISTModelV1", [] { return make_shared<models::FashionMNISTModelV1>(784, 10, 10); },
                      {3, 1, 28, 28}},
        RoundTripCase{"CircleModelV2", [] { return make_shared<models::CircleModelV2>(); }, {6, 2}},
        RoundTripCase{"BlobModel", [] { return make_shared<models::BlobModel>(2, 4, 8); }, {5, 2}},
        RoundTripCase{"CIFAR10Model", [] { return make_shared<models::CIFAR10Model>(); }, {2, 3, 32, 32}}),
    [](const auto& info) { return info.param.name; });

}  // namespace
}  // namespace ojo::test
