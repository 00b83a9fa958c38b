// Direct convolution kernels on "flat padded planes" (Highway, runtime dispatch).
//
// For stride 1 and dilation 1, a convolution over zero-padded planes whose rows are `wp` wide is a
// one-dimensional convolution over the flattened plane: output position p = oy·wp + ox reads input
// positions p + i·wp + j. Computing every p in [0, n) with n = oh·wp also produces wp − ow
// meaningless columns per row (they straddle the row end); conv_flat drops them as it copies its
// result out (DenseRows). In exchange the kernels are plain streams over contiguous memory with no
// border cases at all.
//
// Buffers: `in_plane` / `out_plane` floats per channel plane; every plane must be readable (and
// zero) far enough past its data for the vector tails: in_plane ≥ round_up(n, 16) + (kh−1)·wp + kw − 1,
// out_plane ≥ round_up(n, 16).
#pragma once

#include <cstdint>

namespace ojo::nn::direct {

struct FlatConv {
  int64_t channels, outs;     // input and output planes
  int64_t kh, kw, wp;         // kernel size, row width of the padded input
  int64_t in_plane, out_plane;
  int64_t n;                  // flat outputs computed per plane
};

// Where conv_flat puts its result: rows [r0, r1) of dense planes whose rows are `cols` wide (the
// flat rows' meaningful columns), planes `plane` apart, through torch.relu's rule when `relu`.
// With pool 2 (float only) they are rows of max_pool2d(·, 2)'s result instead, pooled after the
// ReLU: the convolution's rows [2·r0, 2·r1) are computed.
// With a `gap` (pool 1 only) the rows are cols + gap apart and the gap after each row is zeroed:
// the rows land inside the next convolution's padded input, the gaps being its pad columns.
// With `positions` (pool 2) each pooled element's maximum is also given as its flat position in
// the convolution's output plane (row r, column c: r·wp + c), laid out as `data`.
template <class T>
struct DenseRows {
  T* data;
  int64_t cols, plane, r0, r1;
  bool relu;
  int64_t pool = 1;
  int64_t gap = 0;
  int32_t* positions = nullptr;
};

// `count` consecutive data planes {h, w} and the flat padded planes they go to, `plane` elements
// apart, whose rows are `cols` wide: data row r is padded row top + r, from column left.
struct PaddedPlanes {
  int64_t count, h, w;
  int64_t plane, top, left, cols;
};

// Writes flat positions [from, to) of every padded plane: the data, and zeros everywhere else
// (written only where no data goes). With `relu_result` (laid out as src) a data element is copied
// only where the result is above zero or NaN, zero elsewhere: ReLU's backward, for conv2d_relu's
// grad_output.
void pad_window(const float* src, float* dst, const PaddedPlanes& p, int64_t from, int64_t to,
                const float* relu_result = nullptr);
void pad_window(const double* src, double* dst, const PaddedPlanes& p, int64_t from, int64_t to,
                const double* relu_result = nullptr);

// y[o][p] = bias[o] + Σ_c Σ_i Σ_j w[o][c][i][j] · xp[c][p + i·wp + j] for the positions of rows
// of `out` (bias may be null), written to it. `flat` is per-thread staging of out_plane
// elements per output plane; each block of positions is copied out while it is still in cache. The
// vector tiles start at a multiple of kFlatPad at or before the first convolution row and read xp
// up to round_up(end·wp, kFlatPad) + (kh−1)·wp + kw − 1, `end` the row after the last.
// Float 3×3 kernels with at least 8 channels in and out go through Winograd's algorithm instead
// (conv_winograd.hpp, which writes `out` without the staging): the same sums up to rounding,
// 16 multiplications per 2×2 outputs instead of 36.
// Unpooled outputs with at most 27 taps (channels·kh·kw) and rows at least a vector wide skip the
// staging: each row goes from the registers into `out` (same sums, same bits), reading only the
// meaningful columns of its input rows.
void conv_flat(const float* xp, const float* w, const float* bias, float* flat, const FlatConv& f,
               const DenseRows<float>& out);
void conv_flat(const double* xp, const double* w, const double* bias, double* flat, const FlatConv& f,
               const DenseRows<double>& out);

// gw[o][c][i][j] = Σ_s Σ_p gy[s][o][p] · xp[s][c][p + i·wp + j] over `samples` consecutive samples
// (xp sample stride channels·in_plane, gy sample stride outs·out_plane). gy must be zero at
// p ≥ n up to round_up(n, 16) and in the meaningless columns. The sums run in a fixed order.
void conv_flat_grad_weight(const float* xp, const float* gy, int64_t samples, float* gw, const FlatConv& f);
void conv_flat_grad_weight(const double* xp, const double* gy, int64_t samples, double* gw, const FlatConv& f);

// Σ p[i] accumulated in double, in a fixed order (conv's bias gradient).
double sum_to_double(const float* p, int64_t n);
double sum_to_double(const double* p, int64_t n);

// Register tiles take output channels in blocks of 5 when that divides them evenly (TinyVGG's
// 10), else 4.
inline int64_t channel_block(int64_t outs) { return outs % 5 == 0 && outs % 4 != 0 ? 5 : 4; }

// Vector tails stay inside buffers padded to a multiple of this many elements.
constexpr int64_t kFlatPad = 16;

// A padded row's pad columns (usually one or two elements) are zeroed element by element: a
// vector store there overlaps the row's data written just before or after, and a first layer's
// rows took ~7% longer with it (a masked store: no better; std::fill: a call to memset).
constexpr int64_t kShortRun = 4;
template <class T>
inline void zero_short_run(T* dst, int64_t n) {  // n ≤ kShortRun
  for (int64_t i = 0; i < kShortRun; ++i)  // a fixed bound: GCC would call memset for `i < n`
    if (i < n) dst[i] = T(0);
}

}  // namespace ojo::nn::direct
