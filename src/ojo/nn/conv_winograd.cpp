// Winograd F(2×2, 3×3) forward convolution (see conv_winograd.hpp for the algorithm).
//
// Lanes hold blocks: one vector is N blocks side by side in a block row (two output rows). For a
// group of such vectors, every input channel's Bᵀ d B goes to V[c][g][pos] (pos = 4·i + j in the
// 4×4 transform), the 16 element-wise products summed over the input channels to M[o][g][pos]
// (16 small matrix products in register tiles of output channels × vectors), and Aᵀ M A + bias
// straight to the result's rows; pooled, each block is a pooling window.
// A transform's 16 vectors are adjacent: its loads and stores need no strides.
#include <algorithm>
#include <cstddef>
#include <vector>

#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "../src/ojo/nn/conv_winograd.cpp"  // found through include/
#include <hwy/foreach_target.h>  // IWYU pragma: keep
#include <hwy/highway.h>

#include "conv_winograd.hpp"
#include "kept_packing.hpp"

HWY_BEFORE_NAMESPACE();
namespace ojo::nn::winograd::HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;
using direct::DenseRows;
using direct::FlatConv;

#if HWY_TARGET != HWY_SCALAR

// At most 256-bit vectors, as the direct kernels (conv_direct.cpp).
using D = hn::CappedTag<float, 8>;
using V = hn::Vec<D>;

// Vectors of blocks whose products share their weight broadcasts (the register tile's width:
// 5 output channels × 2 vectors). Wider tiles fit AVX-512's registers but measured slower: the
// transformed inputs outgrow the L1 cache.
constexpr int kGroup = 2;  // ConvFlat instantiates the products for groups of 1 and 2

// The even and odd lanes of lo, hi within each 128-bit block (x86's shufps): lanes of both
// hold every other block of outputs, in an order that InterleaveLower/Upper, also per 128-bit
// block, put back (StoreBlocks). Crossing blocks would cost a permutation per vector.
HWY_INLINE void EvenOdd(V lo, V hi, V& even, V& odd) {
#if HWY_ARCH_X86 && HWY_TARGET <= HWY_AVX2
  even = V{_mm256_shuffle_ps(lo.raw, hi.raw, _MM_SHUFFLE(2, 0, 2, 0))};
  odd = V{_mm256_shuffle_ps(lo.raw, hi.raw, _MM_SHUFFLE(3, 1, 3, 1))};
#else  // one 128-bit block
  const D d;
  even = hn::ConcatEven(d, hi, lo), odd = hn::ConcatOdd(d, hi, lo);
#endif
}

// The lanes of a vector that EvenOdd filled, in the blocks' order (x86's 256-bit shufps leaves
// blocks 0, 1, 4, 5, 2, 3, 6, 7: the middle pairs swap back).
HWY_INLINE V InBlockOrder(V v) {
#if HWY_ARCH_X86 && HWY_TARGET <= HWY_AVX2
  return V{_mm256_castpd_ps(_mm256_permute4x64_pd(_mm256_castps_pd(v.raw), _MM_SHUFFLE(3, 1, 2, 0)))};
#else
  return v;
#endif
}

// U = G g Gᵀ for every output channel o and input channel c, laid out for the products: per
// position of the 4×4 transform, per block of output channels, {c, ob}: the block's weights of
// one input channel adjacent.
const float* TransformWeights(const float* w, int64_t outs, int64_t channels) {
  const int64_t block = direct::channel_block(outs), plane = outs * channels;
  return direct::kept_packing(w, outs, channels * 9, static_cast<size_t>(16 * plane), [&](float* u) {
    for (int64_t o = 0; o < outs; ++o)
      for (int64_t c = 0; c < channels; ++c) {
        const float* g = w + (o * channels + c) * 9;
        float gg[4][3];  // G g
        for (int j = 0; j < 3; ++j) {
          gg[0][j] = g[j];
          gg[1][j] = 0.5f * (g[j] + g[3 + j] + g[6 + j]);
          gg[2][j] = 0.5f * (g[j] - g[3 + j] + g[6 + j]);
          gg[3][j] = g[6 + j];
        }
        const int64_t o0 = o / block * block, ob = std::min(block, outs - o0);
        float* at = u + o0 * channels + c * ob + (o - o0);
        for (int i = 0; i < 4; ++i) {
          const float* r = gg[i];
          const float row[4] = {r[0], 0.5f * (r[0] + r[1] + r[2]), 0.5f * (r[0] - r[1] + r[2]), r[2]};
          for (int j = 0; j < 4; ++j) at[(4 * i + j) * plane] = row[j];
        }
      }
  });
}

