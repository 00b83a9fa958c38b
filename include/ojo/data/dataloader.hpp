// DataLoader (torch.utils.data.DataLoader): batches of a dataset, optionally shuffled each epoch.
//
//   data::DataLoader train_loader(train_data, {.batch_size = 32, .shuffle = true});
//   std::cout << train_loader.size();                 // len(train_dataloader): 1875
//   for (const auto& [X, y] : train_loader) { ... }   // one epoch; X f32 {32, 1, 28, 28}, y i64 {32}
//
// Shuffling draws as PyTorch 1.13 does, so after the same manual_seed the batches are the same:
// starting an epoch (begin()) draws the iterator's base seed (one int64 from the generator); with
// shuffle, RandomSampler then draws a seed (another int64), seeds a fresh generator with it and
// takes torch.randperm(n) from that. `generator` plays DataLoader's generator argument.
// num_workers is not needed: batches are gathered in one step from whole tensors.
#pragma once

#include <cstdint>
#include <iterator>
#include <memory>
#include <vector>

#include "ojo/core/random.hpp"
#include "ojo/data/dataset.hpp"

namespace ojo::data {

struct DataLoaderOptions {
  int64_t batch_size = 1;
  bool shuffle = false;
  bool drop_last = false;       // drop the last, smaller batch
  Generator* generator = nullptr;  // default: the global generator (manual_seed)
};

class DataLoader {
 public:
  DataLoader(std::shared_ptr<const Dataset> dataset, DataLoaderOptions options = {});
  // Number of batches per epoch (len(loader)).
  int64_t size() const;

  class iterator {
   public:
    using iterator_category = std::input_iterator_tag;
    using value_type = Example;
    using difference_type = std::ptrdiff_t;
    using pointer = const Example*;
    using reference = const Example&;
    const Example& operator*() const { return batch_; }
    const Example* operator->() const { return &batch_; }
    iterator& operator++();
    bool operator==(const iterator& o) const { return batch_index_ == o.batch_index_; }

   private:
    friend class DataLoader;
    iterator(const DataLoader* loader, std::shared_ptr<const std::vector<int64_t>> order, int64_t batch_index);
    void load();
    const DataLoader* loader_ = nullptr;
    std::shared_ptr<const std::vector<int64_t>> order_;
    int64_t batch_index_ = 0;
    Example batch_;
  };
  // Starts an epoch (a new shuffle when shuffle is on).
  iterator begin() const;
  iterator end() const;

  const Dataset& dataset() const { return *dataset_; }

 private:
  std::shared_ptr<const Dataset> dataset_;
  DataLoaderOptions options_;
};

}  // namespace ojo::data
