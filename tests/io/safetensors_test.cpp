// safetensors weight files: round trips of every dtype and shape (0-d, empty, views), metadata,
// the byte layout of the spec, atomic writes, and every kind of malformed file (crafted bytes),
// each of which must throw ojo::Error naming load_safetensors, the file and the problem.
// (Files exchanged with PyTorch are tested in safetensors_pytorch_test.cpp.)
#include <unistd.h>

#include <cstring>
#include <filesystem>

#include "ojo/io/safetensors.hpp"
#include "ojo/tensor/ops.hpp"
#include "test_util.hpp"

namespace ojo::test {
namespace {

const DType kAll[] = {DType::boolean, DType::u8, DType::i8, DType::u16, DType::i16,
                      DType::i32,     DType::i64, DType::f32, DType::f64};

// Distinct values of every dtype: (i*7+3) cast, floats (i*7+3)*0.25-10, bools odd/even.
Tensor values(DType dt, const Shape& shape) {
  Tensor t = Tensor::empty(shape, dt);
  visit_dtype(dt, [&](auto tag) {
    using T = decltype(tag);
    T* p = t.data<T>();
    for (int64_t i = 0; i < t.numel(); ++i) {
      const int64_t v = i * 7 + 3;
      if constexpr (std::is_same_v<T, bool>) p[i] = v % 2 != 0;
      else if constexpr (std::is_floating_point_v<T>) p[i] = static_cast<T>(v * 0.25 - 10);
      else p[i] = static_cast<T>(v);
    }
  });
  return t;
}

TEST(Safetensors, RoundTripsEveryDtypeAndShape) {
  TempDir dir;
  StateDict sd;
  for (DType dt : kAll)
    for (const Shape& shape : {Shape{}, Shape{0}, Shape{3, 0, 2}, Shape{5}, Shape{2, 3, 4}})
      sd.insert(std::string(dtype_name(dt)) + shape_str(shape), values(dt, shape));
  safetensors::save(sd, dir.path("all.safetensors"));
  const StateDict back = safetensors::load(dir.path("all.safetensors"));
  ASSERT_EQ(back.keys(), sd.keys());
  for (const auto& [name, t] : sd) EXPECT_TENSOR_EQ(back.at(name), t) << name;
  // The in-memory form is the file's bytes.
  const std::vector<uint8_t> bytes = encode_safetensors(sd);
  EXPECT_EQ(std::string(bytes.begin(), bytes.end()), read_bytes(dir.path("all.safetensors")));
  EXPECT_EQ(decode_safetensors(bytes).keys(), sd.keys());
}

TEST(Safetensors, WritesViewsContiguousAndDropsAutograd) {
  const Tensor base = values(DType::f32, {4, 6});
  StateDict sd;
  sd.insert("t", base.transpose(0, 1));
  sd.insert("rev", base.index({Slice(None, None, -1), Slice(1, 5, 2)}));
  sd.insert("bcast", values(DType::i16, {3}).unsqueeze(0).expand({2, 3}));
  Tensor w = values(DType::f32, {2, 2}).requires_grad_();
  (w * w).sum().backward();
  sd.insert("w", w);
  const StateDict back = decode_safetensors(encode_safetensors(sd));
  for (const auto& [name, t] : sd) {
    EXPECT_TENSOR_EQ(back.at(name), t.detach().contiguous()) << name;
    EXPECT_TRUE(back.at(name).is_contiguous()) << name;
  }
  EXPECT_FALSE(back.at("w").requires_grad());
  EXPECT_FALSE(back.at("w").grad().defined());
}

TEST(Safetensors, Metadata) {
  StateDict sd;
  sd.insert("x", values(DType::f32, {2}));
  const std::map<std::string, std::string> meta = {{"epoch", "3"}, {"format", "pt"}, {"note", "ñandú \"quoted\"\n"}};
  std::map<std::string, std::string> got = {{"stale", "entry"}};
  decode_safetensors(encode_safetensors(sd, meta), &got);
  EXPECT_EQ(got, meta);
  decode_safetensors(encode_safetensors(sd), &got);
  EXPECT_TRUE(got.empty());
  // Metadata alone, no tensors.
  const StateDict none = decode_safetensors(encode_safetensors(StateDict(), meta), &got);
  EXPECT_TRUE(none.empty());
  EXPECT_EQ(got, meta);
}

TEST(Safetensors, ByteLayoutFollowsTheSpec) {
  StateDict sd;
  sd.insert("a", Tensor::from<float>({1.5f, -2.0f}));
  sd.insert("b", Tensor::from<uint8_t>({7}));
  const std::vector<uint8_t> bytes = encode_safetensors(sd, {{"k", "v"}});
  uint64_t n = 0;
  std::memcpy(&n, bytes.data(), 8);  // little-endian length
  const std::string header(bytes.begin() + 8, bytes.begin() + 8 + static_cast<int64_t>(n));
  const std::string json = R"({"__metadata__":{"k":"v"},"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},)"
                           R"("b":{"dtype":"U8","shape":[1],"data_offsets":[8,9]}})";
  EXPECT_EQ(header.substr(0, json.size()), json);
  EXPECT_EQ(header.find_first_not_of(' ', json.size()), std::string::npos) << "padding must be spaces";
  EXPECT_EQ((8 + n) % 8, 0u) << "data must start 8-byte aligned";
  ASSERT_EQ(bytes.size(), 8 + n + 9);
  float a[2];
  std::memcpy(a, bytes.data() + 8 + n, 8);
  EXPECT_EQ(a[0], 1.5f);
  EXPECT_EQ(a[1], -2.0f);
  EXPECT_EQ(bytes.back(), 7);
}

