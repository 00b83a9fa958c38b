// ojo train | eval | predict — the guide's deep-learning workflow on FashionMNIST (§83–99).
//
//   ojo train [--model tinyvgg] [--epochs 3] [--batch-size 32] [--lr 0.1] [--optimizer sgd] OUT.safetensors
//   ojo eval WEIGHTS.safetensors [--json]
//   ojo predict WEIGHTS.safetensors IMAGE... [--json]
//
// train: manual_seed(--seed), the model, DataLoader(batch, shuffle) over the training set,
// CrossEntropyLoss, the optimizer, the guide's loop; prints each epoch's train and test loss and
// accuracy, then writes the weights (safetensors, atomically) with the model's name, hidden units
// and final test accuracy as metadata, so eval and predict rebuild the same model.
// eval: test loss and accuracy of saved weights. predict: the class of each image, read as gray,
// resized to 28×28 (INTER_AREA) and scaled to [0, 1] as ToTensor does; FashionMNIST items are light
// on a dark background.
#include <unistd.h>

#include <cstdio>
#include <iostream>
#include <map>
#include <memory>
#include <sstream>
#include <string>

#include "common.hpp"
#include "ojo/data/dataloader.hpp"
#include "ojo/imgproc/geometry.hpp"
#include "ojo/io/safetensors.hpp"
#include "ojo/models/zoo.hpp"
#include "ojo/nn/loss.hpp"
#include "ojo/optim/optimizer.hpp"
#include "ojo/tensor/ops.hpp"

