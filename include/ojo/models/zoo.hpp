// The guide's models, ready to use. Each has the guide's attribute names, so state_dict() keys and
// print(model) are exactly PyTorch's for the same class (weights move both ways through
// safetensors files), and forward() computes what the guide's forward() computes.
//
//   manual_seed(42);
//   auto model = std::make_shared<models::FashionMNISTModelV2>(1, 10, 10);   // TinyVGG
//   Tensor logits = (*model)(images);                                       // {N, 1, 28, 28} → {N, 10}
//   std::cout << *model;
//
// §56–63: LinearRegressionModel (nn.Parameter), LinearRegressionModelV2 (nn.Linear)
// §46:    and_mlp() — the AND/XOR network (Linear 2→2, Sigmoid, Linear 2→1, Sigmoid)
// §64–81: CircleModelV0, CircleModelV2, BlobModel
// §88–99: FashionMNISTModelV0 (Flatten + Linear), V1 (with ReLU), V2 = TinyVGG
// §100–109: TinyVGG (the same network under its own name), CIFAR10Model, AlexNet
#pragma once

#include <cstdint>
#include <memory>

#include "ojo/nn/layers.hpp"

namespace ojo::models {

using nn::Linear;
using nn::Module;
using nn::Sequential;

// y = weights·x + bias with two scalar parameters drawn from randn (the guide's first model).
class LinearRegressionModel : public Module {
 public:
  LinearRegressionModel();
  Tensor forward(const Tensor& x) override;
  Tensor weights, bias;

 protected:
  void on_tensor_replaced(const std::string& name, const Tensor& t) override {
    (name == "weights" ? weights : bias) = t;
  }
};

class LinearRegressionModelV2 : public Module {
 public:
  LinearRegressionModelV2();
  Tensor forward(const Tensor& x) override;
  std::shared_ptr<Linear> linear_layer;
};

// The §46 logic-gate network (AND and XOR use the same architecture).
std::shared_ptr<Sequential> and_mlp();

class CircleModelV0 : public Module {
 public:
  CircleModelV0();
  Tensor forward(const Tensor& x) override;
  std::shared_ptr<Linear> layer_1, layer_2;
};

class CircleModelV2 : public Module {
 public:
  CircleModelV2();
  Tensor forward(const Tensor& x) override;
  std::shared_ptr<Linear> layer_1, layer_2, layer_3;
  std::shared_ptr<nn::ReLU> relu;
};

class BlobModel : public Module {
 public:
  BlobModel(int64_t input_features, int64_t output_features, int64_t hidden_units = 8);
  Tensor forward(const Tensor& x) override;
  std::shared_ptr<Sequential> linear_layer_stack;
};

class FashionMNISTModelV0 : public Module {
 public:
  FashionMNISTModelV0(int64_t input_shape, int64_t hidden_units, int64_t output_shape);
  Tensor forward(const Tensor& x) override;
  std::shared_ptr<Sequential> layer_stack;
};

class FashionMNISTModelV1 : public Module {
 public:
  FashionMNISTModelV1(int64_t input_shape, int64_t hidden_units, int64_t output_shape);
  Tensor forward(const Tensor& x) override;
  std::shared_ptr<Sequential> layer_stack;
};

// TinyVGG: two blocks of (Conv3×3 pad 1, ReLU) ×2 + MaxPool 2, then Flatten + Linear(hidden·7·7).
// `type_name` lets the same network print as FashionMNISTModelV2 (§93) or TinyVGG (§105).
class FashionMNISTModelV2 : public Module {
 public:
  FashionMNISTModelV2(int64_t input_shape, int64_t hidden_units, int64_t output_shape,
                      const char* type_name = "FashionMNISTModelV2");
  Tensor forward(const Tensor& x) override;
  std::shared_ptr<Sequential> conv_block_1, conv_block_2, classifier;
};
class TinyVGG : public FashionMNISTModelV2 {
 public:
  TinyVGG(int64_t input_shape, int64_t hidden_units, int64_t output_shape)
      : FashionMNISTModelV2(input_shape, hidden_units, output_shape, "TinyVGG") {}
};

// §108: Conv(3→32)+ReLU+Pool, Conv(32→64)+ReLU+Pool, Linear 4096→512, ReLU, Linear 512→10.
class CIFAR10Model : public Module {
 public:
  CIFAR10Model();
  Tensor forward(const Tensor& x) override;
  std::shared_ptr<Sequential> conv_layers, fc_layers;
};

// §106: AlexNet for 224×224 RGB input as the guide writes it (Linear 256·6·6 → 4096 → 4096 → classes).
class AlexNet : public Module {
 public:
  explicit AlexNet(int64_t num_classes = 10);
  Tensor forward(const Tensor& x) override;
  std::shared_ptr<Sequential> features, classifier;
};

}  // namespace ojo::models
