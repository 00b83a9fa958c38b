// Text form of a tensor, following PyTorch 1.13's torch._tensor_str rules (precision 4,
// threshold 1000 elements, 3 edge items, line width 80), so `std::cout << t` reads like print(t).
#include <cmath>
#include <cstdio>
#include <functional>
#include <ostream>
#include <string>
#include <vector>

#include "ojo/core/tensor.hpp"

namespace ojo {

namespace {
constexpr int kPrecision = 4;
constexpr int64_t kThreshold = 1000;
constexpr int64_t kEdgeItems = 3;
constexpr int64_t kLineWidth = 80;

std::string format(const char* spec, double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, spec, kPrecision, v);
  return buf;
}

// Decides one notation and width for every printed element, as torch's _Formatter.
class Formatter {
 public:
  Formatter(DType dtype, const std::vector<double>& shown) : floating_(is_floating(dtype)), bool_(dtype == DType::boolean) {
    if (!floating_) {
      for (double v : shown) width_ = std::max(width_, raw(v).size());
      return;
    }
    std::vector<double> finite;
    for (double v : shown)
      if (std::isfinite(v) && v != 0) finite.push_back(v);
    if (finite.empty()) return;
    double lo = INFINITY, hi = 0;
    for (double v : finite) {
      lo = std::min(lo, std::fabs(v));
      hi = std::max(hi, std::fabs(v));
      int_mode_ = int_mode_ && v == std::ceil(v);
    }
    sci_mode_ = hi / lo > 1000.0 || hi > 1e8 || (!int_mode_ && lo < 1e-4);
    for (double v : finite)
      width_ = std::max(width_, sci_mode_ ? format("%.*e", v).size()
                                          : int_mode_ ? format("%.0f", v).size() + 1 : format("%.*f", v).size());
  }

  size_t width() const { return width_; }

  std::string operator()(double v) const {
    std::string s = raw(v);
    return std::string(width_ > s.size() ? width_ - s.size() : 0, ' ') + s;
  }

 private:
  std::string raw(double v) const {
    if (bool_) return v != 0 ? "True" : "False";
    if (!floating_) return std::to_string(static_cast<int64_t>(v));
    if (sci_mode_) return format("%.*e", v);
    if (int_mode_) return std::isfinite(v) ? format("%.0f", v) + "." : format("%.0f", v);
    return format("%.*f", v);
  }

  bool floating_, bool_;
  bool int_mode_ = true, sci_mode_ = false;
  size_t width_ = 1;
};

// The element indices shown along a dimension of size n: all, or the edges when summarising.
std::vector<int64_t> shown_indices(int64_t n, bool summarize) {
  std::vector<int64_t> idx;
  for (int64_t i = 0; i < n; ++i)
    if (!summarize || n <= 2 * kEdgeItems || i < kEdgeItems || i >= n - kEdgeItems) idx.push_back(i);
  return idx;
}

bool has_gap(int64_t n, bool summarize) { return summarize && n > 2 * kEdgeItems; }

void collect(const Tensor& t, bool summarize, std::vector<double>& out) {
  if (t.dim() == 0) {
    out.push_back(t.item());
    return;
  }
  for (int64_t i : shown_indices(t.size(0), summarize)) collect(t[i], summarize, out);
}

std::string vector_str(const Tensor& t, int64_t indent, bool summarize, const Formatter& fmt) {
  const int64_t element_length = static_cast<int64_t>(fmt.width()) + 2;
  const int64_t per_line = std::max<int64_t>(1, (kLineWidth - indent) / element_length);
  std::vector<std::string> items;
  const int64_t n = t.size(0);
  for (int64_t i : shown_indices(n, summarize)) {
    if (has_gap(n, summarize) && i == n - kEdgeItems) items.push_back(" ...");
    items.push_back(fmt(t[i].item()));
  }
  std::string s = "[";
  for (size_t i = 0; i < items.size(); ++i) {
    if (i > 0) s += static_cast<int64_t>(i) % per_line == 0 ? ",\n" + std::string(indent + 1, ' ') : ", ";
    s += items[i];
  }
  return s + "]";
}

std::string tensor_str(const Tensor& t, int64_t indent, bool summarize, const Formatter& fmt) {
  if (t.dim() == 0) return fmt(t.item());
  if (t.dim() == 1) return vector_str(t, indent, summarize, fmt);
  std::string separator = ",";  // appended, not `"," + std::string(...)`: GCC 12's -Wrestrict misfires there
  separator.append(static_cast<size_t>(t.dim() - 1), '\n').append(static_cast<size_t>(indent + 1), ' ');
  std::string s = "[";
  const int64_t n = t.size(0);
  bool first = true;
  for (int64_t i : shown_indices(n, summarize)) {
    if (!first) s += separator;
    if (has_gap(n, summarize) && i == n - kEdgeItems) s += "..." + separator;
    s += tensor_str(t[i], indent + 1, summarize, fmt);
    first = false;
  }
  return s + "]";
}

std::string torch_dtype_name(DType d) {
  switch (d) {
    case DType::boolean: return "torch.bool";
    case DType::u8: return "torch.uint8";
    case DType::i8: return "torch.int8";
    case DType::u16: return "torch.uint16";  // PyTorch 1.13 has no uint16; named by analogy
    case DType::i16: return "torch.int16";
    case DType::i32: return "torch.int32";
    case DType::i64: return "torch.int64";
    case DType::f32: return "torch.float32";
    case DType::f64: return "torch.float64";
  }
  return "?";
}
}  // namespace

std::string Tensor::str() const {
  if (!defined()) return "tensor(undefined)";
  const std::string prefix = "tensor(";
  const int64_t indent = static_cast<int64_t>(prefix.size());
  const bool default_dtype = dtype_ == DType::f32 || dtype_ == DType::i64 || dtype_ == DType::boolean;
  std::vector<std::string> suffixes;
  std::string body;
  if (numel() == 0) {
    if (dim() != 1) {
      std::string size = "size=(";
      for (size_t d = 0; d < shape_.size(); ++d) size += std::to_string(shape_[d]) + (d + 1 < shape_.size() ? ", " : "");
      suffixes.push_back(size + ")");
    }
    if (dtype_ != DType::f32) suffixes.push_back("dtype=" + torch_dtype_name(dtype_));
    body = "[]";
  } else {
    if (!default_dtype) suffixes.push_back("dtype=" + torch_dtype_name(dtype_));
    const bool summarize = numel() > kThreshold;
    std::vector<double> shown;
    collect(*this, summarize, shown);
    body = tensor_str(*this, indent, summarize, Formatter(dtype_, shown));
  }
  // Autograd state, as torch: grad_fn=<MulBackward0> for results, requires_grad=True for leaves.
  if (const std::string fn = grad_fn_name(); !fn.empty()) suffixes.push_back("grad_fn=<" + fn + ">");
  else if (requires_grad()) suffixes.push_back("requires_grad=True");
  std::string s = prefix + body;
  const size_t newline = s.rfind('\n');
  int64_t last_line = static_cast<int64_t>(s.size()) -
                      (newline == std::string::npos ? -1 : static_cast<int64_t>(newline)) + 1;  // torch's count
  for (const auto& suffix : suffixes) {
    const int64_t len = static_cast<int64_t>(suffix.size());
    if (last_line + len + 2 > kLineWidth) {
      s += ",\n" + std::string(indent, ' ') + suffix;
      last_line = indent + len;
    } else {
      s += ", " + suffix;
      last_line += len + 2;
    }
  }
  return s + ")";
}

std::ostream& operator<<(std::ostream& out, const Tensor& t) { return out << t.str(); }

}  // namespace ojo