namespace ojo::cli {
namespace {

const char* kModels = "tinyvgg (FashionMNISTModelV2), fashionmnist-v0 (Flatten+Linear), fashionmnist-v1 (with ReLU)";

std::shared_ptr<nn::Module> make_model(const std::string& name, int64_t hidden) {
  check(hidden > 0, "train", "--hidden-units must be positive, got ", hidden);
  if (name == "tinyvgg") return std::make_shared<models::FashionMNISTModelV2>(1, hidden, 10);
  if (name == "fashionmnist-v0") return std::make_shared<models::FashionMNISTModelV0>(784, hidden, 10);
  if (name == "fashionmnist-v1") return std::make_shared<models::FashionMNISTModelV1>(784, hidden, 10);
  fail("train", "unknown --model '", name, "' (expected ", kModels, ")");
}

struct Score {
  double loss, acc;
};

// Mean batch loss and accuracy (the guide's eval_model); `max_batches` >= 0 stops early.
Score evaluate(nn::Module& model, const data::DataLoader& loader, int64_t max_batches = -1) {
  nn::CrossEntropyLoss loss_fn;
  model.eval();
  InferenceMode guard;
  double loss = 0, correct = 0, seen = 0;
  int64_t batches = 0;
  for (const auto& [X, y] : loader) {
    if (batches == max_batches) break;
    ++batches;
    const Tensor logits = model(X);
    loss += loss_fn(logits, y).item();
    correct += eq(logits.argmax(1), y).sum().item();
    seen += static_cast<double>(y.numel());
  }
  return {loss / static_cast<double>(batches), 100.0 * correct / seen};
}

// "\r[#####     ] 12/30" on a terminal; nothing in a pipe.
void progress(int64_t done, int64_t total) {
  static const bool tty = isatty(STDERR_FILENO) != 0;
  if (!tty || total <= 0) return;
  const int width = 30, filled = static_cast<int>(width * done / total);
  std::fprintf(stderr, "\r[%s%s] %lld/%lld", std::string(filled, '#').c_str(), std::string(width - filled, ' ').c_str(),
               static_cast<long long>(done), static_cast<long long>(total));
  if (done == total) std::fprintf(stderr, "\r%*s\r", width + 24, "");
}

struct TrainOptions {
  std::string output, model = "tinyvgg", optimizer = "sgd", data_dir = data::FashionMNIST::kDefaultRoot;
  int64_t hidden = 10, epochs = 3, batch_size = 32, max_steps = -1, seed = 42;
  double lr = 0.1;
};

void run_train(const TrainOptions& o) {
  check(o.epochs > 0, "train", "--epochs must be positive, got ", o.epochs);
  check(o.lr > 0, "train", "--lr must be positive, got ", o.lr);
  check(o.optimizer == "sgd" || o.optimizer == "adam", "train", "unknown --optimizer '", o.optimizer,
        "' (expected sgd or adam)");
  auto train_data = std::make_shared<data::FashionMNIST>(true, o.data_dir);
  auto test_data = std::make_shared<data::FashionMNIST>(false, o.data_dir);
  data::DataLoader train_loader(train_data, {.batch_size = o.batch_size, .shuffle = true});
  data::DataLoader test_loader(test_data, {.batch_size = o.batch_size});
  manual_seed(static_cast<uint64_t>(o.seed));
  auto model = make_model(o.model, o.hidden);
  std::unique_ptr<optim::Optimizer> opt;
  if (o.optimizer == "sgd") opt = std::make_unique<optim::SGD>(model->parameters(), optim::SGDOptions{.lr = o.lr});
  else opt = std::make_unique<optim::Adam>(model->parameters(), optim::AdamOptions{.lr = o.lr});
  nn::CrossEntropyLoss loss_fn;
  const int64_t steps = o.max_steps >= 0 ? std::min(o.max_steps, train_loader.size()) : train_loader.size();
  Score test{};
  for (int64_t epoch = 0; epoch < o.epochs; ++epoch) {
    model->train();
    double train_loss = 0, correct = 0, seen = 0;
    int64_t step = 0;
    for (const auto& [X, y] : train_loader) {
      if (step == steps) break;
      const Tensor logits = (*model)(X);
      Tensor loss = loss_fn(logits, y);
      opt->zero_grad();
      loss.backward();
      opt->step();
      train_loss += loss.item();
      correct += eq(logits.argmax(1), y).sum().item();
      seen += static_cast<double>(y.numel());
      progress(++step, steps);
    }
    test = evaluate(*model, test_loader, o.max_steps);
    std::printf("Epoch: %lld | Train loss: %.5f | Train acc: %.2f%% | Test loss: %.5f | Test acc: %.2f%%\n",
                static_cast<long long>(epoch), train_loss / static_cast<double>(step), 100.0 * correct / seen,
                test.loss, test.acc);
    std::fflush(stdout);
  }
  std::ostringstream acc;
  acc << test.acc;
  safetensors::save(model->state_dict(), o.output,
                    {{"model", o.model}, {"hidden_units", std::to_string(o.hidden)}, {"test_acc", acc.str()}});
  std::printf("Saved %s to %s\n", model->type_name().c_str(), o.output.c_str());
}

// The model a weights file was trained as, with its weights loaded.
std::shared_ptr<nn::Module> load_model(const std::string& path, const char* op) {
  std::map<std::string, std::string> meta;
  const StateDict weights = safetensors::load(path, &meta);
  if (!meta.count("model") || !meta.count("hidden_units"))
    fail(op, path, " has no 'model' / 'hidden_units' metadata (expected a file written by `ojo train`)");
  int64_t hidden = 0;
  try {
    hidden = std::stoll(meta.at("hidden_units"));
  } catch (const std::exception&) {
    fail(op, path, ": metadata hidden_units='", meta.at("hidden_units"), "' is not a number");
  }
  auto model = make_model(meta.at("model"), hidden);
  model->load_state_dict(weights);
  model->eval();
  return model;
}

struct EvalOptions {
  std::string weights, data_dir = data::FashionMNIST::kDefaultRoot;
  int64_t batch_size = 256;
  bool json = false;
};

void run_eval(const EvalOptions& o) {
  auto model = load_model(o.weights, "eval");
  data::DataLoader loader(std::make_shared<data::FashionMNIST>(false, o.data_dir), {.batch_size = o.batch_size});
  const Score s = evaluate(*model, loader);
  if (o.json)
    std::printf("{\"model_name\": %s, \"model_loss\": %s, \"model_acc\": %s}\n", json_string(model->type_name()).c_str(),
                json_number(s.loss).c_str(), json_number(s.acc).c_str());
  else
    std::printf("%s: test loss %.5f | test acc %.2f%%\n", model->type_name().c_str(), s.loss, s.acc);
}

struct PredictOptions {
  std::string weights;
  std::vector<std::string> images;
  bool json = false;
};

void run_predict(const PredictOptions& o) {
  auto model = load_model(o.weights, "predict");
  InferenceMode guard;
  std::string json = "[";
  for (size_t i = 0; i < o.images.size(); ++i) {
    Tensor img = read_array(o.images[i], ImreadMode::gray);
    if (img.dim() == 3 && img.size(2) == 1) img = img.squeeze(2);
    if (img.dim() != 2 || img.dtype() != DType::u8)
      fail("predict", o.images[i], " is ", dtype_name(img.dtype()), " ", shape_str(img.shape()),
           ", expected an 8-bit image");
    if (img.size(0) != 28 || img.size(1) != 28) img = resize(img, {28, 28}, 0, 0, INTER_AREA);
    const Tensor x = (img.to(DType::f32) / 255.0).reshape({1, 1, 28, 28});
    const Tensor probs = softmax((*model)(x), 1);
    const int64_t cls = static_cast<int64_t>(probs.argmax().item());
    const double p = probs.at<float>(0, cls);
    const std::string& name = data::FashionMNIST::classes()[static_cast<size_t>(cls)];
    if (o.json)
      json += std::string(i ? ", " : "") + "{\"image\": " + json_string(o.images[i]) + ", \"class\": " +
              std::to_string(cls) + ", \"name\": " + json_string(name) + ", \"probability\": " + json_number(p) + "}";
    else
      std::printf("%s: %s (class %lld, p=%.3f)\n", o.images[i].c_str(), name.c_str(), static_cast<long long>(cls), p);
  }
  if (o.json) std::printf("%s]\n", json.c_str());
}

}  // namespace

void register_learn(CLI::App& app) {
  auto t = std::make_shared<TrainOptions>();
  CLI::App* train = app.add_subcommand("train", "Train a FashionMNIST classifier (the guide's §83-99 loop) and save its weights");
  train->add_option("OUT", t->output, "Weights file to write (.safetensors)")->required();
  train->add_option("--model", t->model, std::string("Model: ") + kModels)->capture_default_str();
  train->add_option("--hidden-units", t->hidden, "Hidden units / channels")->capture_default_str();
  train->add_option("--epochs", t->epochs, "Epochs")->capture_default_str();
  train->add_option("--batch-size", t->batch_size, "Batch size")->capture_default_str();
  train->add_option("--lr", t->lr, "Learning rate")->capture_default_str();
  train->add_option("--optimizer", t->optimizer, "sgd or adam")->capture_default_str();
  train->add_option("--seed", t->seed, "manual_seed before building the model (PyTorch's stream)")->capture_default_str();
  train->add_option("--max-steps", t->max_steps, "Stop each epoch and its test pass after this many batches (quick runs)");
  train->add_option("--data-dir", t->data_dir, "Folder with the FashionMNIST IDX files")->capture_default_str();
  train->callback([t] { run_train(*t); });

  auto e = std::make_shared<EvalOptions>();
  CLI::App* eval = app.add_subcommand("eval", "Test loss and accuracy of weights written by `ojo train`");
  eval->add_option("WEIGHTS", e->weights, "Weights file (.safetensors from ojo train)")->required();
  eval->add_option("--batch-size", e->batch_size, "Batch size")->capture_default_str();
  eval->add_option("--data-dir", e->data_dir, "Folder with the FashionMNIST IDX files")->capture_default_str();
  eval->add_flag("--json", e->json, "Print a JSON object (the guide's eval_model dict)");
  eval->callback([e] { run_eval(*e); });

  auto p = std::make_shared<PredictOptions>();
  CLI::App* predict = app.add_subcommand("predict", "Classify images with weights written by `ojo train`");
  predict->add_option("WEIGHTS", p->weights, "Weights file (.safetensors from ojo train)")->required();
  predict->add_option("IMAGE", p->images, "Images (read as gray, resized to 28x28)")->required();
  predict->add_flag("--json", p->json, "Print a JSON array");
  predict->callback([p] { run_predict(*p); });
}

}  // namespace ojo::cli
