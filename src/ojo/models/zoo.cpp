#include "ojo/models/zoo.hpp"

namespace ojo::models {

using namespace ojo::nn;
using std::make_shared;

namespace {
std::shared_ptr<Conv2d> conv3x3(int64_t in, int64_t out) {
  return make_shared<Conv2d>(in, out, 3, Conv2dOptions{.stride = 1, .padding = 1});
}
}  // namespace

LinearRegressionModel::LinearRegressionModel() : Module("LinearRegressionModel") {
  weights = register_parameter("weights", randn({1}));
  bias = register_parameter("bias", randn({1}));
}
Tensor LinearRegressionModel::forward(const Tensor& x) { return weights * x + bias; }

LinearRegressionModelV2::LinearRegressionModelV2() : Module("LinearRegressionModelV2") {
  linear_layer = register_module("linear_layer", make_shared<Linear>(1, 1));
}
Tensor LinearRegressionModelV2::forward(const Tensor& x) { return (*linear_layer)(x); }

std::shared_ptr<Sequential> and_mlp() {
  return sequential({make_shared<Linear>(2, 2), make_shared<Sigmoid>(), make_shared<Linear>(2, 1),
                                 make_shared<Sigmoid>()});
}

CircleModelV0::CircleModelV0() : Module("CircleModelV0") {
  layer_1 = register_module("layer_1", make_shared<Linear>(2, 5));
  layer_2 = register_module("layer_2", make_shared<Linear>(5, 1));
}
Tensor CircleModelV0::forward(const Tensor& x) { return (*layer_2)((*layer_1)(x)); }

CircleModelV2::CircleModelV2() : Module("CircleModelV2") {
  layer_1 = register_module("layer_1", make_shared<Linear>(2, 10));
  layer_2 = register_module("layer_2", make_shared<Linear>(10, 10));
  layer_3 = register_module("layer_3", make_shared<Linear>(10, 1));
  relu = register_module("relu", make_shared<ReLU>());
}
Tensor CircleModelV2::forward(const Tensor& x) {
  return (*layer_3)((*relu)((*layer_2)((*relu)((*layer_1)(x)))));
}

BlobModel::BlobModel(int64_t in, int64_t out, int64_t hidden) : Module("BlobModel") {
  linear_layer_stack = register_module(
      "linear_layer_stack",
      sequential({make_shared<Linear>(in, hidden), make_shared<Linear>(hidden, hidden),
                              make_shared<Linear>(hidden, out)}));
}
Tensor BlobModel::forward(const Tensor& x) { return (*linear_layer_stack)(x); }

FashionMNISTModelV0::FashionMNISTModelV0(int64_t in, int64_t hidden, int64_t out) : Module("FashionMNISTModelV0") {
  layer_stack = register_module("layer_stack", sequential({make_shared<Flatten>(),
                                                                       make_shared<Linear>(in, hidden),
                                                                       make_shared<Linear>(hidden, out)}));
}
Tensor FashionMNISTModelV0::forward(const Tensor& x) { return (*layer_stack)(x); }

FashionMNISTModelV1::FashionMNISTModelV1(int64_t in, int64_t hidden, int64_t out) : Module("FashionMNISTModelV1") {
  layer_stack = register_module(
      "layer_stack", sequential({make_shared<Flatten>(), make_shared<Linear>(in, hidden),
                                             make_shared<ReLU>(), make_shared<Linear>(hidden, hidden),
                                             make_shared<ReLU>(), make_shared<Linear>(hidden, out),
                                             make_shared<ReLU>()}));
}
Tensor FashionMNISTModelV1::forward(const Tensor& x) { return (*layer_stack)(x); }

FashionMNISTModelV2::FashionMNISTModelV2(int64_t in, int64_t hidden, int64_t out, const char* type_name)
    : Module(type_name) {
  auto block = [&](int64_t channels_in) {
    return sequential({conv3x3(channels_in, hidden), make_shared<ReLU>(), conv3x3(hidden, hidden),
                                   make_shared<ReLU>(), make_shared<MaxPool2d>(2, MaxPool2dOptions{.stride = 2})});
  };
  conv_block_1 = register_module("conv_block_1", block(in));
  conv_block_2 = register_module("conv_block_2", block(hidden));
  classifier = register_module(
      "classifier", sequential({make_shared<Flatten>(), make_shared<Linear>(hidden * 7 * 7, out)}));
}
Tensor FashionMNISTModelV2::forward(const Tensor& x) {
  return nn::forward_chain(x, {conv_block_1.get(), conv_block_2.get(), classifier.get()});
}

CIFAR10Model::CIFAR10Model() : Module("CIFAR10Model") {
  conv_layers = register_module(
      "conv_layers", sequential({conv3x3(3, 32), make_shared<ReLU>(), make_shared<MaxPool2d>(2),
                                             conv3x3(32, 64), make_shared<ReLU>(), make_shared<MaxPool2d>(2)}));
  fc_layers = register_module("fc_layers", sequential({make_shared<Flatten>(),
                                                                   make_shared<Linear>(64 * 8 * 8, 512),
                                                                   make_shared<ReLU>(), make_shared<Linear>(512, 10)}));
}
Tensor CIFAR10Model::forward(const Tensor& x) { return (*fc_layers)((*conv_layers)(x)); }

AlexNet::AlexNet(int64_t classes) : Module("AlexNet") {
  auto conv = [](int64_t in, int64_t out, int64_t k, int64_t stride, int64_t pad) {
    return make_shared<Conv2d>(in, out, k, Conv2dOptions{.stride = stride, .padding = pad});
  };
  auto pool = [] { return make_shared<MaxPool2d>(3, MaxPool2dOptions{.stride = 2}); };
  auto relu = [] { return make_shared<ReLU>(); };
  features = register_module(
      "features", sequential({conv(3, 96, 11, 4, 1), relu(), pool(), conv(96, 256, 5, 1, 2), relu(),
                                          pool(), conv(256, 384, 3, 1, 1), relu(), conv(384, 384, 3, 1, 1), relu(),
                                          conv(384, 256, 3, 1, 1), relu(), pool()}));
  classifier = register_module(
      "classifier", sequential({make_shared<Flatten>(), make_shared<Linear>(256 * 6 * 6, 4096), relu(),
                                            make_shared<Dropout>(0.5), make_shared<Linear>(4096, 4096), relu(),
                                            make_shared<Dropout>(0.5), make_shared<Linear>(4096, classes)}));
}
Tensor AlexNet::forward(const Tensor& x) { return (*classifier)((*features)(x)); }

}  // namespace ojo::models
