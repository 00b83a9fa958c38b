#include <gtest/gtest.h>

#include <atomic>
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
  EXPECT_THROW(set_num_threads(0), Error);
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
