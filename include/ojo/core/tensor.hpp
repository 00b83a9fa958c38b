// ojo::Tensor — the one n-dimensional array type (NumPy's ndarray, PyTorch's tensor).
//
// A Tensor is a view: a dtype, a shape, strides and an offset (both in elements) into a shared,
// 64-byte aligned Storage. Copying a Tensor copies the view, not the data (like torch.Tensor);
// use clone() for a deep copy. Views — slices, select, reshape/view, permute/transpose,
// squeeze/unsqueeze, flatten, expand — share storage, so writing through one is seen by all.
//
// Layouts used across ojo:
//   gray image    u8 {H, W}          colour image  u8 {H, W, C}, RGB order (HWC, as NumPy/OpenCV)
//   network batch f32 {N, C, H, W}   (as PyTorch)
//
// Example (the guide's §4–5):
//   Tensor tiny = Tensor::from<uint8_t>({{0, 20, 30}, {200, 200, 250}, {50, 180, 85}});
//   Tensor img = zeros({480, 640, 3}, DType::u8);
//   img.index({Slice(100, 200), Slice(50, 150)}).fill_({0, 255, 0});   // img[100:200, 50:150] = (0,255,0)
//   uint8_t g = img.at<uint8_t>(150, 60, 1);                            // img[150, 60, 1]
//   double hi = amax(tiny);                                              // np.amax
//
// Errors: every shape/index/dtype mistake throws ojo::Error naming the operation and the shapes.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <iosfwd>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "ojo/core/dtype.hpp"
#include "ojo/core/error.hpp"

namespace ojo {

using Shape = std::vector<int64_t>;
using Strides = std::vector<int64_t>;

// "[2, 3, 4]" — used in error messages and printing.
std::string shape_str(const Shape& shape);
int64_t shape_numel(const Shape& shape);
// Row-major (C order) strides of a shape, in elements.
Strides contiguous_strides(const Shape& shape);

// A block of raw bytes shared by tensors. Aligned to 64 bytes. Either owns its memory or wraps
// caller memory that outlives it.
class Storage {
 public:
  explicit Storage(size_t nbytes);
  Storage(std::byte* external, size_t nbytes);  // does not own `external`
  ~Storage();
  Storage(const Storage&) = delete;
  Storage& operator=(const Storage&) = delete;
  std::byte* data() const { return data_; }
  size_t nbytes() const { return nbytes_; }

 private:
  std::byte* data_;
  size_t nbytes_;
  bool owned_;
};

// A Python-style slice start:stop:step. Missing ends default like NumPy; negative indices count
// from the end; a negative step walks backwards (NumPy semantics, e.g. Slice(None, None, -1)).
inline constexpr std::nullopt_t None = std::nullopt;
struct Slice {
  std::optional<int64_t> start, stop;
  int64_t step = 1;
  Slice(std::optional<int64_t> start_ = None, std::optional<int64_t> stop_ = None, int64_t step_ = 1)
      : start(start_), stop(stop_), step(step_) {}
};
// One entry of Tensor::index: an integer (selects and drops the dimension) or a Slice.
using TensorIndex = std::variant<int64_t, Slice>;

class Tensor {
 public:
  // An undefined tensor (defined() is false). Most operations throw on it.
  Tensor() = default;
  // A view over existing storage. Throws if the view reaches outside the storage.
  Tensor(std::shared_ptr<Storage> storage, DType dtype, Shape shape, Strides strides, int64_t offset);

  // Uninitialised contiguous tensor.
  static Tensor empty(const Shape& shape, DType dtype = DType::f32);
  // Wraps caller memory (contiguous, not copied, not owned); the memory must outlive every view.
  static Tensor from_blob(void* data, const Shape& shape, DType dtype);

