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
// A job is announced on one cache line (its number, its function, range and chunk count, and the
// seats left for workers), which is all a spinning worker reads to start: a worker's start is the
// time for that line and the claim counter's to reach its core, which matters when the two cores
// sit far apart (~180 ns a line on this VM at times) and a job lasts a few microseconds. One job
// runs at a time; a caller that finds the pool busy (another thread's job) runs its range itself.
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

class Pool {
 public:
  // Runs f's chunks on the caller and up to `helpers` workers (started on first need); false
  // (nothing run) when another caller's job holds the pool.
  bool run(parallel_detail::ChunkFunction f, int64_t begin, int64_t n, int64_t chunks, int helpers) {
    std::unique_lock<std::mutex> owner(busy_, std::try_to_lock);
    if (!owner.owns_lock()) return false;
    while (static_cast<int>(threads_.size()) < helpers)
      threads_.emplace_back([this, cpu = current_cpu()] {
        leave_cpu(cpu);
        loop();
      });
    error_ = nullptr;
    progress_.next.store(0, std::memory_order_relaxed);
    progress_.done.store(0, std::memory_order_relaxed);
    job_.f = f, job_.begin = begin, job_.n = n, job_.chunks = chunks;
    job_.seats.store(helpers, std::memory_order_release);  // the job's fields before its seats
    job_.number.fetch_add(1, std::memory_order_seq_cst);   // what spinning workers watch
    if (sleepers_.load(std::memory_order_seq_cst) > 0) {
      std::lock_guard<std::mutex> lock(m_);
      wake_.notify_all();
    }
    work(job_.f, begin, n, chunks);
    // No worker joins from here on; wait for the chunks still running and for every worker that
    // joined to have left, so that f and the job's fields can go.
    job_.seats.store(0, std::memory_order_seq_cst);
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
  // seq_cst: after the seats' closing and `waiting_` (see wake_caller) no load may come first.
  bool finished(int64_t chunks) const {
    return progress_.done.load(std::memory_order_seq_cst) >= chunks &&
           progress_.inside.load(std::memory_order_seq_cst) == 0;
  }

  // Runs chunks until none is left unclaimed.
  void work(parallel_detail::ChunkFunction f, int64_t begin, int64_t n, int64_t chunks) {
    const bool was = t_in_parallel;
    t_in_parallel = true;
    for (int64_t c; (c = progress_.next.fetch_add(1, std::memory_order_relaxed)) < chunks;) {
      try {
        f.call(f.object, begin + n * c / chunks, begin + n * (c + 1) / chunks);
      } catch (...) {
        std::lock_guard<std::mutex> lock(m_);
        if (!error_) error_ = std::current_exception();
      }
      progress_.done.fetch_add(1, std::memory_order_seq_cst);
      wake_caller();
    }
    t_in_parallel = was;
  }

  // After a chunk ends or a worker leaves: wakes the caller if it sleeps (it spun 100 µs first).
  void wake_caller() {
    if (!waiting_.load(std::memory_order_seq_cst)) return;
    std::lock_guard<std::mutex> lock(m_);
    ended_.notify_all();
  }

  // A worker: waits for a job (spinning, then sleeping), takes a seat if one is left, claims chunks.
  void loop() {
    uint64_t seen = job_.number.load(std::memory_order_acquire) - 1;  // a worker started for a job takes it
    for (;;) {
      if (!spin_until([&] { return job_.number.load(std::memory_order_acquire) != seen; })) {
        std::unique_lock<std::mutex> lock(m_);
        sleepers_.fetch_add(1, std::memory_order_seq_cst);
        wake_.wait(lock, [&] { return job_.number.load(std::memory_order_seq_cst) != seen; });
        sleepers_.fetch_sub(1, std::memory_order_relaxed);
      }
      seen = job_.number.load(std::memory_order_acquire);
      // `inside` before the seat and run()'s closing of the seats before it reads `inside`: a
      // worker that the caller does not wait for finds no seat.
      progress_.inside.fetch_add(1, std::memory_order_seq_cst);
      int seats = job_.seats.load(std::memory_order_seq_cst);
      while (seats > 0 && !job_.seats.compare_exchange_weak(seats, seats - 1, std::memory_order_seq_cst)) {}
      if (seats > 0) work(job_.f, job_.begin, job_.n, job_.chunks);
      progress_.inside.fetch_sub(1, std::memory_order_seq_cst);
      wake_caller();
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

  // The announcement: one cache line, written by the caller before `number` changes.
  struct alignas(64) Job {
    std::atomic<uint64_t> number{0};  // counts jobs
    std::atomic<int> seats{0};        // workers that may still join
    parallel_detail::ChunkFunction f{};
    int64_t begin = 0, n = 0, chunks = 0;
  } job_;
  struct alignas(64) Progress {
    std::atomic<int64_t> next{0}, done{0};  // chunks claimed, chunks finished
    std::atomic<int> inside{0};             // workers between looking at a job and leaving it
  } progress_;
  std::atomic<int> sleepers_{0};    // workers asleep on wake_
  std::atomic<bool> waiting_{false};  // the caller asleep on ended_
  std::mutex busy_;  // held by the caller whose job runs
  std::mutex m_;     // for the condition variables and error_
  std::condition_variable wake_, ended_;
  std::exception_ptr error_;
  std::vector<std::thread> threads_;
};

Pool& pool() {
  static Pool* p = new Pool;  // never destroyed: its workers run until the process ends
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
  const int64_t threads = get_num_threads();
  const int64_t max_chunks = (n + grain - 1) / grain;
  if (threads > 1 && max_chunks > 1 && !t_in_parallel && !omp_in_parallel()) {
    const int64_t chunks = std::min<int64_t>(max_chunks, threads * 4);
    if (pool().run(f, begin, n, chunks, static_cast<int>(std::min<int64_t>(threads, chunks) - 1))) return;
  }
  f.call(f.object, begin, end);
}

}  // namespace parallel_detail
}  // namespace ojo