TEST(Safetensors, SaveRefusesWhatItCannotWrite) {
  TempDir dir;
  StateDict reserved;
  reserved.insert("__metadata__", zeros({1}));
  EXPECT_THROW_MSG(safetensors::save(reserved, dir.path("x.safetensors")), "reserved for metadata");
  StateDict undefined;
  undefined.insert("w", Tensor());
  EXPECT_THROW_MSG(safetensors::save(undefined, dir.path("x.safetensors")), "save_safetensors: tensor 'w' is undefined");
  StateDict bad_utf8;
  bad_utf8.insert("w\xff", zeros({1}));
  EXPECT_THROW_MSG(safetensors::save(bad_utf8, dir.path("x.safetensors")), "not valid UTF-8");
  EXPECT_FALSE(std::filesystem::exists(dir.path("x.safetensors")));
  EXPECT_THROW_MSG(safetensors::save(StateDict(), dir.path("no/such/dir/x.safetensors")), "save_safetensors: cannot write");
}

TEST(Safetensors, WritesAtomically) {
  TempDir dir;
  const std::string path = dir.path("w.safetensors");
  StateDict big, small;
  big.insert("w", values(DType::f64, {1000}));
  small.insert("w", values(DType::u8, {3}));
  safetensors::save(big, path);
  safetensors::save(small, path);  // replaces the whole file
  EXPECT_TENSOR_EQ(safetensors::load(path).at("w"), small.at("w"));
  std::filesystem::permissions(dir.str(), std::filesystem::perms::owner_write, std::filesystem::perm_options::remove);
  if (::access(dir.str().c_str(), W_OK) != 0) {  // (root ignores permissions)
    EXPECT_THROW_MSG(safetensors::save(big, path), "save_safetensors: cannot write");
    EXPECT_TENSOR_EQ(safetensors::load(path).at("w"), small.at("w"));
  }
  std::filesystem::permissions(dir.str(), std::filesystem::perms::owner_write, std::filesystem::perm_options::add);
  // No temporary file left behind.
  int files = 0;
  for ([[maybe_unused]] const auto& e : std::filesystem::directory_iterator(dir.str())) ++files;
  EXPECT_EQ(files, 1);
}

// --- malformed files ---

// A file from a header text, data bytes and (optionally) a header length that lies.
std::string craft(const std::string& header, const std::string& data = "", int64_t length = -1) {
  std::string out(8, '\0');
  const uint64_t n = length >= 0 ? static_cast<uint64_t>(length) : header.size();
  std::memcpy(out.data(), &n, 8);
  return out + header + data;
}

class SafetensorsMalformed : public ::testing::Test {
 protected:
  // Loads `bytes` from a file and expects an error with `problem`, "load_safetensors" and the path.
  void expect_error(const std::string& bytes, const std::string& problem) {
    const std::string path = dir_.path("bad.safetensors");
    write_bytes(path, bytes);
    EXPECT_THROW_MSG(safetensors::load(path), problem);
    EXPECT_THROW_MSG(safetensors::load(path), "load_safetensors: " + path + ": ");
  }
  TempDir dir_;
};