  // From nested initializer lists, as np.array([[...], [...]], dtype=T). Ragged lists throw.
  template <class T> static Tensor from(std::initializer_list<T> values);
  template <class T> static Tensor from(std::initializer_list<std::initializer_list<T>> values);
  template <class T>
  static Tensor from(std::initializer_list<std::initializer_list<std::initializer_list<T>>> values);
  // From a flat vector and a shape (numel must match).
  template <class T> static Tensor from_vector(const std::vector<T>& values, const Shape& shape);

  // --- properties ---
  bool defined() const { return storage_ != nullptr; }
  DType dtype() const { return dtype_; }
  const Shape& shape() const { return shape_; }
  const Strides& strides() const { return strides_; }
  int64_t offset() const { return offset_; }
  int64_t dim() const { return static_cast<int64_t>(shape_.size()); }
  // Size of dimension d; negative d counts from the end.
  int64_t size(int64_t d) const;
  int64_t numel() const { return shape_numel(shape_); }
  size_t element_size() const { return dtype_size(dtype_); }
  bool is_contiguous() const;
  const std::shared_ptr<Storage>& storage() const { return storage_; }

  // Pointer to the first element (storage + offset). The typed form checks the dtype.
  void* raw_data() const;
  template <class T> T* data() const;

  // Element access with bounds checks: t.at<uint8_t>(y, x, c). Negative indices count from the end.
  template <class T, class... I> T& at(I... idx) const;
  // The single element of a one-element tensor, converted to double (like .item()).
  double item() const;

  // --- views (share storage) ---
  Tensor index(std::initializer_list<TensorIndex> indices) const;  // t[i, a:b, ...]
  Tensor slice(int64_t dim, std::optional<int64_t> start, std::optional<int64_t> stop, int64_t step = 1) const;
  Tensor select(int64_t dim, int64_t i) const;  // drops dimension `dim`
  Tensor operator[](int64_t i) const { return select(0, i); }
  // Same data with a new shape; one entry may be -1. view() throws if the strides do not allow it;
  // reshape() copies in that case (as PyTorch).
  Tensor view(Shape shape) const;
  Tensor reshape(Shape shape) const;
  Tensor flatten(int64_t start_dim = 0, int64_t end_dim = -1) const;
  Tensor permute(const std::vector<int64_t>& dims) const;
  Tensor transpose(int64_t d0, int64_t d1) const;
  Tensor squeeze() const;             // drops every size-1 dimension
  Tensor squeeze(int64_t dim) const;  // drops `dim` if its size is 1
  Tensor unsqueeze(int64_t dim) const;
  // Broadcast view to `shape` (size-1 dimensions get stride 0; -1 keeps a size), as torch.expand.
  Tensor expand(const Shape& shape) const;

  // --- copies ---
  Tensor contiguous() const;  // itself if already contiguous
  Tensor clone() const;       // always a new contiguous copy
  // Converted copy, with OpenCV's saturating rounding for integer targets (see saturate.hpp).
  Tensor to(DType dtype) const;

  // --- writes (in place, through the view; return *this) ---
  Tensor& fill_(double value);  // value saturated to the dtype
  // Fills the last dimension with a colour tuple: img[y1:y2, x1:x2] = (0, 255, 0).
  // values.size() must equal size(-1) (or be 1).
  Tensor& fill_(std::initializer_list<double> values);
  Tensor& fill_(const std::vector<double>& values);
  // Copies `src` (broadcast to this shape, converted to this dtype) into this view.
  // Overlapping source and destination are handled (the source is copied first).
  Tensor& copy_(const Tensor& src);

  // True if same shape, dtype and every element equal (NaN never equals).
  bool equal(const Tensor& other) const;

  // PyTorch-style text: tensor([[0, 1], [2, 3]], dtype=torch.uint8); large tensors are summarised.
  std::string str() const;