// Bᵀ d B of one input channel for the N blocks whose four padded rows start at rows[i] + col
// (block x reads columns col + 2x to col + 2x + 3), to the 16 vectors from v.
HWY_INLINE void TransformInput(const float* const rows[4], int64_t col, float* v) {
  const D d;
  const int64_t N = static_cast<int64_t>(hn::Lanes(d));
  // Bᵀ along a row: (d0 − d2, d1 + d2, d2 − d1, d1 − d3) of each block's four columns.
  const auto along = [&](const float* row, V t[4]) {
    V d0, d1, d2, d3;
    EvenOdd(hn::LoadU(d, row + col), hn::LoadU(d, row + col + N), d0, d1);
    EvenOdd(hn::LoadU(d, row + col + 2), hn::LoadU(d, row + col + 2 + N), d2, d3);
    t[0] = hn::Sub(d0, d2), t[1] = hn::Add(d1, d2), t[2] = hn::Sub(d2, d1), t[3] = hn::Sub(d1, d3);
  };
  V t0[4], t1[4], t2[4], t3[4];  // then the same down the columns, rows loaded as they are needed
  along(rows[0], t0);
  along(rows[2], t2);
  for (int j = 0; j < 4; ++j) hn::StoreU(hn::Sub(t0[j], t2[j]), d, v + j * N);
  along(rows[1], t1);
  for (int j = 0; j < 4; ++j) {
    hn::StoreU(hn::Add(t1[j], t2[j]), d, v + (4 + j) * N);
    hn::StoreU(hn::Sub(t2[j], t1[j]), d, v + (8 + j) * N);
  }
  along(rows[3], t3);
  for (int j = 0; j < 4; ++j) hn::StoreU(hn::Sub(t1[j], t3[j]), d, v + (12 + j) * N);
}

// M[ob][g][pos] = Σ_c U[pos][c][o + ob] · V[c][g][pos], c in order, for the OB output channels
// from o and G vectors of blocks.
template <int OB, int G>
HWY_INLINE void Products(const float* v, const float* u, float* m, int64_t channels, int64_t outs, int64_t o) {
  const D d;
  const int64_t N = static_cast<int64_t>(hn::Lanes(d));
  for (int64_t pos = 0; pos < 16; ++pos) {
    const float* vp = v + pos * N;
    const float* up = u + pos * outs * channels + o * channels;
    V acc[OB][G];
    for (int ob = 0; ob < OB; ++ob)
      for (int g = 0; g < G; ++g) acc[ob][g] = hn::Zero(d);
    for (int64_t c = 0; c < channels; ++c) {
      V x[G];
      for (int g = 0; g < G; ++g) x[g] = hn::LoadU(d, vp + (c * G + g) * 16 * N);
      for (int ob = 0; ob < OB; ++ob) {
        const V weight = hn::Set(d, up[c * OB + ob]);
        for (int g = 0; g < G; ++g) acc[ob][g] = hn::MulAdd(weight, x[g], acc[ob][g]);
      }
    }
    for (int ob = 0; ob < OB; ++ob)
      for (int g = 0; g < G; ++g) hn::StoreU(acc[ob][g], d, m + ((ob * G + g) * 16 + pos) * N);
  }
}

template <int G>
void ProductsOfBlock(int64_t ob, const float* v, const float* u, float* m, int64_t channels, int64_t outs, int64_t o) {
  switch (ob) {
    case 5: return Products<5, G>(v, u, m, channels, outs, o);
    case 4: return Products<4, G>(v, u, m, channels, outs, o);
    case 3: return Products<3, G>(v, u, m, channels, outs, o);
    case 2: return Products<2, G>(v, u, m, channels, outs, o);
    default: return Products<1, G>(v, u, m, channels, outs, o);
  }
}