TEST_F(SafetensorsMalformed, Sizes) {
  expect_error("", "file is 0 bytes, shorter than the 8-byte header length");
  expect_error(std::string("\x05\0\0", 3), "file is 3 bytes");
  expect_error(craft("{}", "", 100), "header length 100 runs past the end of the file (10 bytes)");
  expect_error(craft("{}", "", int64_t{1} << 62), "is above the limit of 100000000 bytes");
  expect_error(craft("{}", "", 100'000'001), "above the limit");
  EXPECT_THROW_MSG(safetensors::load(dir_.path("missing.safetensors")), "load_safetensors: cannot open");
}

TEST_F(SafetensorsMalformed, Json) {
  expect_error(craft("{\"a\": "), "malformed JSON header (6 bytes)");
  expect_error(craft("not json"), "malformed JSON header");
  expect_error(craft("{\"a\":\"\xff\"}"), "malformed JSON header");  // invalid UTF-8
  expect_error(craft("[1, 2]"), "the JSON header is not an object");
  expect_error(craft(R"({"a":{"dtype":"U8","shape":[1],"data_offsets":[0,1]},"a":{"dtype":"U8","shape":[1],"data_offsets":[1,2]}})", "xy"),
               "tensor 'a' appears twice in the header");
  expect_error(craft(R"({"__metadata__":[1]})"), "\"__metadata__\" is not an object of strings");
  expect_error(craft(R"({"__metadata__":{"epoch":3}})"), "metadata 'epoch' is not a string");
}

TEST_F(SafetensorsMalformed, Fields) {
  expect_error(craft(R"({"w":5})"), "tensor 'w': entry is not an object");
  expect_error(craft(R"({"w":{"shape":[1],"data_offsets":[0,4]}})", "abcd"), "tensor 'w': missing field \"dtype\"");
  expect_error(craft(R"({"w":{"dtype":"F32","data_offsets":[0,4]}})", "abcd"), "missing field \"shape\"");
  expect_error(craft(R"({"w":{"dtype":"F32","shape":[1]}})", "abcd"), "missing field \"data_offsets\"");
  expect_error(craft(R"({"w":{"dtype":7,"shape":[1],"data_offsets":[0,4]}})", "abcd"), "\"dtype\" is not a string");
  expect_error(craft(R"({"w":{"dtype":"Q7","shape":[1],"data_offsets":[0,4]}})", "abcd"), "tensor 'w': unknown dtype 'Q7'");
  expect_error(craft(R"({"w":{"dtype":"F16","shape":[2],"data_offsets":[0,4]}})", "abcd"),
               "tensor 'w': dtype F16 is not supported by ojo (supported: BOOL, U8, I8, U16, I16, I32, I64, F32, F64)");
  expect_error(craft(R"({"w":{"dtype":"BF16","shape":[2],"data_offsets":[0,4]}})", "abcd"), "dtype BF16 is not supported");
  expect_error(craft(R"({"w":{"dtype":"F32","shape":4,"data_offsets":[0,4]}})", "abcd"), "\"shape\" is not an array");
  expect_error(craft(R"({"w":{"dtype":"F32","shape":[-1],"data_offsets":[0,4]}})", "abcd"),
               "shape [-1] has an entry that is not a non-negative 64-bit integer");
  expect_error(craft(R"({"w":{"dtype":"F32","shape":[1.5],"data_offsets":[0,4]}})", "abcd"), "not a non-negative");
  expect_error(craft(R"({"w":{"dtype":"F32","shape":[1],"data_offsets":[0]}})", "abcd"),
               "\"data_offsets\" is not a pair of non-negative integers: [0]");
  expect_error(craft(R"({"w":{"dtype":"F32","shape":[1],"data_offsets":[0,-4]}})", "abcd"), "not a pair of non-negative");
  expect_error(craft(R"({"w":{"dtype":"F32","shape":[1],"data_offsets":"0,4"}})", "abcd"), "not a pair");
}

