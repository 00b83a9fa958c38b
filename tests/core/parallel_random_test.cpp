#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

#include "ojo/core/error.hpp"
#include "ojo/core/parallel.hpp"
#include "ojo/core/random.hpp"

using namespace ojo;

TEST(Parallel, VisitsEveryIndexOnceForAnyThreadCount) {
  for (int threads : {1, 2, 3}) {
    set_num_threads(threads);
    EXPECT_EQ(get_num_threads(), threads);
    std::vector<std::atomic<int>> hits(1001);
    parallel_for(0, 1001, 7, [&](int64_t lo, int64_t hi) {
      for (int64_t i = lo; i < hi; ++i) hits[i]++;
    });
    for (auto& h : hits) ASSERT_EQ(h.load(), 1);
  }
}

TEST(Parallel, ExceptionsReachTheCaller) {
  set_num_threads(2);
  EXPECT_THROW(parallel_for(0, 100, 1, [](int64_t lo, int64_t) {
                 if (lo >= 50) fail("worker", "boom");
               }),
               Error);
  EXPECT_THROW(parallel_for(0, 100, 1, [](int64_t lo, int64_t) {
                 if (lo == 0) fail("caller", "boom");  // the caller's first chunk
               }),
               Error);
  std::atomic<int> after{0};  // the pool still works
  parallel_for(0, 100, 1, [&](int64_t lo, int64_t hi) { after += static_cast<int>(hi - lo); });
  EXPECT_EQ(after.load(), 100);
  EXPECT_THROW(set_num_threads(0), Error);
}

// Many short jobs back to back (the workers spinning between them), jobs after the workers have
// gone to sleep, and jobs whose last chunk outlasts the caller's spin (the caller then sleeps):
// every index once each time.
TEST(Parallel, ShortJobsSleepingWorkersAndLongChunks) {
  for (int threads : {2, 3, 4}) {
    set_num_threads(threads);
    std::vector<std::atomic<int>> hits(64);
    for (int job = 0; job < 20000; ++job)
      parallel_for(0, 64, 1, [&](int64_t lo, int64_t hi) {
        for (int64_t i = lo; i < hi; ++i) hits[i]++;
      });
    for (auto& h : hits) ASSERT_EQ(h.load(), 20000);
    for (int job = 0; job < 20; ++job) {
      std::this_thread::sleep_for(std::chrono::microseconds(300));  // past the workers' 100 µs spin
      std::atomic<int64_t> sum{0};
      parallel_for(0, 1000, 1, [&](int64_t lo, int64_t hi) {
        for (int64_t i = lo; i < hi; ++i) sum += i;
      });
      ASSERT_EQ(sum.load(), 999 * 1000 / 2);
    }
    const auto caller = std::this_thread::get_id();
    std::atomic<int> chunks{0};
    parallel_for(0, 2 * threads, 1, [&](int64_t, int64_t) {
      if (std::this_thread::get_id() != caller) std::this_thread::sleep_for(std::chrono::milliseconds(2));
      chunks++;
    });
    ASSERT_EQ(chunks.load(), 2 * threads);
  }
  set_num_threads(2);
}

// Jobs use at most get_num_threads() threads, also after a larger count started more workers;
// nested calls run inline; callers on other threads at the same time (each offering its job to
// the pool's workers) all get their indices once.
TEST(Parallel, ThreadCountsNestedAndConcurrentCallers) {
  set_num_threads(4);
  parallel_for(0, 100, 1, [](int64_t, int64_t) {});
  for (int threads : {1, 2, 3}) {
    set_num_threads(threads);
    for (int job = 0; job < 200; ++job) {
      std::mutex m;
      std::set<std::thread::id> ids;
      parallel_for(0, 64, 1, [&](int64_t, int64_t) {
        std::this_thread::sleep_for(std::chrono::microseconds(20));
        std::lock_guard<std::mutex> lock(m);
        ids.insert(std::this_thread::get_id());
      });
      ASSERT_LE(static_cast<int>(ids.size()), threads);
    }
  }
  set_num_threads(2);
  std::atomic<int> inner{0};
  parallel_for(0, 8, 1, [&](int64_t, int64_t) {
    parallel_for(0, 10, 1, [&](int64_t lo, int64_t hi) { inner += static_cast<int>(hi - lo); });
  });
  EXPECT_EQ(inner.load(), 80);
  std::vector<std::thread> callers;
  std::vector<int64_t> sums(3, 0);
  for (int t = 0; t < 3; ++t)
    callers.emplace_back([&, t] {
      for (int job = 0; job < 5000; ++job) {
        std::atomic<int64_t> sum{0};
        parallel_for(0, 100, 1, [&](int64_t lo, int64_t hi) {
          for (int64_t i = lo; i < hi; ++i) sum += i;
        });
        sums[t] += sum.load();
      }
    });
  for (std::thread& c : callers) c.join();
  for (int64_t s : sums) EXPECT_EQ(s, 5000 * (99 * 100 / 2));
}

TEST(Random, SeedGivesTheSameStream) {
  manual_seed(42);
  const double a = default_generator().uniform();
  const int64_t b = default_generator().randint(0, 10);
  manual_seed(42);
  EXPECT_EQ(default_generator().uniform(), a);
  EXPECT_EQ(default_generator().randint(0, 10), b);
}

TEST(Random, DistributionsHaveTheirMoments) {
  Generator g(7);
  const int n = 200000;
  double su = 0, sn = 0, sn2 = 0;
  std::vector<int> counts(6, 0);
  for (int i = 0; i < n; ++i) {
    const double u = g.uniform();
    ASSERT_GE(u, 0.0);
    ASSERT_LT(u, 1.0);
    su += u;
    const double z = g.normal();
    sn += z;
    sn2 += z * z;
    counts[g.randint(-2, 4) + 2]++;
  }
  EXPECT_NEAR(su / n, 0.5, 0.005);
  EXPECT_NEAR(sn / n, 0.0, 0.01);
  EXPECT_NEAR(sn2 / n, 1.0, 0.02);
  for (int c : counts) EXPECT_NEAR(c, n / 6.0, n * 0.01);
  EXPECT_THROW(g.randint(3, 3), Error);
}