// Aᵀ M A + bias of one output channel for N blocks from the 16 vectors from m: y[r][c] holds
// each block's output at row r, column c.
HWY_INLINE void TransformOutput(const float* m, float bias, V y[2][2]) {
  const D d;
  const int64_t N = static_cast<int64_t>(hn::Lanes(d));
  V s0[4], s1[4];  // Aᵀ M
  for (int j = 0; j < 4; ++j) {
    const V m0 = hn::LoadU(d, m + j * N), m1 = hn::LoadU(d, m + (4 + j) * N);
    const V m2 = hn::LoadU(d, m + (8 + j) * N), m3 = hn::LoadU(d, m + (12 + j) * N);
    s0[j] = hn::Add(hn::Add(m0, m1), m2);
    s1[j] = hn::Sub(hn::Sub(m1, m2), m3);
  }
  const V b = hn::Set(d, bias);
  for (int r = 0; r < 2; ++r) {  // · A, then the bias
    const V* sr = r ? s1 : s0;
    y[r][0] = hn::Add(hn::Add(hn::Add(sr[0], sr[1]), sr[2]), b);
    y[r][1] = hn::Add(hn::Sub(hn::Sub(sr[1], sr[2]), sr[3]), b);
  }
}

// v's first `count` lanes to dst (all of them from count = N): nothing after them is written,
// which may be another part's row.
template <class DV, class T>
HWY_INLINE void StoreFirst(DV d, hn::Vec<DV> v, T* dst, int64_t count) {
  if (count >= static_cast<int64_t>(hn::Lanes(d))) hn::StoreU(v, d, dst);
  else if (count > 0) hn::BlendedStore(v, hn::FirstN(d, static_cast<size_t>(count)), d, dst);
}

// torch.relu's rule when asked (NaN is not below zero: it stays).
HWY_INLINE V Rectified(V v, bool relu) { return relu ? hn::IfThenZeroElse(hn::Lt(v, hn::Zero(D())), v) : v; }

// Output row r of the blocks, through ReLU when asked: 2N columns from dst, the first `count`
// of them written (the blocks' columns interleave).
HWY_INLINE void StoreRow(const V y[2][2], int r, bool relu, float* dst, int64_t count) {
  const D d;
  const int64_t N = static_cast<int64_t>(hn::Lanes(d));
  const V left = Rectified(y[r][0], relu), right = Rectified(y[r][1], relu);
  StoreFirst(d, hn::InterleaveLower(d, left, right), dst, count);
  StoreFirst(d, hn::InterleaveUpper(d, left, right), dst + N, count - N);
}

// Each block is one window of max_pool2d(·, 2): its maximum to dst (the first `count` lanes),
// after ReLU when asked, by max_pool2d's rule (pool_fast.cpp): the window's outputs row by row,
// a strictly greater one or a NaN taking over. With `positions`, each maximum's flat position in
// the convolution's output plane (rows wp apart; the first block's window starts at `first`).
HWY_INLINE void PoolBlocks(const V y[2][2], bool relu, float* dst, int64_t count, int32_t* positions, int64_t wp,
                           int64_t first) {
  const D d;
  const hn::RebindToSigned<D> di;
  const V candidates[3] = {y[0][1], y[1][0], y[1][1]};
  const int32_t offset[3] = {1, static_cast<int32_t>(wp), static_cast<int32_t>(wp + 1)};  // in the window
  V best = Rectified(y[0][0], relu);
  auto at = hn::Zero(di);
  for (int k = 0; k < 3; ++k) {
    const V candidate = Rectified(candidates[k], relu);
    const auto wins = hn::Or(hn::Gt(candidate, best), hn::IsNaN(candidate));
    best = hn::IfThenElse(wins, candidate, best);
    if (positions) at = hn::IfThenElse(hn::RebindMask(di, wins), hn::Set(di, offset[k]), at);
  }
  StoreFirst(d, InBlockOrder(best), dst, count);
  if (!positions) return;
  const auto window = hn::Add(hn::Set(di, static_cast<int32_t>(first)), hn::ShiftLeft<1>(hn::Iota(di, 0)));
  StoreFirst(di, hn::Add(window, hn::BitCast(di, InBlockOrder(hn::BitCast(d, at)))), positions, count);
}

