// The guide's PyTorch workflow (§56–63) on the linear-regression data: make data with a known
// weight and bias, split it 80/20, fit `weights * x + bias` (the nn.Parameter model of §58) with
// nn::L1Loss and optim::SGD, evaluate under inference mode, check what it learned, then save the
// state_dict (safetensors), load it into a new model and check the predictions are equal (§61).
//
// The guide's PyTorch version (abridged):
//   X = torch.arange(0, 1, 0.02).unsqueeze(dim=1); y = 0.7 * X + 0.3
//   torch.manual_seed(42); weights = torch.randn(1, requires_grad=True); bias = ...
//   optimizer = torch.optim.SGD(params=model_0.parameters(), lr=0.01)
//   for epoch in range(epochs):
//       loss = loss_fn(model_0(X_train), y_train); optimizer.zero_grad(); loss.backward(); optimizer.step()
//       with torch.inference_mode(): test_loss = loss_fn(model_0(X_test), y_test)
//
// Usage: example_linear_regression [--epochs N] [--lr LR] [--random-init]   (default 300 epochs, lr 0.01;
// --random-init starts from a clock seed instead of the guide's manual_seed(42))
// Exits 1 if the learned weight or bias is more than 0.05 away from 0.7 / 0.3.
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <exception>
#include <iostream>
#include <string>

#include "ojo/ojo.hpp"

using namespace ojo;

namespace {

std::string size_str(const Tensor& t) { return "torch.Size(" + shape_str(t.shape()) + ")"; }

}  // namespace

int main(int argc, char** argv) try {
  int epochs = 300;
  double lr = 0.01;
  bool random_init = false;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--epochs" && i + 1 < argc) epochs = std::stoi(argv[++i]);
    else if (arg == "--lr" && i + 1 < argc) lr = std::stod(argv[++i]);
    else if (arg == "--random-init") random_init = true;
    else {
      std::cerr << "usage: example_linear_regression [--epochs N] [--lr LR] [--random-init]\n";
      return 2;
    }
  }

  // §57 data: known parameters, X in [0, 1) in steps of 0.02.
  const double weight = 0.7, bias = 0.3;
  Tensor X = arange(0.0, 1.0, 0.02, DType::f32);
  std::cout << size_str(X) << "\n";
  X = X.unsqueeze(1);
  std::cout << size_str(X) << "\n";
  const Tensor y = weight * X + bias;
  std::cout << "X:\n " << X.index({Slice(None, 10)}) << "\n";
  std::cout << "X shape: " << size_str(X) << "\n";
  std::cout << "y:\n " << y.index({Slice(None, 10)}) << "\n";
  std::cout << "y shape: " << size_str(y) << "\n";

  // 80/20 train/test split.
  const int64_t train_split = static_cast<int64_t>(0.8 * static_cast<double>(X.size(0)));
  const Tensor X_train = X.index({Slice(None, train_split)}), y_train = y.index({Slice(None, train_split)});
  const Tensor X_test = X.index({Slice(train_split)}), y_test = y.index({Slice(train_split)});
  std::cout << "(" << X_train.size(0) << ", " << y_train.size(0) << ", " << X_test.size(0) << ", "
            << y_test.size(0) << ")\n";

  // §58 model with random parameters.
  manual_seed(42);
  // ojo's generator is PyTorch's: after manual_seed(42) the two randn draws are the guide's
  // 0.3367 / 0.1288. --random-init seeds from the clock instead.
  if (random_init) manual_seed(static_cast<uint64_t>(std::chrono::steady_clock::now().time_since_epoch().count()));
  models::LinearRegressionModel model_0;
  std::cout << "[Parameter containing: " << model_0.weights << ",\n Parameter containing: " << model_0.bias
            << "]\n";
  {
    InferenceMode mode;
    const Tensor y_preds = model_0.forward(X_test);
    std::cout << "Número de muestras de prueba: " << X_test.size(0) << "\n";
    std::cout << "Número de predicciones hechas: " << y_preds.size(0) << "\n";
    std::cout << "Valores predichos:\n" << y_preds << "\n";
  }

  // §59 training loop.
  nn::L1Loss loss_fn;  // mean absolute error
  optim::SGD optimizer(model_0.parameters(), {.lr = lr});
  for (int epoch = 0; epoch < epochs; ++epoch) {
    const Tensor y_pred = model_0.forward(X_train);    // 1. forward pass
    const Tensor loss = loss_fn(y_pred, y_train);      // 2. loss
    optimizer.zero_grad();                             // 3. zero the gradients
    loss.backward();                                   // 4. backpropagation
    optimizer.step();                                  // 5. update the parameters
    InferenceMode mode;                                // testing
    const Tensor test_loss = loss_fn(model_0.forward(X_test), y_test);
    if (epoch % 10 == 0)
      std::cout << "Epoch: " << epoch << " | MAE Train Loss: " << loss << " | MAE Test Loss: " << test_loss << "\n";
  }

  std::cout << "El modelo aprendió los siguientes valores para weights y bias:\n";
  std::cout << "OrderedDict([('weights', " << model_0.weights.detach() << "), ('bias', " << model_0.bias.detach()
            << ")])\n";
  std::cout << "\nY los valores originales para weights y bias son:\n";
  std::cout << "weights: " << weight << ", bias: " << bias << "\n";

  // §60 inference with the trained model.
  {
    InferenceMode mode;
    std::cout << "y_preds:\n" << model_0.forward(X_test) << "\n";
  }
  // §61 save and load: the state_dict as a safetensors file (no pickle), into a new model.
  const std::string path = "01_pytorch_workflow_model_0.safetensors";
  safetensors::save(model_0.state_dict(), path);
  models::LinearRegressionModel loaded_model_0;
  loaded_model_0.load_state_dict(safetensors::load(path));
  std::cout << "\nModelo cargado: " << loaded_model_0.state_dict().at("weights") << ", "
            << loaded_model_0.state_dict().at("bias") << "\n";
  {
    InferenceMode mode;
    const bool same = loaded_model_0.forward(X_test).equal(model_0.forward(X_test));
    std::cout << "y_preds == loaded_model_preds: " << (same ? "True" : "False") << "\n";
    if (!same) {
      std::cerr << "linear_regression: the reloaded model predicts differently\n";
      return 1;
    }
  }
  const double w = model_0.weights.item(), b = model_0.bias.item();
  if (std::fabs(w - weight) > 0.05 || std::fabs(b - bias) > 0.05) {
    std::cerr << "linear_regression: learned weight " << w << " / bias " << b << ", expected within 0.05 of "
              << weight << " / " << bias << "\n";
    return 1;
  }
  return 0;
} catch (const std::exception& e) {
  std::cerr << "linear_regression: " << e.what() << "\n";
  return 1;
}
