#include "ojo/core/parallel.hpp"

#include <omp.h>

#include <algorithm>
#include <atomic>

#include "ojo/core/error.hpp"

namespace ojo {

namespace {
std::atomic<int> g_num_threads{0};  // 0: not set, use OpenMP's default
}

void set_num_threads(int n) {
  check(n >= 1, "set_num_threads", "expected a thread count >= 1, got ", n);
  g_num_threads = n;
  omp_set_num_threads(n);
}

int get_num_threads() {
  const int n = g_num_threads.load();
  return n > 0 ? n : omp_get_max_threads();
}

void parallel_for(int64_t begin, int64_t end, int64_t grain, const std::function<void(int64_t, int64_t)>& f) {
  const int64_t n = end - begin;
  if (n <= 0) return;
  grain = std::max<int64_t>(grain, 1);
  const int64_t chunks = std::min<int64_t>(get_num_threads(), (n + grain - 1) / grain);
  if (chunks <= 1 || omp_in_parallel()) {
    f(begin, end);
    return;
  }
  std::exception_ptr error;
#pragma omp parallel num_threads(static_cast<int>(chunks))
  {
    const int64_t parts = omp_get_num_threads(), t = omp_get_thread_num();
    const int64_t lo = begin + n * t / parts, hi = begin + n * (t + 1) / parts;
    try {
      if (lo < hi) f(lo, hi);
    } catch (...) {
#pragma omp critical(ojo_parallel_for_error)
      if (!error) error = std::current_exception();
    }
  }
  if (error) std::rethrow_exception(error);
}

}  // namespace ojo