bool ConvFlat(const float* xp, const float* w, const float* bias, const FlatConv& f, const DenseRows<float>& out) {
  const D d;
  const int64_t N = static_cast<int64_t>(hn::Lanes(d));
  // Blocks a row can hold without reading past the plane's end and blocks it needs: vectors of
  // N of them, the row's last one moved back to end with the needed ones where they fill a vector.
  const int64_t room = f.wp / 2, needed = (out.cols * out.pool + 1) / 2, last_start = std::max(needed, N) - N;
  if (!applies(f) || room < N) return false;
  const int64_t oh = f.n / f.wp, padded_rows = oh + 2, per_row = (needed + N - 1) / N;
  const int64_t first = out.r0 * out.pool, end = out.r1 * out.pool;  // the convolution's rows
  const int64_t block_row0 = first / 2, vectors = ((end + 1) / 2 - block_row0) * per_row;
  const int64_t C = f.channels, O = f.outs, block = direct::channel_block(O), step = out.cols + out.gap;
  const float* u = TransformWeights(w, O, C);
  thread_local std::vector<float> vt, mt;
  vt.resize(static_cast<size_t>(16 * C * kGroup * N));
  mt.resize(static_cast<size_t>(16 * block * kGroup * N));
  const auto block_row = [&](int64_t k) { return block_row0 + k / per_row; };
  const auto column = [&](int64_t k) { return 2 * std::min(k % per_row * N, last_start); };
  // Bᵀ d B of every input channel for the G vectors of blocks from k0, to vt.
  const auto transform_inputs = [&](int64_t k0, int64_t G) {
    for (int64_t g = 0; g < G; ++g) {
      const int64_t top = 2 * block_row(k0 + g), col = column(k0 + g);
      for (int64_t c = 0; c < C; ++c) {
        // The last padded row stands in for the one below it (odd heights): that row reaches
        // only the block's second output row, which does not exist.
        const float* rows[4];
        for (int i = 0; i < 4; ++i) rows[i] = xp + c * f.in_plane + std::min(top + i, padded_rows - 1) * f.wp;
        TransformInput(rows, col, vt.data() + (c * G + g) * 16 * N);
      }
    }
  };
  // Output channel o's outputs y of vector k's blocks into the result: pooled windows, or the
  // block row's rows that are asked for (and, after a row's last vector, its gap).
  const auto put = [&](int64_t o, int64_t k, const V y[2][2]) {
    const int64_t top = 2 * block_row(k), col = column(k);
    float* plane = out.data + o * out.plane;
    if (out.pool == 2) {
      const int64_t at = top / 2 * out.cols + col / 2;
      return PoolBlocks(y, out.relu, plane + at, needed - col / 2,
                        out.positions ? out.positions + o * out.plane + at : nullptr, f.wp, top * f.wp + col);
    }
    for (int r = 0; r < 2; ++r) {
      if (top + r < first || top + r >= end) continue;
      float* row = plane + (top + r) * step;
      StoreRow(y, r, out.relu, row + col, out.cols - col);
      if (k % per_row == per_row - 1 && out.gap > 0) {
        if (out.gap <= direct::kShortRun) direct::zero_short_run(row + out.cols, out.gap);
        else std::fill(row + out.cols, row + step, 0.0f);
      }
    }
  };
  for (int64_t k0 = 0; k0 < vectors; k0 += kGroup) {
    const int64_t G = std::min<int64_t>(kGroup, vectors - k0);
    transform_inputs(k0, G);
    // Output channels in blocks: their products, then their outputs while the products are in cache.
    for (int64_t o = 0; o < O; o += block) {
      const int64_t ob = std::min(block, O - o);
      if (G == 2) ProductsOfBlock<2>(ob, vt.data(), u, mt.data(), C, O, o);
      else ProductsOfBlock<1>(ob, vt.data(), u, mt.data(), C, O, o);
      for (int64_t g = 0; g < G; ++g)
        for (int64_t b = 0; b < ob; ++b) {
          V y[2][2];
          TransformOutput(mt.data() + (b * G + g) * 16 * N, bias ? bias[o + b] : 0.0f, y);
          put(o + b, k0 + g, y);
        }
    }
  }
  return true;
}

#else

bool ConvFlat(const float*, const float*, const float*, const FlatConv&, const DenseRows<float>&) { return false; }

#endif

}  // namespace ojo::nn::winograd::HWY_NAMESPACE
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
namespace ojo::nn::winograd {
HWY_EXPORT(ConvFlat);

bool conv_flat(const float* xp, const float* w, const float* bias, const direct::FlatConv& f,
               const direct::DenseRows<float>& out) {
  if (!applies(f)) return false;
  return HWY_DYNAMIC_DISPATCH(ConvFlat)(xp, w, bias, f, out);
}
}  // namespace ojo::nn::winograd
#endif
