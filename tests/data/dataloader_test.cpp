// ctest-labels: pytorch
// DataLoader and datasets against torch.utils.data (scripts/reference/dataloader_reference.py):
// after the same manual_seed, the same batches in the same order — shuffled over two epochs, plain
// with drop_last — and the generator left at the same place; the first shuffled FashionMNIST batch
// equal to PyTorch's (ToTensor's u8 / 255). Plus sizes, bounds and errors.
#include "ojo/data/dataloader.hpp"
#include "ojo/io/npy.hpp"
#include "ojo/tensor/ops.hpp"
#include "test_util.hpp"

namespace ojo::test {
namespace {

Tensor ref(const std::string& name) { return load_npy(source_dir() + "/tests/data/reference/" + name + ".npy"); }

std::shared_ptr<data::TensorDataset> ten() {
  return std::make_shared<data::TensorDataset>(arange(0, 10, 1, DType::f32).unsqueeze(1), arange(10));
}
Tensor targets_of(const data::DataLoader& loader, int epochs) {
  std::vector<Tensor> ys;
  for (int e = 0; e < epochs; ++e)
    for (const auto& [x, y] : loader) ys.push_back(y);
  return cat(ys);
}

TEST(DataLoader, ShuffleDrawsAsPytorch) {
  manual_seed(0);
  data::DataLoader loader(ten(), {.batch_size = 4, .shuffle = true});
  EXPECT_EQ(loader.size(), 3);
  EXPECT_TRUE(targets_of(loader, 2).equal(ref("loader_shuffle_two_epochs")));
  EXPECT_TRUE(rand({1}).equal(ref("loader_shuffle_after")));
}

TEST(DataLoader, PlainWithDropLast) {
  manual_seed(0);
  data::DataLoader loader(ten(), {.batch_size = 3, .drop_last = true});
  EXPECT_EQ(loader.size(), 3);
  EXPECT_TRUE(targets_of(loader, 1).equal(ref("loader_plain_drop_last")));
  EXPECT_TRUE(rand({1}).equal(ref("loader_plain_after")));
  int batches = 0;
  for (const auto& [x, y] : loader) {
    EXPECT_EQ(x.shape(), (Shape{3, 1}));
    EXPECT_TRUE(x.squeeze(1).to(DType::i64).equal(y));
    ++batches;
  }
  EXPECT_EQ(batches, 3);
}

TEST(DataLoader, FashionMnistFirstShuffledBatchAsPytorch) {
  auto train = std::make_shared<data::FashionMNIST>(true);
  EXPECT_EQ(train->size(), 60000);
  EXPECT_EQ(data::FashionMNIST(false).size(), 10000);
  manual_seed(42);
  data::DataLoader loader(train, {.batch_size = 32, .shuffle = true});
  EXPECT_EQ(loader.size(), 1875);
  const auto first = loader.begin();  // keep the iterator: the batch lives in it
  const auto& [x, y] = *first;
  EXPECT_TRUE(y.equal(ref("loader_fashion_first_y")));
  EXPECT_TRUE(x.equal(ref("loader_fashion_first_x")));
  auto [image, label] = train->get(0);
  EXPECT_EQ(image.shape(), (Shape{1, 28, 28}));
  EXPECT_EQ(data::FashionMNIST::classes()[static_cast<size_t>(label.item())], "Ankle boot");
}

TEST(DataLoader, BadInput) {
  EXPECT_THROW_MSG(data::DataLoader(ten(), {.batch_size = 0}), "batch_size should be a positive integer value");
  EXPECT_THROW_MSG(data::TensorDataset(zeros({3, 2}), zeros({4})), "Size mismatch between tensors");
  EXPECT_THROW_MSG(ten()->get(10), "index 10 is out of range for a dataset of 10 examples");
  EXPECT_THROW_MSG(data::FashionMNIST(true, "/nonexistent"), "cannot open");
  EXPECT_EQ(ten()->get(-1).second.item(), 9);
}

}  // namespace
}  // namespace ojo::test
