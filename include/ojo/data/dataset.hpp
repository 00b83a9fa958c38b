// Datasets (torch.utils.data.Dataset): indexed (input, target) examples.
//
//   data::TensorDataset ds(X_train, y_train);              // TensorDataset(X, y)
//   auto [x, y] = ds.get(0);                               // ds[0]
//   data::FashionMNIST train(/*train=*/true);              // torchvision.datasets.FashionMNIST(..., ToTensor())
//   auto [image, label] = train.get(0);                    // f32 {1, 28, 28} in [0, 1], i64 label
//   train.classes()[label.item()]                          // "Ankle boot"
//
// get_batch(indices) returns the examples stacked along a new first dimension, as DataLoader's
// default collate does; datasets backed by whole tensors gather a batch in one step.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "ojo/core/tensor.hpp"

namespace ojo::data {

using Example = std::pair<Tensor, Tensor>;  // (input, target)

class Dataset {
 public:
  virtual ~Dataset() = default;
  virtual int64_t size() const = 0;
  // Example i (negative counts from the end); out of range throws.
  virtual Example get(int64_t index) const = 0;
  // The examples at `indices`, each part stacked along a new dimension 0.
  virtual Example get_batch(const std::vector<int64_t>& indices) const;

 protected:
  int64_t checked_index(int64_t index) const;
};

// Examples are the rows of tensors that share their first dimension.
class TensorDataset : public Dataset {
 public:
  TensorDataset(Tensor inputs, Tensor targets);
  int64_t size() const override { return inputs_.size(0); }
  Example get(int64_t index) const override;
  Example get_batch(const std::vector<int64_t>& indices) const override;
  const Tensor& inputs() const { return inputs_; }
  const Tensor& targets() const { return targets_; }

 private:
  Tensor inputs_, targets_;
};

// FashionMNIST as torchvision gives it with transforms.ToTensor(): images f32 {1, 28, 28} scaled to
// [0, 1] (u8 / 255), targets i64. Reads the IDX files of Debian's dataset-fashion-mnist.
class FashionMNIST : public Dataset {
 public:
  static constexpr const char* kDefaultRoot = "/usr/share/datasets/fashion-mnist";
  explicit FashionMNIST(bool train = true, const std::string& root = kDefaultRoot);
  int64_t size() const override { return images_.size(0); }
  Example get(int64_t index) const override;
  Example get_batch(const std::vector<int64_t>& indices) const override;
  // "T-shirt/top", "Trouser", ..., "Ankle boot" (torchvision's class names).
  static const std::vector<std::string>& classes();
  const Tensor& images() const { return images_; }    // u8 {N, 28, 28}
  const Tensor& targets() const { return targets_; }  // i64 {N}

 private:
  Tensor images_, targets_;
};

}  // namespace ojo::data
