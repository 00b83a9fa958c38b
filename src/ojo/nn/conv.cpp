// conv2d: forward and backward.
//
// Fast path (im2col + GEMM): each sample's receptive fields are unrolled into a matrix
// cols {Cg·kH·kW, OH·OW} so that the convolution of group g is one matrix product
// W_g {Og, Cg·kH·kW} · cols. Backward reuses the same shapes:
//   grad_input  = col2im(W_gᵀ · grad_out)                       per sample
//   grad_weight = Σ_s grad_out_s {Og, OH·OW} · cols_sᵀ            fixed chunks of samples, summed in order
//   grad_bias   = grad_out summed over N, OH, OW
// Samples are independent (parallel over N) and every GEMM splits into fixed blocks, so results
// do not depend on the number of threads. The reference path is the definition as nested loops.
#include <algorithm>
#include <array>
#include <atomic>
#include <bit>
#include <cstring>
#include <memory>
#include <span>
#include <thread>
#include <type_traits>
#include <vector>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#endif

#include "../tensor/gemm.hpp"
#include "conv_direct.hpp"
#include "../autograd/relu_backward.hpp"
#include "../tensor/kernels.hpp"
#include "ojo/autograd/autograd.hpp"
#include "ojo/core/parallel.hpp"
#include "ojo/nn/functional.hpp"
#include "ojo/nn/module.hpp"

