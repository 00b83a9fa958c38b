// parallel_for on a small pool of std::threads (OpenMP only supplies the default thread count).
//
// The range is cut into chunks of at least `grain` items (a few per thread); the calling thread
// and the workers claim chunks from an atomic counter, so the caller never waits for a worker that
// the OS has not scheduled yet: it runs the unclaimed chunks itself and only waits for chunks
// already running. (A static OpenMP split made every call wait for both halves, which on a busy
// machine cost a whole scheduler time slice, 15-25 ms, on a few percent of the calls.)
// A worker that finished a job spins briefly before it sleeps: waking a sleeping thread costs
// tens of microseconds here, more than a whole layer of one-image inference.
//
// A job is posted on one cache line (its claims word, function and range), which is all a
// spinning worker reads to start: with one-image inference's regions of a few microseconds, each
// cache line a worker must fetch from the caller's core before its first chunk costs 60-350 ns on
// this VM (the two vCPUs sit near or far apart at times). One job runs at a time; a caller that
// finds the pool busy (another thread's job) runs its range itself.
#include "ojo/core/parallel.hpp"

#include <omp.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#endif
#if defined(__linux__)
#include <sched.h>
#endif

#include "ojo/core/error.hpp"

namespace ojo {

namespace {

std::atomic<int> g_num_threads{0};  // 0: not set, use OpenMP's default

thread_local bool t_in_parallel = false;  // inside a chunk: nested calls run inline

void pause() {  // a spin-wait hint to the core
#if defined(__x86_64__) || defined(__i386__)
  _mm_pause();
#else
  std::this_thread::yield();
#endif
}

// Waits up to 100 µs for `ready()` without sleeping; true when it became ready. It looks after
// every pause (one pause is ~30 ns on this machine's cores; looking only every 16 of them made
// each parallel region start and end up to 0.5 µs late) and reads the clock more rarely.
template <class Ready>
bool spin_until(Ready ready) {
  const auto until = std::chrono::steady_clock::now() + std::chrono::microseconds(100);
  for (int i = 1; !ready(); ++i) {
    pause();
    if (i % 32 == 0 && std::chrono::steady_clock::now() > until) return ready();
  }
  return true;
}

// A job's claims in one word: its number (which job), the seats left for workers, its chunk count
// and the next unclaimed chunk. A claim is one compare-and-swap of the whole word, so a worker
// that looks late, at a job already over or at a newer one, claims nothing and touches nothing
// else of it: the caller waits only for the chunks claimed, never for a worker that looked.
struct Claims {
  static constexpr int kChunkBits = 12, kSeatBits = 8;
  static constexpr int64_t kMaxChunks = (int64_t{1} << kChunkBits) - 1;
  static constexpr int kMaxSeats = (1 << kSeatBits) - 1;
  uint64_t word;

  static Claims of(uint32_t number, int seats, int64_t chunks) {
    return {uint64_t{number} << 32 | uint64_t(seats) << (2 * kChunkBits) | uint64_t(chunks) << kChunkBits};
  }
  uint32_t number() const { return static_cast<uint32_t>(word >> 32); }
  int seats() const { return static_cast<int>(word >> (2 * kChunkBits) & kMaxSeats); }
  int64_t chunks() const { return static_cast<int64_t>(word >> kChunkBits & kMaxChunks); }
  int64_t next() const { return static_cast<int64_t>(word & kMaxChunks); }
};

class Pool {
 public:
  // Runs f's chunks on the caller and up to `helpers` workers (started on first need); false
  // (nothing run) when another caller's job holds the pool.
  bool run(parallel_detail::ChunkFunction f, int64_t begin, int64_t n, int64_t chunks, int helpers) {
    std::unique_lock<std::mutex> owner(busy_, std::try_to_lock);
    if (!owner.owns_lock()) return false;
    while (static_cast<int>(threads_.size()) < helpers)
      threads_.emplace_back([this, cpu = current_cpu(), seen = number_] {
        leave_cpu(cpu);
        loop(seen);
      });
    error_ = nullptr;
    job_.f = f, job_.begin = begin, job_.n = n;
    job_.done.store(0, std::memory_order_relaxed);
    job_.claims.store(Claims::of(++number_, helpers, chunks).word, std::memory_order_seq_cst);  // after the fields
    if (sleepers_.load(std::memory_order_seq_cst) > 0) {
      std::lock_guard<std::mutex> lock(m_);
      wake_.notify_all();
    }
    work(number_, true);
    if (!spin_until([&] { return finished(chunks); })) {
      waiting_.store(true, std::memory_order_seq_cst);
      {
        std::unique_lock<std::mutex> lock(m_);
        ended_.wait(lock, [&] { return finished(chunks); });
      }
      waiting_.store(false, std::memory_order_relaxed);
    }
    if (error_) std::rethrow_exception(error_);
    return true;
  }

 private:
  bool finished(int64_t chunks) const { return job_.done.load(std::memory_order_seq_cst) >= chunks; }

