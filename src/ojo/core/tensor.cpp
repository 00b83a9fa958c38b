// Tensor construction, properties and views. Views only compute a new shape/strides/offset.
#include "ojo/core/tensor.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <new>
#include <numeric>
#include <mutex>
#include <sstream>
#include <unordered_map>
#include <vector>

namespace ojo {

std::string shape_str(const Shape& shape) {
  std::ostringstream out;
  out << '[';
  for (size_t i = 0; i < shape.size(); ++i) out << (i ? ", " : "") << shape[i];
  out << ']';
  return out.str();
}

int64_t shape_numel(const Shape& shape) {
  int64_t n = 1;
  for (int64_t s : shape) n *= s;
  return n;
}

Strides contiguous_strides(const Shape& shape) {
  Strides strides(shape.size());
  int64_t step = 1;
  for (size_t d = shape.size(); d-- > 0;) {
    strides[d] = step;
    step *= std::max<int64_t>(shape[d], 1);
  }
  return strides;
}

// ---------------------------------------------------------------- Storage

namespace {
// Freed blocks are kept by exact (64-byte rounded) size and handed out again: a training loop
// asks for the same sizes every step, and large blocks from malloc come from mmap, whose fresh
// pages cost a page fault each. At most kMaxCached bytes wait in the cache.
class BlockCache {
 public:
  static constexpr size_t kMaxCached = size_t(256) << 20;
  void* take(size_t rounded) {
    {
      std::lock_guard<std::mutex> lock(m_);
      auto it = free_.find(rounded);
      if (it != free_.end() && !it->second.empty()) {
        void* p = it->second.back();
        it->second.pop_back();
        cached_ -= rounded;
        return p;
      }
    }
    return std::aligned_alloc(kAlign, rounded);
  }
  void give(void* p, size_t rounded) {
    {
      std::lock_guard<std::mutex> lock(m_);
      if (cached_ + rounded <= kMaxCached) {
        free_[rounded].push_back(p);
        cached_ += rounded;
        return;
      }
    }
    std::free(p);
  }
  static constexpr size_t kAlign = 64;
  static size_t round(size_t nbytes) { return (std::max<size_t>(nbytes, 1) + kAlign - 1) / kAlign * kAlign; }