TEST_F(SafetensorsMalformed, Offsets) {
  expect_error(craft(R"({"w":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}})", "12345678"),
               "tensor 'w': data_offsets [0, 8] hold 8 bytes, but F32 shape [3] needs 12");
  expect_error(craft(R"({"w":{"dtype":"U8","shape":[4],"data_offsets":[4,0]}})", "abcd"), "end before they begin");
  expect_error(craft(R"({"w":{"dtype":"U8","shape":[4],"data_offsets":[2,6]}})", "abcd"),
               "data_offsets [2, 6] are out of range (the data section has 4 bytes)");
  expect_error(craft(R"({"w":{"dtype":"U8","shape":[4],"data_offsets":[18446744073709551612,18446744073709551616]}})", "abcd"),
               "not a pair of non-negative integers");
  expect_error(craft(R"({"w":{"dtype":"U8","shape":[4294967296,4294967296,2],"data_offsets":[0,4]}})", "abcd"),
               "has more elements than fit in 64 bits");
  expect_error(craft(R"({"a":{"dtype":"U8","shape":[3],"data_offsets":[0,3]},"b":{"dtype":"U8","shape":[3],"data_offsets":[1,4]}})", "abcd"),
               "tensor 'b' (bytes 1-4) overlaps tensor 'a' (bytes 0-3)");
  expect_error(craft(R"({"a":{"dtype":"U8","shape":[2],"data_offsets":[0,2]},"b":{"dtype":"U8","shape":[1],"data_offsets":[3,4]}})", "abcd"),
               "bytes 2-3 of the data are not covered by any tensor");
  expect_error(craft(R"({"a":{"dtype":"U8","shape":[2],"data_offsets":[2,4]}})", "abcd"), "bytes 0-2 of the data are not covered");
  expect_error(craft(R"({"a":{"dtype":"U8","shape":[2],"data_offsets":[0,2]}})", "abcd"), "bytes 2-4 of the data are not covered");
  expect_error(craft("{}", "abcd"), "bytes 0-4 of the data are not covered");
  expect_error(craft(R"({"m":{"dtype":"BOOL","shape":[3],"data_offsets":[0,3]}})", std::string("\1\0\2", 3)),
               "tensor 'm': BOOL byte 2 is 2, expected 0 or 1");
}

TEST_F(SafetensorsMalformed, AcceptsWhatTheSpecAllows) {
  // Empty tensors anywhere (even with huge other sizes), tensors in any order in the header,
  // and a header padded with spaces.
  const std::string path = dir_.path("ok.safetensors");
  write_bytes(path, craft(R"({"b":{"dtype":"U8","shape":[2],"data_offsets":[2,4]},"e":{"dtype":"F64","shape":[0,9223372036854775807],"data_offsets":[2,2]},"a":{"dtype":"I16","shape":[],"data_offsets":[0,2]}}   )",
                          std::string("\x01\x02\x03\x04", 4)));
  const StateDict sd = safetensors::load(path);
  EXPECT_EQ(sd.keys(), (std::vector<std::string>{"b", "e", "a"}));
  EXPECT_TENSOR_EQ(sd.at("b"), Tensor::from<uint8_t>({3, 4}));
  EXPECT_EQ(sd.at("e").shape(), (Shape{0, INT64_MAX}));
  EXPECT_EQ(sd.at("a").dim(), 0);
  EXPECT_EQ(sd.at("a").item(), 0x0201);
}

TEST_F(SafetensorsMalformed, EveryTruncationThrows) {
  StateDict sd;
  sd.insert("w", values(DType::f32, {3, 2}));
  sd.insert("m", values(DType::boolean, {5}));
  const std::vector<uint8_t> bytes = encode_safetensors(sd, {{"k", "v"}});
  for (size_t n = 0; n < bytes.size(); ++n) {
    EXPECT_THROW(decode_safetensors(std::span(bytes.data(), n)), Error) << "truncated to " << n << " bytes";
  }
  // And every single-byte corruption of the header either throws ojo::Error or decodes.
  uint64_t header = 0;
  std::memcpy(&header, bytes.data(), 8);
  for (size_t i = 0; i < 8 + header; ++i) {
    std::vector<uint8_t> bad = bytes;
    bad[i] ^= 0x5a;
    try {
      decode_safetensors(bad);
    } catch (const Error&) {
    }
  }
}

}  // namespace
}  // namespace ojo::test
