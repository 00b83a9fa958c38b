// Threads: one helper, parallel_for, on ojo's own small pool of std::threads (OpenMP only supplies
// the default thread count; see src/ojo/core/parallel.cpp).
//
// parallel_for(begin, end, grain, f) splits [begin, end) into contiguous chunks of at least `grain`
// items and calls f(chunk_begin, chunk_end) on the thread pool. Work is split so that each index
// is processed exactly once by the same code, so results never depend on the thread count.
// Exceptions thrown inside f are re-thrown on the calling thread (the first one wins).
#pragma once

#include <cstdint>
#include <exception>
#include <functional>

namespace ojo {

// Threads used by ojo (default: OpenMP's default, usually the number of cores). n >= 1.
void set_num_threads(int n);
int get_num_threads();

namespace parallel_detail {
// parallel_for's f, by reference and without a copy: the workers call it where the caller keeps it.
struct ChunkFunction {
  const void* object;
  void (*call)(const void* object, int64_t begin, int64_t end);
};
void run(int64_t begin, int64_t end, int64_t grain, ChunkFunction f);
}  // namespace parallel_detail

template <class F>
void parallel_for(int64_t begin, int64_t end, int64_t grain, const F& f) {
  parallel_detail::run(begin, end, grain,
                       {&f, [](const void* object, int64_t lo, int64_t hi) { (*static_cast<const F*>(object))(lo, hi); }});
}

}  // namespace ojo
