#include "ojo/data/dataset.hpp"

#include "ojo/io/idx.hpp"
#include "ojo/tensor/ops.hpp"

namespace ojo::data {

namespace {
Tensor index_tensor(const std::vector<int64_t>& idx) {
  return Tensor::from_vector(idx, {static_cast<int64_t>(idx.size())});
}
}  // namespace

int64_t Dataset::checked_index(int64_t index) const {
  const int64_t n = size();
  if (index < -n || index >= n) fail("Dataset", "index ", index, " is out of range for a dataset of ", n, " examples");
  return index < 0 ? index + n : index;
}

Example Dataset::get_batch(const std::vector<int64_t>& indices) const {
  std::vector<Tensor> inputs, targets;
  for (int64_t i : indices) {
    auto [x, y] = get(i);
    inputs.push_back(x);
    targets.push_back(y);
  }
  return {stack(inputs), stack(targets)};
}

TensorDataset::TensorDataset(Tensor inputs, Tensor targets) : inputs_(std::move(inputs)), targets_(std::move(targets)) {
  check(inputs_.defined() && targets_.defined() && inputs_.dim() >= 1 && targets_.dim() >= 1, "TensorDataset",
        "expected two tensors with at least one dimension");
  if (inputs_.size(0) != targets_.size(0))
    fail("TensorDataset", "Size mismatch between tensors: ", shape_str(inputs_.shape()), " and ",
         shape_str(targets_.shape()));
}

Example TensorDataset::get(int64_t index) const {
  const int64_t i = checked_index(index);
  return {inputs_.select(0, i), targets_.select(0, i)};
}

Example TensorDataset::get_batch(const std::vector<int64_t>& indices) const {
  const Tensor idx = index_tensor(indices);
  return {index_select(inputs_, 0, idx), index_select(targets_, 0, idx)};
}

FashionMNIST::FashionMNIST(bool train, const std::string& root) {
  const std::string prefix = root + (train ? "/train" : "/t10k");
  images_ = load_idx(prefix + "-images-idx3-ubyte.gz");
  targets_ = load_idx(prefix + "-labels-idx1-ubyte.gz").to(DType::i64);
  if (images_.dim() != 3 || images_.size(1) != 28 || images_.size(2) != 28 || images_.dtype() != DType::u8)
    fail("FashionMNIST", prefix, "-images-idx3-ubyte.gz holds ", shape_str(images_.shape()), " ",
         dtype_name(images_.dtype()), ", expected uint8 [N, 28, 28]");
  if (targets_.dim() != 1 || targets_.size(0) != images_.size(0))
    fail("FashionMNIST", "labels ", shape_str(targets_.shape()), " do not match images ", shape_str(images_.shape()));
}

Example FashionMNIST::get(int64_t index) const {
  const int64_t i = checked_index(index);
  return {(images_.select(0, i).to(DType::f32) / 255.0).unsqueeze(0), targets_.select(0, i)};
}

Example FashionMNIST::get_batch(const std::vector<int64_t>& indices) const {
  const Tensor idx = index_tensor(indices);
  return {(index_select(images_, 0, idx).to(DType::f32) / 255.0).unsqueeze(1), index_select(targets_, 0, idx)};
}

const std::vector<std::string>& FashionMNIST::classes() {
  static const std::vector<std::string> names = {"T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
                                                 "Sandal",      "Shirt",   "Sneaker",  "Bag",   "Ankle boot"};
  return names;
}

}  // namespace ojo::data