  // The next chunk of job `number` and the job's chunk count, or false when nothing is left to
  // claim: the job is over or another has begun, or (a worker without a seat yet) no seat is left.
  bool claim(uint32_t number, bool& seated, int64_t& chunk, int64_t& chunks) {
    Claims c{job_.claims.load(std::memory_order_acquire)};
    for (;;) {
      if (c.number() != number || c.next() >= c.chunks() || (!seated && c.seats() == 0)) return false;
      const uint64_t taken = c.word + 1 - (seated ? 0 : uint64_t{1} << (2 * Claims::kChunkBits));
      if (job_.claims.compare_exchange_weak(c.word, taken, std::memory_order_acq_rel, std::memory_order_acquire)) {
        seated = true, chunk = c.next(), chunks = c.chunks();
        return true;
      }
    }
  }

  // Runs chunks of job `number` until none is left to claim. The fields read after a claim are
  // that job's: the caller does not change them before every claimed chunk is done.
  void work(uint32_t number, bool seated) {
    const bool was = t_in_parallel;
    t_in_parallel = true;
    for (int64_t c, chunks; claim(number, seated, c, chunks);) {
      const int64_t begin = job_.begin, n = job_.n;
      try {
        job_.f.call(job_.f.object, begin + n * c / chunks, begin + n * (c + 1) / chunks);
      } catch (...) {
        std::lock_guard<std::mutex> lock(m_);
        if (!error_) error_ = std::current_exception();
      }
      job_.done.fetch_add(1, std::memory_order_seq_cst);
      if (waiting_.load(std::memory_order_seq_cst)) {  // the caller sleeps (it spun 100 µs first)
        std::lock_guard<std::mutex> lock(m_);
        ended_.notify_all();
      }
    }
    t_in_parallel = was;
  }

  // A worker: waits for a job after `seen` (spinning, then sleeping) and claims its chunks.
  void loop(uint32_t seen) {
    const auto posted = [&] { return Claims{job_.claims.load(std::memory_order_seq_cst)}.number() != seen; };
    for (;;) {
      if (!spin_until(posted)) {
        std::unique_lock<std::mutex> lock(m_);
        sleepers_.fetch_add(1, std::memory_order_seq_cst);
        wake_.wait(lock, posted);
        sleepers_.fetch_sub(1, std::memory_order_relaxed);
      }
      seen = Claims{job_.claims.load(std::memory_order_acquire)}.number();
      work(seen, false);
    }
  }

  // Linux started a new worker on its creator's CPU here and moved it only when its load balancer
  // next looked, 3–50 ms later. Until then the worker, spinning beside the caller, took that
  // CPU's time while the caller ran every chunk itself: a process's first ~2000 one-image
  // inferences at 2 threads took 24.5 µs instead of 15.4. A new worker therefore leaves its
  // creator's CPU at once (the kernel moves a thread off a CPU its mask no longer allows), then
  // allows every CPU again.
  static int current_cpu() {
#if defined(__linux__)
    return sched_getcpu();
#else
    return -1;
#endif
  }
  static void leave_cpu(int cpu) {
#if defined(__linux__)
    cpu_set_t all;
    if (cpu < 0 || sched_getaffinity(0, sizeof all, &all) != 0 || !CPU_ISSET(cpu, &all) || CPU_COUNT(&all) < 2) return;
    cpu_set_t others = all;
    CPU_CLR(cpu, &others);
    if (sched_setaffinity(0, sizeof others, &others) == 0) sched_setaffinity(0, sizeof all, &all);
#else
    (void)cpu;
#endif
  }

  // What a spinning worker reads to start and the caller to finish: one cache line.
  struct alignas(64) Job {
    std::atomic<uint64_t> claims{0};  // a Claims word
    std::atomic<int64_t> done{0};     // chunks finished
    parallel_detail::ChunkFunction f{};
    int64_t begin = 0, n = 0;
  } job_;
  uint32_t number_ = 0;  // the last job's number (the caller holding busy_ writes it)
  // Written only when a thread goes to sleep, so read from a line that stays in both cores' caches.
  alignas(64) std::atomic<int> sleepers_{0};  // workers asleep on wake_
  std::atomic<bool> waiting_{false};          // the caller asleep on ended_
  std::mutex busy_;  // held by the caller whose job runs
  std::mutex m_;     // for the condition variables and error_
  std::condition_variable wake_, ended_;
  std::exception_ptr error_;
  std::vector<std::thread> threads_;
};

Pool& pool() {
  static Pool* p = new Pool;  // never destroyed: workers may outlive static destruction order
  return *p;
}

}  // namespace

void set_num_threads(int n) {
  check(n >= 1, "set_num_threads", "expected a thread count >= 1, got ", n);
  g_num_threads = n;
  omp_set_num_threads(n);
}

int get_num_threads() {
  const int n = g_num_threads.load();
  return n > 0 ? n : omp_get_max_threads();
}

namespace parallel_detail {

void run(int64_t begin, int64_t end, int64_t grain, ChunkFunction f) {
  const int64_t n = end - begin;
  if (n <= 0) return;
  grain = std::max<int64_t>(grain, 1);
  const int64_t threads = std::min<int64_t>(get_num_threads(), Claims::kMaxSeats + 1);
  const int64_t max_chunks = (n + grain - 1) / grain;
  if (threads > 1 && max_chunks > 1 && !t_in_parallel && !omp_in_parallel()) {
    const int64_t chunks = std::min({max_chunks, threads * 4, Claims::kMaxChunks});
    if (pool().run(f, begin, n, chunks, static_cast<int>(std::min<int64_t>(threads, chunks) - 1))) return;
  }
  f.call(f.object, begin, end);
}

}  // namespace parallel_detail
}  // namespace ojo