 private:
  std::mutex m_;
  std::unordered_map<size_t, std::vector<void*>> free_;
  size_t cached_ = 0;
};
BlockCache& block_cache() {
  static BlockCache* cache = new BlockCache;  // never destroyed: tensors may outlive static destruction
  return *cache;
}
}  // namespace

Storage::Storage(size_t nbytes) : nbytes_(nbytes), owned_(true) {
  data_ = static_cast<std::byte*>(block_cache().take(BlockCache::round(nbytes)));
  if (!data_) fail("Tensor", "out of memory allocating ", nbytes, " bytes");
}

Storage::Storage(std::byte* external, size_t nbytes) : data_(external), nbytes_(nbytes), owned_(false) {}

Storage::~Storage() {
  if (owned_) block_cache().give(data_, BlockCache::round(nbytes_));
}

// ---------------------------------------------------------------- construction

namespace {
// Normalises a possibly negative dimension index into [0, ndim).
int64_t wrap_dim(int64_t d, int64_t ndim, const char* op) {
  if (d < -ndim || d >= ndim)
    fail(op, "dimension out of range (expected to be in range of [", -ndim, ", ", ndim - 1, "], but got ",
         d, ")");
  return d < 0 ? d + ndim : d;
}

// Views of a tensor with autograd state get a graph node from the autograd layer (PyTorch's
// differentiable views); every other tensor pays one null-pointer test.
template <class F>
Tensor with_grad(const Tensor& in, Tensor out, const char* op, detail::ViewKind kind, F replay) {
  if (!in.autograd_meta()) return out;
  return detail::record_view(in, std::move(out), op, kind, std::move(replay));
}

void check_shape(const Shape& shape, const char* op) {
  for (int64_t s : shape)
    if (s < 0) fail(op, "negative dimension in shape ", shape_str(shape));
}
}  // namespace

Tensor::Tensor(std::shared_ptr<Storage> storage, DType dtype, Shape shape, Strides strides, int64_t offset)
    : storage_(std::move(storage)), dtype_(dtype), shape_(std::move(shape)), strides_(std::move(strides)),
      offset_(offset) {
  check(storage_ != nullptr, "Tensor", "null storage");
  if (shape_.size() != strides_.size())
    fail("Tensor", "shape ", shape_str(shape_), " and strides ", shape_str(strides_), " differ in length");
  check_shape(shape_, "Tensor");
  // The lowest and highest element the view can reach must lie inside the storage.
  int64_t lo = offset_, hi = offset_;
  if (numel() > 0) {
    for (size_t d = 0; d < shape_.size(); ++d) {
      const int64_t reach = strides_[d] * (shape_[d] - 1);
      (reach < 0 ? lo : hi) += reach;
    }
    const int64_t capacity = static_cast<int64_t>(storage_->nbytes() / dtype_size(dtype_));
    if (lo < 0 || hi >= capacity)
      fail("Tensor", "view with shape ", shape_str(shape_), ", strides ", shape_str(strides_), " and offset ",
           offset_, " reaches outside a storage of ", capacity, " elements");
  }
}

Tensor Tensor::empty(const Shape& shape, DType dtype) {
  check_shape(shape, "empty");
  const int64_t n = shape_numel(shape);
  auto storage = std::make_shared<Storage>(static_cast<size_t>(n) * dtype_size(dtype));
  return Tensor(std::move(storage), dtype, shape, contiguous_strides(shape), 0);
}

Tensor Tensor::from_blob(void* data, const Shape& shape, DType dtype) {
  check_shape(shape, "from_blob");
  check(data != nullptr || shape_numel(shape) == 0, "from_blob", "null data pointer");
  const size_t nbytes = static_cast<size_t>(shape_numel(shape)) * dtype_size(dtype);
  auto storage = std::make_shared<Storage>(static_cast<std::byte*>(data), nbytes);
  return Tensor(std::move(storage), dtype, shape, contiguous_strides(shape), 0);
}

// ---------------------------------------------------------------- properties

Tensor Tensor::alias() const {
  Tensor out = *this;
  out.autograd_.reset();
  return out;
}

void Tensor::check_defined(const char* op) const {
  if (!defined()) fail(op, "tensor is undefined (default-constructed)");
}

int64_t Tensor::size(int64_t d) const { return shape_[wrap_dim(d, dim(), "Tensor::size")]; }

bool Tensor::is_contiguous() const {
  int64_t expected = 1;
  for (size_t d = shape_.size(); d-- > 0;) {
    if (shape_[d] == 0) return true;
    if (shape_[d] == 1) continue;
    if (strides_[d] != expected) return false;
    expected *= shape_[d];
  }
  return true;
}

void* Tensor::raw_data() const {
  check_defined("Tensor::data");
  return storage_->data() + offset_ * static_cast<int64_t>(dtype_size(dtype_));
}

int64_t Tensor::element_offset(const int64_t* idx, size_t n, const char* op) const {
  if (static_cast<int64_t>(n) != dim())
    fail(op, "got ", n, " indices for a tensor of ", dim(), " dimensions (shape ", shape_str(shape_), ")");
  int64_t off = offset_;
  for (size_t d = 0; d < n; ++d) {
    int64_t i = idx[d];
    if (i < -shape_[d] || i >= shape_[d])
      fail(op, "index ", i, " is out of bounds for dimension ", d, " with size ", shape_[d], " (shape ",
           shape_str(shape_), ")");
    if (i < 0) i += shape_[d];
    off += i * strides_[d];
  }
  return off;
}

double Tensor::item() const {
  check_defined("item");
  if (numel() != 1) fail("item", "a tensor with ", numel(), " elements cannot be converted to a scalar (shape ",
                         shape_str(shape_), ")");
  return visit_dtype(dtype_, [&](auto tag) {
    using T = decltype(tag);
    return static_cast<double>(*static_cast<const T*>(raw_data()));
  });
}

// ---------------------------------------------------------------- views

Tensor Tensor::slice(int64_t d, std::optional<int64_t> start, std::optional<int64_t> stop, int64_t step) const {
  check_defined("slice");
  d = wrap_dim(d, dim(), "slice");
  if (step == 0) fail("slice", "slice step cannot be zero");
  const int64_t n = shape_[d];
  // NumPy's rules: negative indices count from the end, then clamp into the valid range.
  auto normalise = [n](int64_t i, int64_t lo, int64_t hi) {
    if (i < 0) i += n;
    return std::clamp(i, lo, hi);
  };
  int64_t first, length;
  if (step > 0) {
    first = start ? normalise(*start, 0, n) : 0;
    const int64_t last = stop ? normalise(*stop, 0, n) : n;
    length = last > first ? (last - first + step - 1) / step : 0;
  } else {
    first = start ? normalise(*start, -1, n - 1) : n - 1;
    const int64_t last = stop ? normalise(*stop, -1, n - 1) : -1;
    length = first > last ? (first - last - step - 1) / -step : 0;
  }
  Tensor out = alias();
  out.shape_[d] = length;
  out.strides_[d] = strides_[d] * step;
  if (length > 0) out.offset_ += first * strides_[d];
  return with_grad(*this, std::move(out), "slice", detail::ViewKind::view, [=](const Tensor& t) { return t.slice(d, start, stop, step); });
}

Tensor Tensor::select(int64_t d, int64_t i) const {
  check_defined("select");
  d = wrap_dim(d, dim(), "select");
  if (i < -shape_[d] || i >= shape_[d])
    fail("select", "index ", i, " is out of bounds for dimension ", d, " with size ", shape_[d], " (shape ",
         shape_str(shape_), ")");
  if (i < 0) i += shape_[d];
  Tensor out = alias();
  out.offset_ += i * strides_[d];
  out.shape_.erase(out.shape_.begin() + d);
  out.strides_.erase(out.strides_.begin() + d);
  return with_grad(*this, std::move(out), "select", detail::ViewKind::view, [=](const Tensor& t) { return t.select(d, i); });
}

Tensor Tensor::index(std::initializer_list<TensorIndex> indices) const {
  check_defined("index");
  if (static_cast<int64_t>(indices.size()) > dim())
    fail("index", "too many indices for tensor of dimension ", dim(), ": got ", indices.size(), " (shape ",
         shape_str(shape_), ")");
  Tensor out = alias();
  int64_t d = 0;
  for (const auto& entry : indices) {
    if (const auto* i = std::get_if<int64_t>(&entry)) {
      out = out.select(d, *i);  // the dimension disappears; d stays
    } else {
      const auto& s = std::get<Slice>(entry);
      out = out.slice(d, s.start, s.stop, s.step);
      ++d;
    }
  }
  return with_grad(*this, std::move(out), "index", detail::ViewKind::view,
                   [idx = std::vector<TensorIndex>(indices)](const Tensor& t) {
                     Tensor v = t;
                     int64_t d = 0;
                     for (const auto& e : idx) {
                       if (const auto* i = std::get_if<int64_t>(&e)) v = v.select(d, *i);
                       else { const auto& s = std::get<Slice>(e); v = v.slice(d++, s.start, s.stop, s.step); }
                     }
                     return v;
                   });
}

namespace {
// Resolves one -1 entry and checks that the element count is unchanged.
Shape infer_shape(Shape shape, int64_t numel, const Shape& from, const char* op) {
  int64_t known = 1, infer_at = -1;
  for (size_t d = 0; d < shape.size(); ++d) {
    if (shape[d] == -1) {
      if (infer_at >= 0) fail(op, "only one dimension can be inferred (shape ", shape_str(shape), ")");
      infer_at = static_cast<int64_t>(d);
    } else if (shape[d] < 0) {
      fail(op, "invalid shape dimension ", shape[d], " in ", shape_str(shape));
    } else {
      known *= shape[d];
    }
  }
  if (infer_at >= 0) {
    if (known == 0 || numel % known != 0)
      fail(op, "shape ", shape_str(shape), " is invalid for input of size ", numel, " (shape ", shape_str(from),
           ")");
    shape[infer_at] = numel / known;
  } else if (known != numel) {
    fail(op, "shape ", shape_str(shape), " is invalid for input of size ", numel, " (shape ", shape_str(from),
         ")");
  }
  return shape;
}

// Strides that let `new_shape` view data laid out as (old_shape, old_strides), or nothing if the
// data would need a copy. Dimensions of the old shape are grouped into chunks that are contiguous
// with each other; each chunk must map onto whole dimensions of the new shape (PyTorch's rule).
std::optional<Strides> view_strides(const Shape& old_shape, const Strides& old_strides, const Shape& new_shape) {
  Strides out(new_shape.size());
  if (shape_numel(old_shape) == 0 || old_shape.empty()) return contiguous_strides(new_shape);
  int64_t view_d = static_cast<int64_t>(new_shape.size()) - 1;
  int64_t chunk_base = old_strides.back(), tensor_numel = 1, view_numel = 1;
  for (int64_t d = static_cast<int64_t>(old_shape.size()) - 1; d >= 0; --d) {
    tensor_numel *= old_shape[d];
    const bool chunk_ends = d == 0 || (old_shape[d - 1] != 1 && old_strides[d - 1] != tensor_numel * chunk_base);
    if (!chunk_ends) continue;
    while (view_d >= 0 && (view_numel < tensor_numel || new_shape[view_d] == 1)) {
      out[view_d] = view_numel * chunk_base;
      view_numel *= new_shape[view_d];
      --view_d;
    }
    if (view_numel != tensor_numel) return std::nullopt;
    if (d > 0) {
      chunk_base = old_strides[d - 1];
      tensor_numel = view_numel = 1;
    }
  }
  if (view_d != -1) return std::nullopt;
  return out;
}
}  // namespace

Tensor Tensor::view(Shape shape) const {
  check_defined("view");
  shape = infer_shape(std::move(shape), numel(), shape_, "view");
  auto strides = view_strides(shape_, strides_, shape);
  if (!strides)
    fail("view", "view size ", shape_str(shape), " is not compatible with input size ", shape_str(shape_),
         " and strides ", shape_str(strides_), "; use reshape() instead");
  Tensor out(storage_, dtype_, shape, std::move(*strides), offset_);
  return with_grad(*this, std::move(out), "view", detail::ViewKind::view, [shape](const Tensor& t) { return t.view(shape); });
}

Tensor Tensor::reshape(Shape shape) const {
  check_defined("reshape");
  shape = infer_shape(std::move(shape), numel(), shape_, "reshape");
  if (auto strides = view_strides(shape_, strides_, shape))
    return with_grad(*this, Tensor(storage_, dtype_, shape, std::move(*strides), offset_), "reshape", detail::ViewKind::view,
                     [shape](const Tensor& t) { return t.reshape(shape); });
  return with_grad(*this, alias().contiguous().view(shape), "reshape", detail::ViewKind::view,
                   [shape](const Tensor& t) { return t.reshape(shape); });
}

Tensor Tensor::flatten(int64_t start_dim, int64_t end_dim) const {
  check_defined("flatten");
  if (dim() == 0) return reshape({1});
  start_dim = wrap_dim(start_dim, dim(), "flatten");
  end_dim = wrap_dim(end_dim, dim(), "flatten");
  if (start_dim > end_dim) fail("flatten", "start_dim (", start_dim, ") cannot come after end_dim (", end_dim, ")");
  Shape shape(shape_.begin(), shape_.begin() + start_dim);
  shape.push_back(std::accumulate(shape_.begin() + start_dim, shape_.begin() + end_dim + 1, int64_t{1},
                                  std::multiplies<>()));
  shape.insert(shape.end(), shape_.begin() + end_dim + 1, shape_.end());
  return reshape(std::move(shape));
}

Tensor Tensor::permute(const std::vector<int64_t>& dims) const {
  check_defined("permute");
  if (static_cast<int64_t>(dims.size()) != dim())
    fail("permute", "number of dims don't match: tensor has ", dim(), " dimensions (shape ", shape_str(shape_),
         "), got ", dims.size(), " dims ", shape_str(dims));
  std::vector<bool> seen(dims.size(), false);
  Tensor out = alias();
  for (size_t i = 0; i < dims.size(); ++i) {
    const int64_t d = wrap_dim(dims[i], dim(), "permute");
    if (seen[d]) fail("permute", "repeated dim ", dims[i], " in ", shape_str(dims));
    seen[d] = true;
    out.shape_[i] = shape_[d];
    out.strides_[i] = strides_[d];
  }
  return with_grad(*this, std::move(out), "permute", detail::ViewKind::view, [dims](const Tensor& t) { return t.permute(dims); });
}

Tensor Tensor::transpose(int64_t d0, int64_t d1) const {
  check_defined("transpose");
  d0 = wrap_dim(d0, dim(), "transpose");
  d1 = wrap_dim(d1, dim(), "transpose");
  Tensor out = alias();
  std::swap(out.shape_[d0], out.shape_[d1]);
  std::swap(out.strides_[d0], out.strides_[d1]);
  return with_grad(*this, std::move(out), "transpose", detail::ViewKind::view, [=](const Tensor& t) { return t.transpose(d0, d1); });
}

Tensor Tensor::squeeze() const {
  check_defined("squeeze");
  Tensor out = alias();
  out.shape_.clear();
  out.strides_.clear();
  for (size_t d = 0; d < shape_.size(); ++d) {
    if (shape_[d] == 1) continue;
    out.shape_.push_back(shape_[d]);
    out.strides_.push_back(strides_[d]);
  }
  return with_grad(*this, std::move(out), "squeeze", detail::ViewKind::view, [](const Tensor& t) { return t.squeeze(); });
}

Tensor Tensor::squeeze(int64_t d) const {
  check_defined("squeeze");
  if (dim() == 0) return *this;
  d = wrap_dim(d, dim(), "squeeze");
  if (shape_[d] != 1) return *this;  // as PyTorch: squeezing a non-1 dimension is a no-op
  Tensor out = alias();
  out.shape_.erase(out.shape_.begin() + d);
  out.strides_.erase(out.strides_.begin() + d);
  return with_grad(*this, std::move(out), "squeeze", detail::ViewKind::view, [d](const Tensor& t) { return t.squeeze(d); });
}

Tensor Tensor::unsqueeze(int64_t d) const {
  check_defined("unsqueeze");
  d = wrap_dim(d, dim() + 1, "unsqueeze");
  Tensor out = alias();
  const int64_t stride = d < dim() ? shape_[d] * strides_[d] : 1;
  out.shape_.insert(out.shape_.begin() + d, 1);
  out.strides_.insert(out.strides_.begin() + d, stride);
  return with_grad(*this, std::move(out), "unsqueeze", detail::ViewKind::view, [d](const Tensor& t) { return t.unsqueeze(d); });
}

Tensor Tensor::expand(const Shape& shape) const {
  check_defined("expand");
  if (shape.size() < shape_.size())
    fail("expand", "the number of sizes provided (", shape.size(), ") must be greater or equal to the number of ",
         "dimensions in the tensor (", dim(), ")");
  const size_t lead = shape.size() - shape_.size();
  Tensor out = alias();
  out.shape_ = shape;
  out.strides_.assign(shape.size(), 0);
  for (size_t d = 0; d < shape.size(); ++d) {
    if (d < lead) {
      if (shape[d] < 0) fail("expand", "-1 is not allowed in a leading, new dimension (", shape_str(shape), ")");
      continue;
    }
    const int64_t old = shape_[d - lead];
    if (shape[d] == -1 || shape[d] == old) {
      out.shape_[d] = old;
      out.strides_[d] = strides_[d - lead];
    } else if (old != 1) {
      fail("expand", "the expanded size of the tensor (", shape[d], ") must match the existing size (", old,
           ") at non-singleton dimension ", d, ". Target sizes: ", shape_str(shape), ". Tensor sizes: ",
           shape_str(shape_));
    } else if (shape[d] < 0) {
      fail("expand", "invalid size ", shape[d], " in ", shape_str(shape));
    }
  }
  return with_grad(*this, std::move(out), "expand", detail::ViewKind::expand, [shape](const Tensor& t) { return t.expand(shape); });
}

// ---------------------------------------------------------------- factories

Tensor zeros(const Shape& shape, DType dtype) { return full(shape, 0, dtype); }
Tensor ones(const Shape& shape, DType dtype) { return full(shape, 1, dtype); }

Tensor full(const Shape& shape, double value, DType dtype) {
  Tensor t = Tensor::empty(shape, dtype);
  t.fill_(value);
  return t;
}

Tensor arange(double start, double stop, double step, DType dtype) {
  if (step == 0) fail("arange", "step must be nonzero");
  const double span = (stop - start) / step;
  if (!(span < 1e15)) fail("arange", "invalid range [", start, ", ", stop, ") with step ", step);
  const int64_t n = std::max<int64_t>(0, static_cast<int64_t>(std::ceil(span)));
  Tensor f = Tensor::empty({n}, DType::f64);
  double* values = f.data<double>();
  for (int64_t i = 0; i < n; ++i) values[i] = start + static_cast<double>(i) * step;
  return dtype == DType::f64 ? f : f.to(dtype);
}

Tensor arange(int64_t stop, DType dtype) { return arange(0.0, static_cast<double>(stop), 1.0, dtype); }

Tensor empty_like(const Tensor& t) { return Tensor::empty(t.shape(), t.dtype()); }
Tensor zeros_like(const Tensor& t) { return zeros(t.shape(), t.dtype()); }
Tensor ones_like(const Tensor& t) { return ones(t.shape(), t.dtype()); }

}  // namespace ojo