namespace ojo::nn {

Padding2d::Mode Padding2d::parse_mode(std::string_view name) {
  if (name == "same") return Mode::same;
  if (name == "valid") return Mode::valid;
  fail("conv2d", "Invalid padding string '", std::string(name), "', should be one of {'valid', 'same'}");
}

namespace {

// Everything about one convolution's shapes.
struct ConvGeometry {
  int64_t n, c, h, w;      // input
  int64_t o, kh, kw;       // weight {o, c/groups, kh, kw}
  int64_t groups, cg, og;  // channels per group
  int64_t sh, sw, dh, dw;
  int64_t pt, pl, pb, pr;  // padding top, left, bottom, right
  int64_t oh, ow;
  int64_t k() const { return cg * kh * kw; }
  int64_t plane() const { return oh * ow; }
};

// The geometry of conv2d on an input of shape `xs` and dtype `xt` (checked as conv2d checks them).
ConvGeometry conv_geometry(std::span<const int64_t> xs, DType xt, const Tensor& weight, const Tensor& bias,
                           Size2 stride, const Padding2d& padding, Size2 dilation, int64_t groups) {
  const char* op = "conv2d";
  if (!(weight.dim() == 4)) fail(op, "weight must be 4-D {out_channels, in_channels/groups, kH, kW}, got shape ",
        shape_str(weight.shape()));
  check(xt == weight.dtype() && is_floating(xt), op, "expected input and weight of the same float dtype, got ",
        dtype_name(xt), " and ", dtype_name(weight.dtype()));
  check(groups > 0, op, "non-positive groups is not supported (got ", groups, ")");
  if (!(stride.h > 0 && stride.w > 0))
    fail(op, "non-positive stride is not supported (got ", py_tuple({stride.h, stride.w}), ")");
  if (!(dilation.h > 0 && dilation.w > 0))
    fail(op, "dilation should be greater than zero (got ", py_tuple({dilation.h, dilation.w}), ")");
  ConvGeometry g{};
  g.n = xs[0], g.c = xs[1], g.h = xs[2], g.w = xs[3];
  g.o = weight.size(0), g.kh = weight.size(2), g.kw = weight.size(3);
  g.groups = groups, g.cg = weight.size(1), g.og = g.o / groups;
  g.sh = stride.h, g.sw = stride.w, g.dh = dilation.h, g.dw = dilation.w;
  check(g.o % groups == 0, op, "out_channels (", g.o, ") must be divisible by groups (", groups, ")");
  if (g.c != g.cg * groups)
    fail(op, "input has ", g.c, " channels, weight expects ", g.cg * groups, " (input shape ", shape_str(Shape(xs.begin(), xs.end())),
         ", weight shape ", shape_str(weight.shape()), ", groups=", groups, ")");
  if (bias.defined())
    if (!(bias.dim() == 1 && bias.size(0) == g.o && bias.dtype() == xt)) fail(op, "bias must be {", g.o, "} ",
          dtype_name(xt), ", got shape ", shape_str(bias.shape()), " ", dtype_name(bias.dtype()));
  int64_t& pb = g.pb;
  int64_t& pr = g.pr;
  switch (padding.mode) {
    case Padding2d::Mode::explicit_size:
      if (!(padding.size.h >= 0 && padding.size.w >= 0))
        fail(op, "negative padding is not supported (got ", py_tuple({padding.size.h, padding.size.w}), ")");
      g.pt = pb = padding.size.h, g.pl = pr = padding.size.w;
      break;
    case Padding2d::Mode::valid: g.pt = g.pl = 0; break;
    case Padding2d::Mode::same: {
      check(g.sh == 1 && g.sw == 1, op, "padding='same' is not supported for strided convolutions");
      // PyTorch puts the odd pixel of padding on the bottom/right.
      const int64_t th = g.dh * (g.kh - 1), tw = g.dw * (g.kw - 1);
      g.pt = th / 2, pb = th - g.pt, g.pl = tw / 2, pr = tw - g.pl;
      break;
    }
  }
  g.oh = (g.h + g.pt + pb - g.dh * (g.kh - 1) - 1) / g.sh + 1;
  g.ow = (g.w + g.pl + pr - g.dw * (g.kw - 1) - 1) / g.sw + 1;
  if (g.h + g.pt + pb < g.dh * (g.kh - 1) + 1 || g.w + g.pl + pr < g.dw * (g.kw - 1) + 1)
    fail(op, "Calculated padded input size per channel: (", g.h + g.pt + pb, " x ", g.w + g.pl + pr,
         "). Kernel size: (", g.dh * (g.kh - 1) + 1, " x ", g.dw * (g.kw - 1) + 1,
         "). Kernel size can't be greater than actual input size (input shape ",
         shape_str(Shape(xs.begin(), xs.end())), ")");
  return g;
}
ConvGeometry conv_geometry(const Tensor& x, const Tensor& weight, const Tensor& bias, Size2 stride,
                           const Padding2d& padding, Size2 dilation, int64_t groups) {
  return conv_geometry(x.shape(), x.dtype(), weight, bias, stride, padding, dilation, groups);
}

// A per-thread scratch buffer reused from call to call (no allocation or zeroing in the step).
template <class T>
T* scratch(size_t n, int slot = 0) {
  thread_local std::vector<T> buffers[3];
  if (buffers[slot].size() < n) buffers[slot].resize(n);
  return buffers[slot].data();
}

// Output columns xo whose input column ix = xo·sw − pl + j·dw lies inside [0, w): [lo, hi).
inline void valid_columns(const ConvGeometry& g, int64_t j, int64_t& lo, int64_t& hi) {
  const int64_t off = g.pl - j * g.dw;  // ix = xo·sw − off
  lo = off > 0 ? (off + g.sw - 1) / g.sw : 0;
  hi = std::max<int64_t>(lo, std::min<int64_t>(g.ow, (g.w + off + g.sw - 1) / g.sw));
  lo = std::min(lo, g.ow);
}

// Unrolls channels [c0, c0+cg) of one sample into cols {cg·kh·kw, oh·ow}; row stride `ld`.
// Each row is a padding part (zeros), a copy (contiguous when the stride is 1) and a padding part.
template <class T>
void im2col(const T* x, const ConvGeometry& g, int64_t c0, T* cols, int64_t ld) {
  for (int64_t c = 0; c < g.cg; ++c) {
    const T* plane = x + (c0 + c) * g.h * g.w;
    for (int64_t i = 0; i < g.kh; ++i)
      for (int64_t j = 0; j < g.kw; ++j) {
        T* row = cols + ((c * g.kh + i) * g.kw + j) * ld;
        int64_t lo, hi;
        valid_columns(g, j, lo, hi);
        for (int64_t y = 0; y < g.oh; ++y) {
          const int64_t iy = y * g.sh - g.pt + i * g.dh;
          T* out = row + y * g.ow;
          if (iy < 0 || iy >= g.h) {
            std::fill(out, out + g.ow, T(0));
            continue;
          }
          // plane[base + xo·sw] is input column ix (an index: base may be negative, the sum is not)
          const int64_t base = iy * g.w + j * g.dw - g.pl;
          std::fill(out, out + lo, T(0));
          if (g.sw == 1) {
            if (hi > lo) std::memcpy(out + lo, plane + base + lo, sizeof(T) * (hi - lo));
          } else {
            for (int64_t xo = lo; xo < hi; ++xo) out[xo] = plane[base + xo * g.sw];
          }
          std::fill(out + hi, out + g.ow, T(0));
        }
      }
  }
}

// The inverse scatter: adds cols {cg·kh·kw, oh·ow} back into channels [c0, c0+cg) of one sample.
template <class T>
void col2im_add(const T* cols, const ConvGeometry& g, int64_t c0, T* x) {
  for (int64_t c = 0; c < g.cg; ++c) {
    T* plane = x + (c0 + c) * g.h * g.w;
    for (int64_t i = 0; i < g.kh; ++i)
      for (int64_t j = 0; j < g.kw; ++j) {
        const T* row = cols + ((c * g.kh + i) * g.kw + j) * g.plane();
        int64_t lo, hi;
        valid_columns(g, j, lo, hi);
        for (int64_t y = 0; y < g.oh; ++y) {
          const int64_t iy = y * g.sh - g.pt + i * g.dh;
          if (iy < 0 || iy >= g.h) continue;
          const int64_t base = iy * g.w + j * g.dw - g.pl;  // as in im2col
          const T* in = row + y * g.ow;
          if (g.sw == 1)
            for (int64_t xo = lo; xo < hi; ++xo) plane[base + xo] += in[xo];
          else
            for (int64_t xo = lo; xo < hi; ++xo) plane[base + xo * g.sw] += in[xo];
        }
      }
  }
}

// ---- The direct path (conv_direct.hpp): stride 1, no dilation, one group, padding smaller than
// the kernel. Planes are copied into zero-padded flat planes (direct::pad_window), convolved there,
// and copied back out by the kernel (conv_direct.hpp).

bool direct_applies(const ConvGeometry& g) {
  return g.groups == 1 && g.sh == 1 && g.sw == 1 && g.dh == 1 && g.dw == 1 && g.pt < g.kh && g.pb < g.kh &&
         g.pl < g.kw && g.pr < g.kw;
}

int64_t round_up(int64_t v, int64_t m) { return (v + m - 1) / m * m; }

// Flat planes of `channels` inputs with rows `wp` wide, producing `rows` output rows.
direct::FlatConv flat_conv(int64_t channels, int64_t outs, const ConvGeometry& g, int64_t wp, int64_t rows) {
  direct::FlatConv f{};
  f.channels = channels, f.outs = outs, f.kh = g.kh, f.kw = g.kw, f.wp = wp;
  f.n = rows * wp;
  f.out_plane = round_up(f.n, direct::kFlatPad);
  f.in_plane = round_up(f.out_plane + (g.kh - 1) * wp + g.kw - 1, direct::kFlatPad);
  return f;
}

// The forward convolution's layout: input rows padded left and right, outputs oh rows.
direct::FlatConv flat_forward(const ConvGeometry& g) { return flat_conv(g.c, g.o, g, g.pl + g.w + g.pr, g.oh); }

// grad_input is the "full" convolution of grad_output with the flipped, transposed kernel.
direct::FlatConv flat_grad_input(const ConvGeometry& g) { return flat_conv(g.o, g.c, g, g.w + g.kw - 1, g.h); }

// Copies `count` planes {h, w} into whole flat planes of `plane` elements (see pad_window).
template <class T>
void pad_planes(const T* src, int64_t count, int64_t h, int64_t w, T* dst, int64_t top, int64_t left, int64_t cols,
                int64_t plane, const T* relu_result = nullptr) {
  direct::pad_window(src, dst, {count, h, w, plane, top, left, cols}, 0, plane, relu_result);
}

// Rows [r0, r1) · pool of the direct convolution read its padded input at flat positions
// [from, to) (conv_direct.hpp); with one part (r0 = 0, r1 = all) the whole plane.
void padded_window(const ConvGeometry& g, const direct::FlatConv& f, int64_t pool, int64_t r0, int64_t r1,
                   bool whole, int64_t& from, int64_t& to) {
  if (whole) {
    from = 0, to = f.in_plane;
    return;
  }
  const int64_t last_read = round_up(r1 * pool * f.wp, direct::kFlatPad) - 1 + (g.kh - 1) * f.wp + g.kw - 1;
  from = r0 * pool * f.wp / direct::kFlatPad * direct::kFlatPad, to = std::min(f.in_plane, last_read + 1);
}

// The first of `rows` rows that part `part` of `parts` computes: parts differ by at most a row,
// the first ones the larger. The caller claims part 0 (parallel_for) and a worker starts its part
// later, the more so when the two vCPUs sit far apart (this VM moves between near and far): the
// caller's larger part hides some of that (far apart, one image 25.8 → 24.7 µs).
int64_t first_row_of_part(int64_t rows, int64_t part, int64_t parts) { return (rows * part + parts - 1) / parts; }

// Pads every sample and convolves it. With `xp_all` (n · c · in_plane elements) the padded inputs
// are kept there for grad_weight; without, a per-thread scratch plane set is reused. With fewer
// samples than threads (one-image inference) each sample's output rows are shared out in parts,
// each part padding only the input its rows read (kept inputs need whole planes: one part). With
// pool 2 (float) y is max_pool2d(·, 2) of the result, {n, o, oh / 2, ow / 2}, and with
// `positions` (laid out as y) each maximum's flat position in its conv output plane too.
template <class T>
void conv_forward_direct(const T* x, const T* w, const T* b, T* y, const ConvGeometry& g, T* xp_all, bool relu,
                         int64_t pool = 1, int32_t* positions = nullptr) {
  const direct::FlatConv f = flat_forward(g);
  const int64_t rows = g.oh / pool, cols = g.ow / pool;  // of y
  const int64_t parts = xp_all || g.n == 0 ? 1 : std::clamp<int64_t>(get_num_threads() / g.n, 1, rows);
  parallel_for(0, g.n * parts, 1, [&](int64_t lo, int64_t hi) {
    T* yp = scratch<T>(static_cast<size_t>(g.o * f.out_plane), 1);
    for (int64_t item = lo; item < hi; ++item) {
      const int64_t s = item / parts, part = item % parts;
      const int64_t r0 = first_row_of_part(rows, part, parts), r1 = first_row_of_part(rows, part + 1, parts);
      int64_t from, to;
      padded_window(g, f, pool, r0, r1, parts == 1, from, to);
      T* xp = xp_all ? xp_all + s * g.c * f.in_plane : scratch<T>(static_cast<size_t>(g.c * f.in_plane), 0);
      direct::pad_window(x + s * g.c * g.h * g.w, xp, {g.c, g.h, g.w, f.in_plane, g.pt, g.pl, f.wp}, from, to);
      direct::conv_flat(xp, w, b, yp, f,
                        {y + s * g.o * rows * cols, cols, rows * cols, r0, r1, relu, pool, 0,
                         positions ? positions + s * g.o * rows * cols : nullptr});
    }
  });
}

// One block of conv_blocks_forward: relu(conv b(relu(conv a(x)))), pooled 2×2 when pool = 2,
// from x {n, ga.c, ga.h, ga.w} to y {n, gb.o, rows, cols}, in `parts` row parts per sample.
struct BlockPlan {
  ConvGeometry ga, gb;
  const float *x, *w1, *b1, *w2, *b2;
  float* y;
  int64_t pool, rows, cols, parts;
  int64_t first_task;  // conv_blocks_forward's task of its first part of its first sample
};

// Part `part` of sample s of a block: its rows of y from x alone. The rows of a's result that its
// window of b's padded input holds (the few a-rows two parts share are computed by both, the same
// way) are written straight into that window with its pad columns; the pad rows are zeroed here.
void block_part(const BlockPlan& p, int64_t s, int64_t part) {
  const ConvGeometry &ga = p.ga, &gb = p.gb;
  const direct::FlatConv fa = flat_forward(ga), fb = flat_forward(gb);
  float* flat = scratch<float>(static_cast<size_t>(std::max(ga.o * fa.out_plane, gb.o * fb.out_plane)), 1);
  float* xpa = scratch<float>(static_cast<size_t>(ga.c * fa.in_plane), 0);
  float* xpb = scratch<float>(static_cast<size_t>(gb.c * fb.in_plane), 2);
  const int64_t r0 = first_row_of_part(p.rows, part, p.parts), r1 = first_row_of_part(p.rows, part + 1, p.parts);
  int64_t from_b, to_b, from_a, to_a;
  padded_window(gb, fb, p.pool, r0, r1, p.parts == 1, from_b, to_b);
  // a's result rows (b's input rows) that lie in b's window: [a0, a1).
  const int64_t a0 = std::clamp<int64_t>(from_b / fb.wp - gb.pt, 0, ga.oh);
  const int64_t a1 = std::clamp<int64_t>((to_b - 1) / fb.wp - gb.pt + 1, a0, ga.oh);
  padded_window(ga, fa, 1, a0, a1, p.parts == 1, from_a, to_a);
  direct::pad_window(p.x + s * ga.c * ga.h * ga.w, xpa, {ga.c, ga.h, ga.w, fa.in_plane, ga.pt, ga.pl, fa.wp}, from_a,
                     to_a);
  const int64_t first = (a0 + gb.pt) * fb.wp + gb.pl, last = (a1 + gb.pt) * fb.wp + gb.pl;
  const direct::DenseRows<float> into_b{xpb + gb.pt * fb.wp + gb.pl, ga.ow, fb.in_plane, a0, a1, true, 1, fb.wp - ga.ow};
  direct::conv_flat(xpa, p.w1, p.b1, flat, fa, into_b);
  const int64_t top_end = std::clamp(first, from_b, to_b), bottom = std::clamp(last, from_b, to_b);
  for (float* plane = xpb; plane < xpb + gb.c * fb.in_plane; plane += fb.in_plane) {  // the window's pad rows
    std::fill(plane + from_b, plane + top_end, 0.0f);
    std::fill(plane + bottom, plane + to_b, 0.0f);
  }
  const int64_t size = p.rows * p.cols;
  direct::conv_flat(xpb, p.w2, p.b2, flat, fb, {p.y + s * gb.o * size, p.cols, size, r0, r1, true, p.pool});
}

// Waits for another thread's task that is already running (so it ends without this one).
void wait_for(const std::atomic<int64_t>& count, int64_t target) {
  for (int i = 1; count.load(std::memory_order_acquire) < target; ++i) {
    if (i % 1024 == 0) std::this_thread::yield();  // that thread may share this CPU
#if defined(__x86_64__) || defined(__i386__)
    _mm_pause();
#endif
  }
}

// Blocks in turn, each on the previous one's result, without gradients, in one parallel region.
// With whole samples as items (at least as many samples as threads) each sample goes through
// every block at once, its activations still in cache. With one sample's rows in parts, a task is
// a block's part of a sample, tasks are claimed in order, and a block's task waits for the previous
// block's parts of its sample: those were claimed before it, so they are running or done. A
// block's parts do not return to the caller before the next block's start (one image: a region
// start and end less per block).
void conv_blocks_forward(std::vector<BlockPlan>& plans, int64_t n) {
  const bool parts = std::any_of(plans.begin(), plans.end(), [](const BlockPlan& p) { return p.parts > 1; });
  if (!parts) {
    parallel_for(0, n, 1, [&](int64_t lo, int64_t hi) {
      for (int64_t s = lo; s < hi; ++s)
        for (const BlockPlan& p : plans) block_part(p, s, 0);
    });
    return;
  }
  int64_t tasks = 0;
  for (BlockPlan& p : plans) p.first_task = tasks, tasks += n * p.parts;
  // Parts done per block and sample (one image's few counters without an allocation).
  const size_t counters = plans.size() * static_cast<size_t>(n);
  std::array<std::atomic<int64_t>, 16> few{};
  std::unique_ptr<std::atomic<int64_t>[]> many;
  if (counters > few.size()) many = std::make_unique<std::atomic<int64_t>[]>(counters);
  std::atomic<int64_t>* finished = many ? many.get() : few.data();
  parallel_for(0, tasks, 1, [&](int64_t lo, int64_t hi) {
    for (int64_t task = lo; task < hi; ++task) {
      size_t k = plans.size() - 1;
      while (plans[k].first_task > task) --k;
      const BlockPlan& p = plans[k];
      const int64_t s = (task - p.first_task) / p.parts, part = (task - p.first_task) % p.parts;
      if (k > 0) wait_for(finished[(k - 1) * n + s], plans[k - 1].parts);
      struct Count {  // also when the part throws: no later task waits forever
        std::atomic<int64_t>& done;
        ~Count() { done.fetch_add(1, std::memory_order_release); }
      } count{finished[k * n + s]};
      block_part(p, s, part);
    }
  });
}

// With "same" padding (pl + pr = kw − 1, pt + pb = kh − 1) grad_input's padded grad_output has the
// forward's row width, and read from the data's first element it is also grad_weight's grad_output
// layout (zero in the meaningless columns): one padding serves both.
bool same_padding(const ConvGeometry& g) { return g.pl + g.pr == g.kw - 1 && g.pt + g.pb == g.kh - 1; }

// grad_weight is summed in fixed chunks of kGradChunk samples: each chunk into its own partial,
// the partials added in chunk order afterwards — the same sums for any number of threads.
constexpr int64_t kGradChunk = 4;

template <class T>
void add_partials(const std::vector<T>& partial, int64_t chunks, int64_t wsize, T* gw) {
  if (chunks == 0) return std::fill(gw, gw + wsize, T(0));  // an empty batch: a sum of nothing
  std::copy(partial.begin(), partial.begin() + wsize, gw);
  for (int64_t ch = 1; ch < chunks; ++ch)
    for (int64_t i = 0; i < wsize; ++i) gw[i] += partial[ch * wsize + i];
}

// grad_weight from the kept padded inputs `xp_all` (forward layout) and grad_output laid out with
// planes `gy_plane` apart in the forward's output layout.
template <class T>
void conv_grad_weight_flat(const T* xp_all, const T* gy_flat, int64_t gy_plane, T* gw, const ConvGeometry& g) {
  direct::FlatConv f = flat_forward(g);
  f.out_plane = gy_plane;
  const int64_t wsize = g.o * g.k(), chunks = (g.n + kGradChunk - 1) / kGradChunk;
  std::vector<T> partial(static_cast<size_t>(chunks * wsize));
  parallel_for(0, chunks, 1, [&](int64_t lo, int64_t hi) {
    for (int64_t ch = lo; ch < hi; ++ch) {
      const int64_t s0 = ch * kGradChunk, count = std::min(g.n, s0 + kGradChunk) - s0;
      direct::conv_flat_grad_weight(xp_all + s0 * g.c * f.in_plane, gy_flat + s0 * g.o * gy_plane, count,
                                    partial.data() + ch * wsize, f);
    }
  });
  add_partials(partial, chunks, wsize, gw);
}

// conv2d_relu_max_pool2d's grad_output, padded, from the pooled gradient `gp`: zero everywhere
// but at each window's maximum (flat position `at` in the conv output plane, `offset` before it
// in the padded plane), which gets gp where ReLU passed it (its pooled result not ≤ 0): what
// max_pool2d's backward and then conv2d_relu's masked padding would write.
template <class T>
void scatter_pooled(const T* gp, const T* pooled, const int32_t* at, int64_t planes, int64_t per_plane, T* dst,
                    int64_t plane, int64_t offset) {
  std::fill(dst, dst + planes * plane, T(0));
  using Bits = std::conditional_t<sizeof(T) == 4, uint32_t, uint64_t>;
  for (int64_t q = 0; q < planes; ++q)
    for (int64_t e = q * per_plane; e < (q + 1) * per_plane; ++e) {
      // ReLU's rule as a bit mask: a branch on the comparison mispredicts on half the elements.
      const Bits keep = Bits(0) - static_cast<Bits>(!(pooled[e] <= T(0)));
      dst[q * plane + offset + at[e]] = std::bit_cast<T>(std::bit_cast<Bits>(gp[e]) & keep);
    }
}

// The backward pass of the direct path (gx, gw, gb may be null). With `relu_result` (conv2d_relu)
// grad_output is masked by ReLU's rule as it is padded. With `positions` (conv2d_relu_max_pool2d,
// same padding only) gy and relu_result are the pooled gradient and result, scattered to the
// maxima's positions instead. grad_bias sums the padded planes (zeros add nothing) per sample,
// then the samples in order: the same for any thread count.
// One parallel loop over chunks of kGradChunk samples pads each chunk's grad_output, computes its
// grad_input and, where the padded grad_output is also grad_weight's (same padding, or no
// grad_input), its grad_weight partial, while the chunk's planes are still in cache.
template <class T>
void conv_backward_direct(const T* gy, const T* relu_result, const T* w, const T* xp_all, T* gx, T* gw, T* gb,
                          const ConvGeometry& g, const int32_t* positions = nullptr) {
  const direct::FlatConv fb = flat_grad_input(g), f = flat_forward(g);
  const bool shared = same_padding(g);
  // grad_output padded as grad_input's input (top kh−1−pt, left kw−1−pl, rows fb.wp wide) where
  // grad_input or, with same padding, grad_weight reads it; else in the forward's output layout.
  const bool input_layout = gx || shared || !gw;
  const int64_t top = input_layout ? g.kh - 1 - g.pt : 0, left = input_layout ? g.kw - 1 - g.pl : 0;
  const int64_t cols = input_layout ? fb.wp : f.wp, plane = input_layout ? fb.in_plane : f.out_plane;
  const Tensor padded = Tensor::empty({g.n * g.o * plane}, dtype_of<T>);  // not zeroed: all written
  T* gyp = padded.data<T>();
  std::vector<T> flipped;  // {c, o, kh, kw}, the weights rotated 180°: grad_input's
  if (gx) {
    flipped.resize(static_cast<size_t>(g.c * g.o * g.kh * g.kw));
    for (int64_t o = 0; o < g.o; ++o)
      for (int64_t c = 0; c < g.c; ++c)
        for (int64_t i = 0; i < g.kh; ++i)
          for (int64_t j = 0; j < g.kw; ++j)
            flipped[((c * g.o + o) * g.kh + g.kh - 1 - i) * g.kw + g.kw - 1 - j] =
                w[((o * g.c + c) * g.kh + i) * g.kw + j];
  }
  const bool gw_here = gw && (shared || !input_layout);
  direct::FlatConv fw = f;  // grad_weight reads the padded grad_output from its data's first element
  fw.out_plane = plane;
  const int64_t wsize = g.o * g.k(), chunks = (g.n + kGradChunk - 1) / kGradChunk;
  std::vector<T> partial(static_cast<size_t>(gw_here ? chunks * wsize : 0));
  std::vector<double> bias_part(static_cast<size_t>(gb ? g.n * g.o : 0));
  parallel_for(0, chunks, 1, [&](int64_t lo, int64_t hi) {
    T* gxp = gx ? scratch<T>(static_cast<size_t>(g.c * fb.out_plane), 1) : nullptr;
    for (int64_t ch = lo; ch < hi; ++ch) {
      const int64_t s0 = ch * kGradChunk, s1 = std::min(g.n, s0 + kGradChunk);
      for (int64_t s = s0; s < s1; ++s) {
        T* gys = gyp + s * g.o * plane;
        if (positions) {
          const int64_t pooled = (g.oh / 2) * (g.ow / 2), at = s * g.o * pooled;
          scatter_pooled(gy + at, relu_result + at, positions + at, g.o, pooled, gys, plane, top * cols + left);
        } else {
          const int64_t at = s * g.o * g.plane();
          pad_planes(gy + at, g.o, g.oh, g.ow, gys, top, left, cols, plane, relu_result ? relu_result + at : nullptr);
        }
        for (int64_t o = 0; gb && o < g.o; ++o)
          bias_part[s * g.o + o] = direct::sum_to_double(gys + o * plane, plane);
        if (gx)
          direct::conv_flat(gys, flipped.data(), static_cast<const T*>(nullptr), gxp, fb,
                            {gx + s * g.c * g.h * g.w, g.w, g.h * g.w, 0, g.h, false});
      }
      if (gw_here)
        direct::conv_flat_grad_weight(xp_all + s0 * g.c * f.in_plane, gyp + s0 * g.o * plane + top * cols + left,
                                      s1 - s0, partial.data() + ch * wsize, fw);
    }
  });
  for (int64_t o = 0; gb && o < g.o; ++o) {
    double total = 0;
    for (int64_t s = 0; s < g.n; ++s) total += bias_part[s * g.o + o];
    gb[o] = static_cast<T>(total);
  }
  if (gw_here) return add_partials(partial, chunks, wsize, gw);
  if (!gw) return;
  // grad_input's layout has other rows: grad_weight gets grad_output in the forward's output layout.
  const Tensor gy_flat = Tensor::empty({g.n * g.o * f.out_plane}, dtype_of<T>);
  T* pgy = gy_flat.data<T>();
  parallel_for(0, g.n, 1, [&](int64_t lo, int64_t hi) {
    for (int64_t s = lo; s < hi; ++s) {
      const int64_t at = s * g.o * g.plane();
      pad_planes(gy + at, g.o, g.oh, g.ow, pgy + s * g.o * f.out_plane, 0, 0, f.wp, f.out_plane,
                 relu_result ? relu_result + at : nullptr);
    }
  });
  conv_grad_weight_flat(xp_all, pgy, f.out_plane, gw, g);
}

// ---- The im2col + GEMM path: any stride, dilation, groups, padding.

template <class T>
void conv_forward_fast(const T* x, const T* w, const T* b, T* y, const ConvGeometry& g) {
  const int64_t k = g.k(), plane = g.plane();
  parallel_for(0, g.n, 1, [&](int64_t lo, int64_t hi) {
    T* cols = scratch<T>(static_cast<size_t>(k * plane));
    for (int64_t s = lo; s < hi; ++s) {
      const T* xs = x + s * g.c * g.h * g.w;
      T* ys = y + s * g.o * plane;
      for (int64_t grp = 0; grp < g.groups; ++grp) {
        im2col(xs, g, grp * g.cg, cols, plane);
        T* yg = ys + grp * g.og * plane;
        for (int64_t o = 0; o < g.og; ++o) std::fill(yg + o * plane, yg + (o + 1) * plane, b ? b[grp * g.og + o] : T(0));
        kernels::gemm_parallel<T>(false, false, g.og, plane, k, w + grp * g.og * k, k, cols, plane, T(1), yg, plane);
      }
    }
  });
}

template <class T>
void conv_forward_reference(const T* x, const T* w, const T* b, T* y, const ConvGeometry& g) {
  for (int64_t s = 0; s < g.n; ++s)
    for (int64_t o = 0; o < g.o; ++o) {
      const int64_t grp = o / g.og;
      for (int64_t oy = 0; oy < g.oh; ++oy)
        for (int64_t ox = 0; ox < g.ow; ++ox) {
          T acc = b ? b[o] : T(0);
          for (int64_t c = 0; c < g.cg; ++c)
            for (int64_t i = 0; i < g.kh; ++i)
              for (int64_t j = 0; j < g.kw; ++j) {
                const int64_t iy = oy * g.sh - g.pt + i * g.dh, ix = ox * g.sw - g.pl + j * g.dw;
                if (iy < 0 || iy >= g.h || ix < 0 || ix >= g.w) continue;
                acc += x[((s * g.c + grp * g.cg + c) * g.h + iy) * g.w + ix] * w[((o * g.cg + c) * g.kh + i) * g.kw + j];
              }
          y[((s * g.o + o) * g.oh + oy) * g.ow + ox] = acc;
        }
    }
}

template <class T>
void conv_grad_input(const T* gy, const T* w, T* gx, const ConvGeometry& g) {
  const int64_t k = g.k(), plane = g.plane(), sample = g.c * g.h * g.w;
  parallel_for(0, g.n, 1, [&](int64_t lo, int64_t hi) {
    T* cols = scratch<T>(static_cast<size_t>(k * plane));
    for (int64_t s = lo; s < hi; ++s) {
      std::fill(gx + s * sample, gx + (s + 1) * sample, T(0));
      for (int64_t grp = 0; grp < g.groups; ++grp) {
        // cols {k, plane} = W_gᵀ {k, og} · gy_g {og, plane}
        kernels::gemm_parallel<T>(true, false, k, plane, g.og, w + grp * g.og * k, k,
                                  gy + (s * g.o + grp * g.og) * plane, plane, T(0), cols, plane);
        col2im_add(cols, g, grp * g.cg, gx + s * sample);
      }
    }
  });
}

// grad_weight = Σ over samples of gy_s {og, plane} · cols_sᵀ {plane, k}, in chunks of kGradChunk
// samples (each chunk sums its samples in order into its own partial).
template <class T>
void conv_grad_weight(const T* gy, const T* x, T* gw, const ConvGeometry& g) {
  const int64_t k = g.k(), plane = g.plane(), wsize = g.o * k;
  const int64_t chunks = (g.n + kGradChunk - 1) / kGradChunk;
  std::vector<T> partial(static_cast<size_t>(chunks * wsize));
  parallel_for(0, chunks, 1, [&](int64_t lo, int64_t hi) {
    T* cols = scratch<T>(static_cast<size_t>(k * plane));
    for (int64_t ch = lo; ch < hi; ++ch)
      for (int64_t s = ch * kGradChunk; s < std::min(g.n, (ch + 1) * kGradChunk); ++s)
        for (int64_t grp = 0; grp < g.groups; ++grp) {
          im2col(x + s * g.c * g.h * g.w, g, grp * g.cg, cols, plane);
          kernels::gemm<T>(false, true, g.og, k, plane, gy + (s * g.o + grp * g.og) * plane, plane, cols, plane,
                           s == ch * kGradChunk ? T(0) : T(1), partial.data() + ch * wsize + grp * g.og * k, k);
        }
  });
  add_partials(partial, chunks, wsize, gw);
}

template <class T>
void conv_grad_bias(const T* gy, T* gb, const ConvGeometry& g) {
  const int64_t plane = g.plane();
  // Each channel in a fixed order, in double: the same for any thread count.
  auto channel_sum = [&](int64_t o) {
    double total = 0;
    for (int64_t s = 0; s < g.n; ++s) total += direct::sum_to_double(gy + (s * g.o + o) * plane, plane);
    return static_cast<T>(total);
  };
  parallel_for(0, g.o, 1, [&](int64_t lo, int64_t hi) {
    for (int64_t o = lo; o < hi; ++o) gb[o] = channel_sum(o);
  });
}

// The reference backward: the definition's loops, scattered.
template <class T>
void conv_backward_reference(const T* gy, const T* x, const T* w, T* gx, T* gw, const ConvGeometry& g) {
  if (gx) std::fill(gx, gx + g.n * g.c * g.h * g.w, T(0));
  if (gw) std::fill(gw, gw + g.o * g.k(), T(0));
  for (int64_t s = 0; s < g.n; ++s)
    for (int64_t o = 0; o < g.o; ++o) {
      const int64_t grp = o / g.og;
      for (int64_t oy = 0; oy < g.oh; ++oy)
        for (int64_t ox = 0; ox < g.ow; ++ox) {
          const T go = gy[((s * g.o + o) * g.oh + oy) * g.ow + ox];
          for (int64_t c = 0; c < g.cg; ++c)
            for (int64_t i = 0; i < g.kh; ++i)
              for (int64_t j = 0; j < g.kw; ++j) {
                const int64_t iy = oy * g.sh - g.pt + i * g.dh, ix = ox * g.sw - g.pl + j * g.dw;
                if (iy < 0 || iy >= g.h || ix < 0 || ix >= g.w) continue;
                const int64_t xi = ((s * g.c + grp * g.cg + c) * g.h + iy) * g.w + ix;
                const int64_t wi = ((o * g.cg + c) * g.kh + i) * g.kw + j;
                if (gx) gx[xi] += go * w[wi];
                if (gw) gw[wi] += go * x[xi];
              }
        }
    }
}

}  // namespace

namespace functional {

namespace {

// conv2d, conv2d_relu when `relu`, and max_pool2d(·, 2) of either when `pool`.
Tensor convolution(const Tensor& input, const Tensor& weight, const Tensor& bias, Size2 stride, Padding2d padding,
                   Size2 dilation, int64_t groups, bool reference, bool relu, bool pool = false) {
  check(input.defined() && weight.defined(), "conv2d", "input and weight must be defined");
  if (input.dim() == 3)  // unbatched {C, H, W}
    return convolution(input.unsqueeze(0), weight, bias, stride, padding, dilation, groups, reference, relu, pool)
        .squeeze(0);
  if (!(input.dim() == 4)) fail("conv2d", "Expected 3D (unbatched) or 4D (batched) input to conv2d, but got input of size: ",
        shape_str(input.shape()));
  const ConvGeometry g = conv_geometry(input, weight, bias, stride, padding, dilation, groups);
  Tensor kept[3];
  const Tensor& x = kernels::contiguous_in(input, kept[0]);
  const Tensor& w = kernels::contiguous_in(weight, kept[1]);
  const Tensor& b = kernels::contiguous_in(bias, kept[2]);
  const bool direct = !reference && direct_applies(g), recording = any_requires_grad({input, weight, bias});
  // Pooled as the output is written on the direct path (float); going backward, with same padding
  // only (the maxima's positions then lie in the padded gradient's rows). Else the two ops.
  if (pool && !(direct && x.dtype() == DType::f32 && g.oh >= 2 && g.ow >= 2 && (!recording || same_padding(g))))
    return max_pool2d(convolution(input, weight, bias, stride, padding, dilation, groups, reference, relu), 2,
                      std::nullopt, 0, 1, false, reference);
  const bool need_x = recording && input.requires_grad(), need_w = recording && weight.requires_grad(),
             need_b = recording && bias.defined() && bias.requires_grad();
  // The direct path keeps its padded input for grad_weight (instead of the input itself).
  const Tensor xp = direct && need_w ? Tensor::empty({g.n * g.c * flat_forward(g).in_plane}, x.dtype()) : Tensor();
  const int64_t scale = pool ? 2 : 1;
  Tensor y = Tensor::empty({g.n, g.o, g.oh / scale, g.ow / scale}, x.dtype());
  const Tensor positions = pool && recording ? Tensor::empty(y.shape(), DType::i32) : Tensor();
  kernels::visit_float(x.dtype(), "conv2d", [&](auto tag) {
    using T = decltype(tag);
    const T* pb = b.defined() ? b.data<T>() : nullptr;
    if (reference) conv_forward_reference(x.data<T>(), w.data<T>(), pb, y.data<T>(), g);
    else if (direct)
      conv_forward_direct(x.data<T>(), w.data<T>(), pb, y.data<T>(), g, xp.defined() ? xp.data<T>() : nullptr, relu,
                          scale, positions.defined() ? positions.data<int32_t>() : nullptr);
    else conv_forward_fast(x.data<T>(), w.data<T>(), pb, y.data<T>(), g);
    if (relu && !direct) {  // the other paths apply it after
      T* py = y.data<T>();
      for (int64_t i = 0, n = y.numel(); i < n; ++i) py[i] = py[i] < T(0) ? T(0) : py[i];
    }
  });
  if (!recording) return y;
  const Tensor saved = direct ? xp : x.detach();
  const Tensor result = relu ? y.detach() : Tensor();  // relu's backward masks by the result
  const char* name = pool ? "MaxPool2DWithIndicesBackward0" : relu ? "ReluBackward0" : "ConvolutionBackward0";
  return record(name, y, {input, weight, bias},
                [saved, w = w.detach(), g, need_x, need_w, need_b, reference, direct, dtype = x.dtype(), x_shape = x.shape(),
                 result, positions](const Tensor& grad) -> std::vector<Tensor> {
                  const Tensor grad_c = grad.contiguous();
                  // The direct path masks while padding; the others mask first.
                  const Tensor gy = result.defined() && !direct ? detail::relu_backward(grad_c, result) : grad_c;
                  Tensor gx = need_x ? Tensor::empty(x_shape, dtype) : Tensor();
                  Tensor gw = need_w ? Tensor::empty(w.shape(), dtype) : Tensor();
                  Tensor gb = need_b ? Tensor::empty({g.o}, dtype) : Tensor();
                  kernels::visit_float(dtype, "conv2d backward", [&](auto tag) {
                    using T = decltype(tag);
                    T* pgx = need_x ? gx.data<T>() : nullptr;
                    T* pgw = need_w ? gw.data<T>() : nullptr;
                    if (reference) {
                      conv_backward_reference(gy.data<T>(), saved.data<T>(), w.data<T>(), pgx, pgw, g);
                    } else if (direct) {
                      conv_backward_direct(gy.data<T>(), result.defined() ? result.data<T>() : nullptr, w.data<T>(),
                                           need_w ? saved.data<T>() : nullptr, pgx, pgw,
                                           need_b ? gb.data<T>() : nullptr, g,
                                           positions.defined() ? positions.data<int32_t>() : nullptr);
                      return;
                    } else {
                      if (need_x) conv_grad_input(gy.data<T>(), w.data<T>(), pgx, g);
                      if (need_w) conv_grad_weight(gy.data<T>(), saved.data<T>(), pgw, g);
                    }
                    if (need_b) conv_grad_bias(gy.data<T>(), gb.data<T>(), g);
                  });
                  return {gx, gw, gb};
                });
}

}  // namespace

Tensor conv2d(const Tensor& input, const Tensor& weight, const Tensor& bias, Size2 stride, Padding2d padding,
              Size2 dilation, int64_t groups, bool reference) {
  return convolution(input, weight, bias, stride, padding, dilation, groups, reference, false);
}

Tensor conv2d_relu(const Tensor& input, const Tensor& weight, const Tensor& bias, Size2 stride, Padding2d padding,
                   Size2 dilation, int64_t groups, bool reference) {
  return convolution(input, weight, bias, stride, padding, dilation, groups, reference, true);
}

Tensor conv2d_relu_max_pool2d(const Tensor& input, const Tensor& weight, const Tensor& bias, Size2 stride,
                              Padding2d padding, Size2 dilation, int64_t groups, bool reference) {
  return convolution(input, weight, bias, stride, padding, dilation, groups, reference, true, true);
}

namespace {
// A float32 weight {out, in} and bias {out} (or none) that nothing differentiates: the head
// conv2d_relu_blocks computes itself (anything else goes through linear, with its errors).
bool float_head_without_gradients(const LinearHead& head) {
  const Tensor &w = head.weight, &b = head.bias;
  if (any_requires_grad({w, b}) || w.dim() != 2 || w.dtype() != DType::f32) return false;
  return !b.defined() || (b.dim() == 1 && b.dtype() == DType::f32 && b.size(0) == w.size(0));
}
}  // namespace

Tensor conv2d_relu_blocks(const Tensor& input, std::span<const ConvReluBlock> blocks, const LinearHead* head) {
  const auto one_by_one = [&] {  // each block as the separate calls it stands for, then the head
    Tensor x = input;
    for (const ConvReluBlock& b : blocks) {
      const Tensor a = conv2d_relu(x, b.w1, b.b1, 1, b.padding1);
      x = b.pool ? conv2d_relu_max_pool2d(a, b.w2, b.b2, 1, b.padding2) : conv2d_relu(a, b.w2, b.b2, 1, b.padding2);
    }
    return head ? linear(x.flatten(1), head->weight, head->bias) : x;
  };
  if (!input.defined() || input.dim() != 4 || input.dtype() != DType::f32) return one_by_one();
  for (const ConvReluBlock& b : blocks)
    if (any_requires_grad({input, b.w1, b.b1, b.w2, b.b2})) return one_by_one();
  if (head && !float_head_without_gradients(*head)) return one_by_one();
  std::vector<BlockPlan> plans;
  std::vector<Tensor> copies;  // contiguous copies where needed
  plans.reserve(blocks.size());
  const auto data = [&](const Tensor& t) -> const float* {
    if (!t.defined()) return nullptr;
    return (t.is_contiguous() ? t : copies.emplace_back(t.contiguous())).data<float>();
  };
  std::array<int64_t, 4> shape;  // of each block's input, then of the result
  std::copy(input.shape().begin(), input.shape().end(), shape.begin());
  int64_t between = 0;  // elements of the results before the last block's
  for (const ConvReluBlock& b : blocks) {
    BlockPlan p{};
    p.ga = conv_geometry(shape, DType::f32, b.w1, b.b1, 1, b.padding1, 1, 1);
    const std::array<int64_t, 4> between_layers{p.ga.n, p.ga.o, p.ga.oh, p.ga.ow};
    p.gb = conv_geometry(between_layers, DType::f32, b.w2, b.b2, 1, b.padding2, 1, 1);
    p.pool = b.pool ? 2 : 1;
    if (!direct_applies(p.ga) || !direct_applies(p.gb) || p.gb.oh < p.pool || p.gb.ow < p.pool) return one_by_one();
    p.w1 = data(b.w1), p.b1 = data(b.b1), p.w2 = data(b.w2), p.b2 = data(b.b2);
    p.rows = p.gb.oh / p.pool, p.cols = p.gb.ow / p.pool;
    p.parts = p.ga.n == 0 ? 1 : std::clamp<int64_t>(get_num_threads() / p.ga.n, 1, p.rows);
    shape = {p.gb.n, p.gb.o, p.rows, p.cols};
    if (plans.size() + 1 < blocks.size()) between += p.gb.n * p.gb.o * p.rows * p.cols;
    plans.push_back(p);
  }
  if (plans.empty()) return head ? one_by_one() : input;
  BlockPlan& last = plans.back();
  const int64_t features = last.gb.o * last.rows * last.cols;
  if (head && head->weight.size(1) != features) return one_by_one();  // linear's error
  // The results between blocks (with a head, the last block's too) live in this thread's buffer,
  // kept from call to call, each in its own stretch: with several samples, a block's parts may
  // run while the one before works on another sample.
  const int64_t n = plans.front().ga.n, outs = head ? head->weight.size(0) : 0;
  const int64_t buffered = between + (head ? n * features : 0);
  thread_local std::vector<float> kept_between;
  if (kept_between.size() < static_cast<size_t>(buffered)) kept_between.resize(static_cast<size_t>(buffered));
  Tensor y = Tensor::empty(head ? Shape{n, outs} : Shape(shape.begin(), shape.end()), DType::f32);
  float* next = kept_between.data();
  const float* x = data(input);
  for (BlockPlan& p : plans) {
    p.x = x;
    p.y = &p == &last && !head ? y.data<float>() : next;
    next += p.gb.n * p.gb.o * p.rows * p.cols;
    x = p.y;
  }
  conv_blocks_forward(plans, n);
  if (head)  // linear's arithmetic on the flattened rows, without their tensors
    kernels::affine_rows<float>(n, outs, features, last.y, data(head->weight), data(head->bias), y.data<float>());
  return y;
}

Tensor conv2d_relu_block(const Tensor& input, const Tensor& w1, const Tensor& b1, Padding2d padding1,
                         const Tensor& w2, const Tensor& b2, Padding2d padding2, bool pool) {
  const ConvReluBlock block{w1, b1, padding1, w2, b2, padding2, pool};
  return conv2d_relu_blocks(input, {&block, 1});
}

}  // namespace functional
}  // namespace ojo::nn