  // --- autograd (defined by the autograd layer, src/ojo/autograd; manual in ojo/autograd/autograd.hpp) ---
  // Marks a floating-point leaf as needing gradients (torch.Tensor.requires_grad_). Returns *this.
  Tensor& requires_grad_(bool requires_grad = true);
  bool requires_grad() const;
  bool is_leaf() const;  // true unless produced by a recorded operation
  // Accumulated gradient (undefined until a backward pass reaches this leaf, or after set_grad({})).
  Tensor grad() const;
  void set_grad(const Tensor& grad);  // set_grad(Tensor()) is PyTorch's `t.grad = None`
  void retain_grad();                 // a non-leaf keeps its .grad() too
  // Backpropagates from this tensor. `gradient` may be omitted only for one-element tensors;
  // pass Tensor() for it to use retain_graph on a scalar.
  void backward() const;
  void backward(const Tensor& gradient, bool retain_graph = false) const;
  Tensor detach() const;  // same data, no graph
  // Name of the node that produced this tensor ("MulBackward0"), or "" for leaves.
  std::string grad_fn_name() const;

  // --- reductions (differentiable; defined in src/ojo/tensor; manual in ojo/tensor/ops.hpp) ---
  struct ValuesIndices;
  Tensor sum() const;
  Tensor sum(int64_t dim, bool keepdim = false) const;
  Tensor sum(const std::vector<int64_t>& dims, bool keepdim = false) const;
  Tensor mean() const;
  Tensor mean(int64_t dim, bool keepdim = false) const;
  Tensor mean(const std::vector<int64_t>& dims, bool keepdim = false) const;
  Tensor max() const;
  Tensor min() const;
  ValuesIndices max(int64_t dim, bool keepdim = false) const;
  ValuesIndices min(int64_t dim, bool keepdim = false) const;
  Tensor argmax() const;  // index into the flattened tensor
  Tensor argmin() const;
  Tensor argmax(int64_t dim, bool keepdim = false) const;
  Tensor argmin(int64_t dim, bool keepdim = false) const;

  // Autograd state (the autograd layer owns its meaning; null for every tensor that does not
  // take part in a graph, so image code never pays for it). Shared by copies of this Tensor
  // handle, not by other views of the same storage.
  const std::shared_ptr<struct AutogradMeta>& autograd_meta() const { return autograd_; }
  void set_autograd_meta(std::shared_ptr<struct AutogradMeta> meta) { autograd_ = std::move(meta); }

 private:
  void check_defined(const char* op) const;
  // Another handle on the same view, without autograd state (the start of every view op).
  Tensor alias() const;
  int64_t element_offset(const int64_t* idx, size_t n, const char* op) const;

