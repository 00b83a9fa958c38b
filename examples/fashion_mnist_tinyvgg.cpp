// ctest-args: --epochs 1 --max-steps 30
// The guide's computer-vision workflow (§83–99): FashionMNIST through DataLoaders (batch 32,
// shuffled training set), TinyVGG (FashionMNISTModelV2(1, 10, 10)), CrossEntropyLoss, SGD(lr=0.1),
// the guide's train and test loops for 3 epochs, then eval_model. With ojo's PyTorch-identical
// generator, the initial weights and the batch order are PyTorch's after torch.manual_seed(42);
// scripts/reference/tinyvgg_fashion.py is the same program in PyTorch for comparing accuracies.
//
// Usage: example_fashion_mnist_tinyvgg [--epochs N] [--max-steps S] [--threads T]
//   --max-steps limits the training and test batches per epoch (quick runs; ctest uses 30).
// Exits 1 if a full run (no --max-steps) ends below 85% test accuracy, or a short run does not
// bring the training loss below its start.
#include <cstdio>
#include <iostream>
#include <string>

#include "ojo/data/dataloader.hpp"
#include "ojo/ojo.hpp"

using namespace ojo;

namespace {

struct Result {
  double loss, acc;
};

// The guide's eval_model: mean loss over batches and accuracy in percent, under inference mode.
// `max_batches` >= 0 stops early (quick runs).
Result eval_model(nn::Module& model, const data::DataLoader& loader, nn::CrossEntropyLoss& loss_fn,
                  int64_t max_batches = -1) {
  model.eval();
  InferenceMode guard;
  double loss = 0, correct = 0, seen = 0;
  int64_t batches = 0;
  for (const auto& [X, y] : loader) {
    if (max_batches >= 0 && batches == max_batches) break;
    ++batches;
    const Tensor y_pred = model(X);
    loss += loss_fn(y_pred, y).item();
    correct += eq(y_pred.argmax(1), y).sum().item();
    seen += static_cast<double>(y.numel());
  }
  return {loss / static_cast<double>(batches), 100.0 * correct / seen};
}

}  // namespace

int main(int argc, char** argv) try {
  int epochs = 3, threads = 0;
  int64_t max_steps = -1;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--epochs" && i + 1 < argc) epochs = std::stoi(argv[++i]);
    else if (arg == "--max-steps" && i + 1 < argc) max_steps = std::stoll(argv[++i]);
    else if (arg == "--threads" && i + 1 < argc) threads = std::stoi(argv[++i]);
    else {
      std::cerr << "usage: example_fashion_mnist_tinyvgg [--epochs N] [--max-steps S] [--threads T]\n";
      return 2;
    }
  }
  if (threads > 0) set_num_threads(threads);

  auto train_data = std::make_shared<data::FashionMNIST>(true);
  auto test_data = std::make_shared<data::FashionMNIST>(false);
  std::cout << "Train: " << train_data->size() << " | Test: " << test_data->size() << "\n";
  data::DataLoader train_dataloader(train_data, {.batch_size = 32, .shuffle = true});
  data::DataLoader test_dataloader(test_data, {.batch_size = 32, .shuffle = false});
  std::cout << "Longitud de train_dataloader: " << train_dataloader.size() << " batches de 32\n";
  std::cout << "Longitud de test_dataloader: " << test_dataloader.size() << " batches de 32\n";

  manual_seed(42);
  models::FashionMNISTModelV2 model_2(1, 10, 10);
  std::cout << model_2 << "\n";
  nn::CrossEntropyLoss loss_fn;
  optim::SGD optimizer(model_2.parameters(), {.lr = 0.1});

  manual_seed(42);
  double first_loss = -1, last_train_loss = 0;
  for (int epoch = 0; epoch < epochs; ++epoch) {
    std::printf("Epoch: %d\n-------\n", epoch);
    double train_loss = 0, correct = 0, seen = 0;
    int64_t batch = 0;
    model_2.train();
    for (const auto& [X, y] : train_dataloader) {
      if (max_steps >= 0 && batch >= max_steps) break;
      const Tensor y_pred = model_2(X);  // 1. forward
      Tensor loss = loss_fn(y_pred, y);  // 2. loss
      train_loss += loss.item();
      if (first_loss < 0) first_loss = loss.item();
      correct += eq(y_pred.argmax(1), y).sum().item();
      seen += static_cast<double>(y.numel());
      optimizer.zero_grad();  // 3. zero_grad
      loss.backward();        // 4. backward
      optimizer.step();       // 5. step
      if (batch % 400 == 0)
        std::printf("Visto %lld/%lld muestras\n", static_cast<long long>(batch * X.size(0)),
                    static_cast<long long>(train_data->size()));
      ++batch;
    }
    train_loss /= static_cast<double>(batch);
    last_train_loss = train_loss;
    std::printf("Train loss: %.5f | Train acc: %.4f\n", train_loss, correct / seen);
    const Result test = eval_model(model_2, test_dataloader, loss_fn, max_steps);
    std::printf("Test loss: %.5f | Test acc: %.2f%%\n", test.loss, test.acc);
    if (max_steps < 0 && epoch == epochs - 1 && epochs >= 3 && test.acc < 85.0) {
      std::cerr << "TinyVGG reached only " << test.acc << "% test accuracy after " << epochs << " epochs (expected > 85%)\n";
      return 1;
    }
  }
  const Result r = eval_model(model_2, test_dataloader, loss_fn, max_steps);
  std::printf("{'model_name': '%s', 'model_loss': %.6f, 'model_acc': %.4f}\n", model_2.type_name().c_str(), r.loss, r.acc);
  if (max_steps >= 0 && !(last_train_loss < first_loss)) {
    std::cerr << "training loss did not fall (first batch " << first_loss << ", epoch mean " << last_train_loss << ")\n";
    return 1;
  }
  return 0;
} catch (const std::exception& e) {
  std::cerr << "fashion_mnist_tinyvgg: " << e.what() << "\n";
  return 1;
}
