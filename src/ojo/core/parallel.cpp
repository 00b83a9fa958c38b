// parallel_for on a small pool of std::threads (OpenMP only supplies the default thread count).
//
// The range is cut into chunks of at least `grain` items (a few per thread); the calling thread
// and the workers claim chunks from an atomic counter, so the caller never waits for a worker that
// the OS has not scheduled yet: it runs the unclaimed chunks itself and only waits for chunks
// already running. (A static OpenMP split made every call wait for both halves, which on a busy
// machine cost a whole scheduler time slice, 15-25 ms, on a few percent of the calls.)
// A worker that finished a job spins briefly before it sleeps: waking a sleeping thread costs
// tens of microseconds here, more than a whole layer of one-image inference.
#include "ojo/core/parallel.hpp"

#include <omp.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <memory>
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

struct Job {
  const std::function<void(int64_t, int64_t)>* f = nullptr;
  int64_t begin = 0, n = 0, chunks = 0;
  std::atomic<int64_t> next{0}, done{0};
  std::mutex m;
  std::condition_variable finished;
  std::exception_ptr error;

  // Runs chunks until none is left unclaimed.
  void work() {
    const bool was = t_in_parallel;
    t_in_parallel = true;
    for (int64_t c; (c = next.fetch_add(1)) < chunks;) {
      try {
        (*f)(begin + n * c / chunks, begin + n * (c + 1) / chunks);
      } catch (...) {
        std::lock_guard<std::mutex> lock(m);
        if (!error) error = std::current_exception();
      }
      if (done.fetch_add(1) + 1 == chunks) {
        std::lock_guard<std::mutex> lock(m);
        finished.notify_all();
      }
    }
    t_in_parallel = was;
  }
};

class Pool {
 public:
  ~Pool() {
    {
      std::lock_guard<std::mutex> lock(m_);
      stop_ = true;
    }
    wake_.notify_all();
    for (std::thread& t : threads_) t.join();
  }

  // Offers `job` to up to `helpers` workers (started on first need).
  void offer(const std::shared_ptr<Job>& job, int helpers) {
    std::lock_guard<std::mutex> lock(m_);
    while (static_cast<int>(threads_.size()) < helpers)
      threads_.emplace_back([this, cpu = current_cpu()] {
        leave_cpu(cpu);
        loop();
      });
    job_ = job;
    generation_.fetch_add(1, std::memory_order_release);
    wanted_ = helpers;
    wake_.notify_all();
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

  static void pause() {  // a spin-wait hint to the core
#if defined(__x86_64__) || defined(__i386__)
    _mm_pause();
#else
    std::this_thread::yield();
#endif
  }

  // Waits up to 100 µs for `ready()` without sleeping. It looks after every pause (one pause is
  // ~30 ns on this machine's cores; looking only every 16 of them made each parallel region start
  // and end up to 0.5 µs late) and reads the clock more rarely.
  template <class Ready>
  static void spin_until(Ready ready) {
    const auto until = std::chrono::steady_clock::now() + std::chrono::microseconds(100);
    for (int i = 1; !ready(); ++i) {
      pause();
      if (i % 32 == 0 && std::chrono::steady_clock::now() > until) return;
    }
  }

 private:
  void loop() {
    uint64_t seen = 0;
    {
      std::lock_guard<std::mutex> lock(m_);
      seen = generation_ - 1;  // a worker started for a job takes that job
    }
    for (;;) {
      std::shared_ptr<Job> job;
      spin_until([&] { return generation_.load(std::memory_order_acquire) != seen; });
      {
        std::unique_lock<std::mutex> lock(m_);
        wake_.wait(lock, [&] { return stop_ || (generation_ != seen && wanted_ > 0); });
        if (stop_) return;
        seen = generation_;
        --wanted_;
        job = job_;
      }
      job->work();
    }
  }

  std::mutex m_;
  std::condition_variable wake_;
  std::vector<std::thread> threads_;
  std::shared_ptr<Job> job_;
  std::atomic<uint64_t> generation_{0};  // written under m_, read without it while spinning
  int wanted_ = 0;
  bool stop_ = false;
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

void parallel_for(int64_t begin, int64_t end, int64_t grain, const std::function<void(int64_t, int64_t)>& f) {
  const int64_t n = end - begin;
  if (n <= 0) return;
  grain = std::max<int64_t>(grain, 1);
  const int64_t threads = get_num_threads();
  const int64_t max_chunks = (n + grain - 1) / grain;
  if (threads <= 1 || max_chunks <= 1 || t_in_parallel || omp_in_parallel()) {
    f(begin, end);
    return;
  }
  auto job = std::make_shared<Job>();
  job->f = &f;
  job->begin = begin;
  job->n = n;
  job->chunks = std::min<int64_t>(max_chunks, threads * 4);
  pool().offer(job, static_cast<int>(std::min<int64_t>(threads, job->chunks) - 1));
  job->work();
  Pool::spin_until([&] { return job->done.load() >= job->chunks; });
  if (job->done.load() < job->chunks) {
    std::unique_lock<std::mutex> lock(job->m);
    job->finished.wait(lock, [&] { return job->done.load() >= job->chunks; });
  }
  if (job->error) std::rethrow_exception(job->error);
}

}  // namespace ojo
