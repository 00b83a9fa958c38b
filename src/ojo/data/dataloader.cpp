#include "ojo/data/dataloader.hpp"

#include <numeric>

#include "ojo/tensor/ops.hpp"

namespace ojo::data {

namespace {
// torch.empty((), dtype=torch.int64).random_(): a full-range non-negative int64.
int64_t draw_int64(Generator& g) { return static_cast<int64_t>(g.random64() % (uint64_t{1} << 63)); }
}  // namespace

DataLoader::DataLoader(std::shared_ptr<const Dataset> dataset, DataLoaderOptions options)
    : dataset_(std::move(dataset)), options_(options) {
  check(dataset_ != nullptr, "DataLoader", "dataset is null");
  check(options_.batch_size > 0, "DataLoader",
        "batch_size should be a positive integer value, but got batch_size=", options_.batch_size);
}

int64_t DataLoader::size() const {
  const int64_t n = dataset_->size(), b = options_.batch_size;
  return options_.drop_last ? n / b : (n + b - 1) / b;
}

DataLoader::iterator DataLoader::begin() const {
  Generator& g = options_.generator ? *options_.generator : default_generator();
  draw_int64(g);  // the iterator's base seed (used by torch's workers; drawn to keep the stream aligned)
  const int64_t n = dataset_->size();
  auto order = std::make_shared<std::vector<int64_t>>(static_cast<size_t>(n));
  if (options_.shuffle) {
    Generator sampler(static_cast<uint64_t>(draw_int64(g)));
    const Tensor perm = randperm(n, DType::i64, &sampler);
    std::copy(perm.data<int64_t>(), perm.data<int64_t>() + n, order->begin());
  } else {
    std::iota(order->begin(), order->end(), 0);
  }
  return iterator(this, std::move(order), 0);
}

DataLoader::iterator DataLoader::end() const { return iterator(this, nullptr, size()); }

DataLoader::iterator::iterator(const DataLoader* loader, std::shared_ptr<const std::vector<int64_t>> order,
                               int64_t batch_index)
    : loader_(loader), order_(std::move(order)), batch_index_(batch_index) {
  if (order_) load();
}

void DataLoader::iterator::load() {
  if (batch_index_ >= loader_->size()) return;
  const int64_t b = loader_->options_.batch_size;
  const auto first = order_->begin() + batch_index_ * b;
  const auto last = order_->begin() + std::min<int64_t>((batch_index_ + 1) * b, static_cast<int64_t>(order_->size()));
  batch_ = loader_->dataset_->get_batch(std::vector<int64_t>(first, last));
}

DataLoader::iterator& DataLoader::iterator::operator++() {
  ++batch_index_;
  load();
  return *this;
}

}  // namespace ojo::data
