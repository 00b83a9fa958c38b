// ojo train / eval / predict on a small FashionMNIST folder written by the test (the first 96
// training and 32 test images of Debian's files, as plain IDX): the weights file carries the model
// in its metadata, eval and predict rebuild it, the outputs parse; bad models, optimizers and
// weights files fail with a message, exit code 1 and no output file.
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>

#include "ojo/imgproc/geometry.hpp"
#include "ojo/io/idx.hpp"
#include "ojo/io/image.hpp"
#include "ojo/io/safetensors.hpp"
#include "test_util.hpp"

namespace ojo::test {
namespace {

// A u8 tensor as an uncompressed IDX file (load_idx reads plain and gzip files alike).
void write_idx(const std::string& path, const Tensor& t) {
  std::string bytes{'\0', '\0', '\x08', static_cast<char>(t.dim())};
  for (int64_t d : t.shape())
    for (int b = 3; b >= 0; --b) bytes += static_cast<char>((d >> (8 * b)) & 0xFF);
  const Tensor c = t.contiguous();
  bytes.append(static_cast<const char*>(c.raw_data()), static_cast<size_t>(c.numel()));
  std::ofstream(path, std::ios::binary) << bytes;
}

class LearnCli : public ::testing::Test {
 protected:
  void SetUp() override {
    const std::string fashion = "/usr/share/datasets/fashion-mnist/";
    for (const auto& [split, n] : {std::pair<std::string, int64_t>{"train", 96}, {"t10k", 32}}) {
      const Tensor images = load_idx(fashion + split + "-images-idx3-ubyte.gz").index({Slice(0, n)});
      const Tensor labels = load_idx(fashion + split + "-labels-idx1-ubyte.gz").index({Slice(0, n)});
      write_idx(dir.path(split + "-images-idx3-ubyte.gz"), images);
      write_idx(dir.path(split + "-labels-idx1-ubyte.gz"), labels);
      if (split == "t10k") first_test_image = images.select(0, 0).contiguous();
    }
  }
  int ojo(const std::string& args) { return run_ojo(args, dir.path("out.txt"), dir.path("err.txt")); }
  std::string out() { return read_bytes(dir.path("out.txt")); }
  std::string err() { return read_bytes(dir.path("err.txt")); }

  TempDir dir;
  Tensor first_test_image;
};

TEST_F(LearnCli, TrainEvalPredict) {
  const std::string weights = dir.path("w.safetensors");
  ASSERT_EQ(ojo("train --epochs 2 --batch-size 16 --data-dir " + dir.str() + " " + weights), 0) << err();
  EXPECT_NE(out().find("Epoch: 1 | Train loss:"), std::string::npos) << out();
  std::map<std::string, std::string> meta;
  const StateDict sd = safetensors::load(weights, &meta);
  EXPECT_EQ(meta.at("model"), "tinyvgg");
  EXPECT_EQ(meta.at("hidden_units"), "10");
  EXPECT_TRUE(sd.contains("conv_block_1.0.weight"));

  ASSERT_EQ(ojo("eval --json --data-dir " + dir.str() + " " + weights), 0) << err();
  const auto result = nlohmann::json::parse(out());
  EXPECT_EQ(result["model_name"], "FashionMNISTModelV2");
  EXPECT_GE(result["model_acc"].get<double>(), 0.0);
  EXPECT_LE(result["model_acc"].get<double>(), 100.0);

  imwrite(dir.path("item.png"), first_test_image);
  imwrite(dir.path("big.png"), resize(first_test_image, {56, 56}));
  ASSERT_EQ(ojo("predict --json " + weights + " " + dir.path("item.png") + " " + dir.path("big.png")), 0) << err();
  const auto predictions = nlohmann::json::parse(out());
  ASSERT_EQ(predictions.size(), 2u);
  const int64_t cls = predictions[0]["class"];
  EXPECT_TRUE(cls >= 0 && cls < 10);
  EXPECT_GT(predictions[0]["probability"].get<double>(), 0.0);
}

TEST_F(LearnCli, BadInputFailsWithoutWritingOutput) {
  const std::string weights = dir.path("w.safetensors");
  EXPECT_EQ(ojo("train --model resnet --data-dir " + dir.str() + " " + weights), 1);
  EXPECT_NE(err().find("unknown --model 'resnet'"), std::string::npos) << err();
  EXPECT_EQ(ojo("train --optimizer lbfgs --data-dir " + dir.str() + " " + weights), 1);
  EXPECT_NE(err().find("unknown --optimizer 'lbfgs'"), std::string::npos) << err();
  EXPECT_EQ(ojo("train --data-dir /nonexistent " + weights), 1);
  EXPECT_NE(err().find("cannot open"), std::string::npos) << err();
  EXPECT_FALSE(std::filesystem::exists(weights));

  StateDict plain;
  plain.insert("w", zeros({2}));
  safetensors::save(plain, dir.path("plain.safetensors"));
  EXPECT_EQ(ojo("eval --data-dir " + dir.str() + " " + dir.path("plain.safetensors")), 1);
  EXPECT_NE(err().find("has no 'model' / 'hidden_units' metadata"), std::string::npos) << err();
  EXPECT_EQ(ojo("predict " + dir.path("missing.safetensors") + " x.png"), 1);
}

}  // namespace
}  // namespace ojo::test
