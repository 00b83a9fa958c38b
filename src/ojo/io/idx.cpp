#include "ojo/io/idx.hpp"

#include <zlib.h>

#include <cstring>
#include <fstream>
#include <memory>

#include "ojo/core/error.hpp"

namespace ojo {

namespace {
constexpr uint64_t kMaxIdxBytes = uint64_t{1} << 32;

// The whole file, gunzipped if it starts with the gzip magic (zlib reads plain files as-is).
std::string read_maybe_gzip(const std::string& path) {
  gzFile f = gzopen(path.c_str(), "rb");
  if (!f) fail("load_idx", "cannot open '", path, "'");
  std::unique_ptr<gzFile_s, int (*)(gzFile)> guard(f, gzclose);
  std::string out;
  char buf[1 << 16];
  for (;;) {
    const int n = gzread(f, buf, sizeof buf);
    if (n < 0) {
      int errnum = 0;
      const char* msg = gzerror(f, &errnum);
      fail("load_idx", "'", path, "' is corrupt or truncated (", msg ? msg : "read error", ")");
    }
    if (n == 0) break;
    out.append(buf, static_cast<size_t>(n));
    if (out.size() > kMaxIdxBytes + 1024) fail("load_idx", "'", path, "' is larger than 4 GiB");
  }
  return out;
}

uint32_t big_endian_u32(const unsigned char* p) {
  return (uint32_t(p[0]) << 24) | (uint32_t(p[1]) << 16) | (uint32_t(p[2]) << 8) | uint32_t(p[3]);
}
}  // namespace

Tensor idx_decode(const std::string& bytes, const std::string& what) {
  const char* op = "load_idx";
  const auto* p = reinterpret_cast<const unsigned char*>(bytes.data());
  if (bytes.size() < 4 || p[0] != 0 || p[1] != 0)
    fail(op, "'", what, "' is not an IDX file (expected two zero bytes, a type code and a rank)");
  DType dtype;
  switch (p[2]) {
    case 0x08: dtype = DType::u8; break;
    case 0x09: dtype = DType::i8; break;
    case 0x0B: dtype = DType::i16; break;
    case 0x0C: dtype = DType::i32; break;
    case 0x0D: dtype = DType::f32; break;
    case 0x0E: dtype = DType::f64; break;
    default: fail(op, "'", what, "' has unknown IDX type code 0x", std::to_string(p[2]), " (expected 8, 9, 11-14)");
  }
  const size_t rank = p[3];
  if (bytes.size() < 4 + 4 * rank)
    fail(op, "'", what, "' is truncated: its header names ", rank, " dimensions but the file has ", bytes.size(),
         " bytes");
  Shape shape;
  uint64_t count = 1;
  for (size_t i = 0; i < rank; ++i) {
    shape.push_back(big_endian_u32(p + 4 + 4 * i));
    count *= static_cast<uint64_t>(shape.back());
    if (count * dtype_size(dtype) > kMaxIdxBytes) fail(op, "'", what, "' declares more than 4 GiB of data");
  }
  const size_t header = 4 + 4 * rank, data_bytes = count * dtype_size(dtype);
  if (bytes.size() - header != data_bytes)
    fail(op, "'", what, "' has ", bytes.size() - header, " bytes of data, its header ", shape_str(shape), " needs ",
         data_bytes);
  Tensor t = Tensor::empty(shape, dtype);
  auto* out = static_cast<unsigned char*>(t.raw_data());
  const size_t width = dtype_size(dtype);
  for (size_t i = 0; i < count; ++i)  // big endian → host (little endian)
    for (size_t b = 0; b < width; ++b) out[i * width + b] = p[header + i * width + (width - 1 - b)];
  return t;
}

Tensor load_idx(const std::string& path) { return idx_decode(read_maybe_gzip(path), path); }

}  // namespace ojo
