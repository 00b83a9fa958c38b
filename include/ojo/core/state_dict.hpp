// StateDict — an ordered name → tensor map, PyTorch's `OrderedDict` state_dict. It lives in core
// because modules (nn), optimizers (optim) and weight files (io) all use it.
//
// Modules produce one with PyTorch's key names ("conv_block_1.0.weight"), optimizers with
// "state.<i>.<buffer>" / "param_groups.0.<hyper-parameter>", and files (safetensors) store
// them. Iteration follows insertion order, as PyTorch's.
//
//   StateDict sd = model.state_dict();
//   for (const auto& [name, tensor] : sd) std::cout << name << " " << shape_str(tensor.shape()) << "\n";
//   Tensor w = sd.at("layer_1.weight");      // throws ojo::Error naming the missing key
#pragma once

#include <cstddef>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "ojo/core/error.hpp"
#include "ojo/core/tensor.hpp"

namespace ojo {

class StateDict {
 public:
  using Entry = std::pair<std::string, Tensor>;

  // Adds `name`, or replaces its tensor in place (keeping its position) if it exists.
  void insert(std::string name, Tensor tensor) {
    if (auto it = index_.find(name); it != index_.end()) {
      entries_[it->second].second = std::move(tensor);
      return;
    }
    index_.emplace(name, entries_.size());
    entries_.emplace_back(std::move(name), std::move(tensor));
  }
  bool contains(const std::string& name) const { return index_.count(name) != 0; }
  const Tensor& at(const std::string& name) const {
    auto it = index_.find(name);
    if (it == index_.end()) fail("state_dict", "no entry named '", name, "'");
    return entries_[it->second].second;
  }
  size_t size() const { return entries_.size(); }
  bool empty() const { return entries_.empty(); }
  std::vector<std::string> keys() const {
    std::vector<std::string> k;
    k.reserve(entries_.size());
    for (const auto& e : entries_) k.push_back(e.first);
    return k;
  }
  auto begin() const { return entries_.begin(); }
  auto end() const { return entries_.end(); }

 private:
  std::vector<Entry> entries_;
  std::unordered_map<std::string, size_t> index_;
};

}  // namespace ojo