  std::shared_ptr<Storage> storage_;
  std::shared_ptr<struct AutogradMeta> autograd_;
  DType dtype_ = DType::f32;
  Shape shape_;
  Strides strides_;
  int64_t offset_ = 0;
};

// What max(dim)/min(dim) return, as torch.return_types.max: `auto [values, indices] = x.max(1);`
struct Tensor::ValuesIndices {
  Tensor values, indices;
};

std::ostream& operator<<(std::ostream& out, const Tensor& t);

namespace detail {
// How a view or copy maps gradients back to its input (used by record_view).
enum class ViewKind { view, expand, copy };
// Defined by the autograd layer. Called by view and copy methods whose input has autograd state:
// when gradients are being recorded, gives `out` a graph node. `replay` redoes the operation on
// a fresh tensor shaped like `in` (views: its result is written through to scatter gradients).
Tensor record_view(const Tensor& in, Tensor out, const char* op, ViewKind kind,
                   std::function<Tensor(const Tensor&)> replay);
}  // namespace detail

// --- factories ---
Tensor zeros(const Shape& shape, DType dtype = DType::f32);
Tensor ones(const Shape& shape, DType dtype = DType::f32);
Tensor full(const Shape& shape, double value, DType dtype = DType::f32);
// [start, stop) in steps of `step`, as torch.arange / np.arange.
Tensor arange(double start, double stop, double step = 1, DType dtype = DType::i64);
Tensor arange(int64_t stop, DType dtype = DType::i64);
Tensor zeros_like(const Tensor& t);
Tensor ones_like(const Tensor& t);
Tensor empty_like(const Tensor& t);

// --- min/max/sum/mean (as np.amin/np.amax/np.sum/np.mean) ---
double amin(const Tensor& t);  // throws on an empty tensor
double amax(const Tensor& t);
double sum(const Tensor& t);
double mean(const Tensor& t);
// Along one dimension; amin/amax keep the dtype, sum/mean return f64.
Tensor amin(const Tensor& t, int64_t dim, bool keepdim = false);
Tensor amax(const Tensor& t, int64_t dim, bool keepdim = false);
Tensor sum(const Tensor& t, int64_t dim, bool keepdim = false);
Tensor mean(const Tensor& t, int64_t dim, bool keepdim = false);

// Per-channel statistics of an image ({H, W} counts as one channel; {H, W, C} has C).
struct ChannelStats {
  double min, max, mean;
};
std::vector<ChannelStats> channel_stats(const Tensor& image);

// ============================ template definitions ============================

template <class T>
T* Tensor::data() const {
  check_defined("Tensor::data");
  if (dtype_ != dtype_of<T>)
    fail("Tensor::data", "tensor has dtype ", dtype_name(dtype_), ", requested ", dtype_name(dtype_of<T>));
  return static_cast<T*>(raw_data());
}

template <class T, class... I>
T& Tensor::at(I... idx) const {
  const int64_t indices[] = {static_cast<int64_t>(idx)..., 0};
  T* base = data<T>() - offset_;  // data<T>() checks dtype
  return base[element_offset(indices, sizeof...(I), "Tensor::at")];
}

template <class T>
Tensor Tensor::from_vector(const std::vector<T>& values, const Shape& shape) {
  if (shape_numel(shape) != static_cast<int64_t>(values.size()))
    fail("Tensor::from_vector", values.size(), " values do not fill shape ", shape_str(shape));
  Tensor t = empty(shape, dtype_of<T>);
  T* out = t.data<T>();
  for (size_t i = 0; i < values.size(); ++i) out[i] = values[i];
  return t;
}

template <class T>
Tensor Tensor::from(std::initializer_list<T> values) {
  return from_vector(std::vector<T>(values), {static_cast<int64_t>(values.size())});
}

template <class T>
Tensor Tensor::from(std::initializer_list<std::initializer_list<T>> values) {
  std::vector<T> flat;
  const int64_t cols = values.size() ? static_cast<int64_t>(values.begin()->size()) : 0;
  for (const auto& row : values) {
    if (static_cast<int64_t>(row.size()) != cols)
      fail("Tensor::from", "ragged nested list: rows of ", cols, " and ", row.size(), " elements");
    flat.insert(flat.end(), row.begin(), row.end());
  }
  return from_vector(flat, {static_cast<int64_t>(values.size()), cols});
}

template <class T>
Tensor Tensor::from(std::initializer_list<std::initializer_list<std::initializer_list<T>>> values) {
  std::vector<T> flat;
  int64_t rows = -1, cols = -1;
  for (const auto& plane : values) {
    if (rows < 0) rows = static_cast<int64_t>(plane.size());
    if (static_cast<int64_t>(plane.size()) != rows)
      fail("Tensor::from", "ragged nested list: blocks of ", rows, " and ", plane.size(), " rows");
    for (const auto& row : plane) {
      if (cols < 0) cols = static_cast<int64_t>(row.size());
      if (static_cast<int64_t>(row.size()) != cols)
        fail("Tensor::from", "ragged nested list: rows of ", cols, " and ", row.size(), " elements");
      flat.insert(flat.end(), row.begin(), row.end());
    }
  }
  return from_vector(flat, {static_cast<int64_t>(values.size()), std::max<int64_t>(rows, 0),
                            std::max<int64_t>(cols, 0)});
}

}  // namespace ojo
