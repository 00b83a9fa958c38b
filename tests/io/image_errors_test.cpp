// Bad input to imread / imwrite: every failure is an ojo::Error naming the file and the problem,
// nothing crashes, and a failed imwrite leaves no partial or changed output.
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>

#include "ojo/io/file.hpp"
#include "ojo/io/image.hpp"
#include "test_util.hpp"

using namespace ojo;
using namespace ojo::test;

namespace {

Tensor pattern(int64_t h, int64_t w, int64_t c) {
  Tensor t = Tensor::empty(c == 1 ? Shape{h, w} : Shape{h, w, c}, DType::u8);
  auto* p = t.data<uint8_t>();
  for (int64_t i = 0; i < t.numel(); ++i) p[i] = static_cast<uint8_t>(i * 31 + i / 7);
  return t;
}

std::string file_with(const TempDir& dir, const std::string& name, const std::string& bytes) {
  const std::string path = dir.path(name);
  write_bytes(path, bytes);
  return path;
}

std::string le32(uint32_t v) { return {char(v & 255), char((v >> 8) & 255), char((v >> 16) & 255), char(v >> 24)}; }

TEST(ImageErrors, MissingPathDirectoryEmpty) {
  TempDir dir;
  EXPECT_THROW_MSG(imread(dir.path("nope.png")), "nope.png: No such file or directory");
  EXPECT_THROW_MSG(imread(dir.str()), "Is a directory");
  EXPECT_THROW_MSG(imread(file_with(dir, "empty.png", "")), "empty.png: empty file");
}

TEST(ImageErrors, UnreadableFile) {
  if (geteuid() == 0) GTEST_SKIP() << "root reads any file";
  TempDir dir;
  const std::string path = file_with(dir, "secret.png", imencode(".png", pattern(4, 4, 1)));
  chmod(path.c_str(), 0);
  EXPECT_THROW_MSG(imread(path), "secret.png: Permission denied");
}

TEST(ImageErrors, WrongMagic) {
  TempDir dir;
  EXPECT_THROW_MSG(imread(file_with(dir, "text.png", "hello, world")), "text.png: unknown image format");
  EXPECT_THROW_MSG(imdecode("GIF89a....", ImreadMode::color, "anim"), "anim: unknown image format (first bytes 474946");
}

TEST(ImageErrors, TruncatedFiles) {
  TempDir dir;
  const Tensor img = pattern(40, 50, 3);
  struct Case {
    const char* ext;
    const char* message;
  };
  for (const Case& c : {Case{".png", "truncated PNG"}, Case{".jpg", "truncated JPEG"}, Case{".bmp", "truncated BMP"},
                        Case{".ppm", "truncated PNM"}}) {
    const std::string full = imencode(c.ext, img);
    for (size_t cut : {full.size() / 2, full.size() - 3, size_t{20}}) {
      const std::string name = std::string("cut") + std::to_string(cut) + c.ext;
      SCOPED_TRACE(name);
      const std::string path = file_with(dir, name, full.substr(0, cut));
      try {
        imread(path);
        ADD_FAILURE() << "no error";
      } catch (const Error& e) {
        const std::string m = e.what();
        EXPECT_NE(m.find(name), std::string::npos) << m;
        // Header cuts may be reported as an invalid header instead of truncated data.
        EXPECT_TRUE(m.find(c.message) != std::string::npos || m.find("invalid") != std::string::npos) << m;
      }
    }
  }
}

TEST(ImageErrors, SkimageTruncatedJpeg) {
  EXPECT_THROW_MSG(imread(skimage_dir() + "/truncated.jpg"), "truncated.jpg: truncated JPEG data");
}

TEST(ImageErrors, CorruptBytes) {
  TempDir dir;
  std::string png = imencode(".png", pattern(30, 30, 3));
  png[40] ^= 0x55;  // inside IDAT: CRC mismatch
  EXPECT_THROW_MSG(imread(file_with(dir, "crc.png", png)), "crc.png: invalid PNG");
  std::string jpg = imencode(".jpg", pattern(30, 30, 3));
  jpg[jpg.find("\xff\xc0") + 4] = 9;  // sample precision 9 bits
  EXPECT_THROW_MSG(imread(file_with(dir, "bad.jpg", jpg)), "bad.jpg: invalid JPEG header: Unsupported JPEG data precision 9");
  std::string jpg2 = imencode(".jpg", pattern(30, 30, 3));
  jpg2[jpg2.find("\xff\xc4") + 1] = '\xcc';  // DHT becomes DAC (arithmetic conditioning): tables missing
  EXPECT_THROW_MSG(imdecode(jpg2, ImreadMode::color, "dht.jpg"), "dht.jpg: invalid JPEG");
}

TEST(ImageErrors, UnsupportedKinds) {
  TempDir dir;
  // BMP with 2 bits per pixel (not a valid BMP depth).
  std::string bmp = imencode(".bmp", pattern(4, 4, 1));
  bmp[28] = 2;
  EXPECT_THROW_MSG(imread(file_with(dir, "two.bmp", bmp)), "two.bmp: unsupported BMP: 2 bits per pixel");
  EXPECT_THROW_MSG(imdecode("P5\n2 2\n70000\n", ImreadMode::color, "big.pgm"), "big.pgm: invalid PNM maxval 70000");
  EXPECT_THROW_MSG(imdecode("P2\n2 1\n255\n1 x\n", ImreadMode::color, "x.pgm"), "x.pgm: invalid PNM data: unexpected character");
  std::string png = imencode(".png", pattern(4, 4, 1));
  png[24] = 3;  // bit depth 3 (invalid in PNG)
  EXPECT_THROW_MSG(imdecode(png, ImreadMode::color, "d3.png"), "d3.png: invalid PNG header");
}

TEST(ImageErrors, AbsurdDimensionsRefusedBeforeAllocation) {
  // PNG: IHDR claims 100000 x 100000 (CRC fixed up so libpng accepts the chunk).
  std::string png = imencode(".png", pattern(4, 4, 1));
  const std::string big = {0, 1, char(0x86), char(0xa0)};  // 100000 big-endian
  png.replace(16, 4, big);
  png.replace(20, 4, big);
  // recompute IHDR CRC over type + data (bytes 12..28)
  uint32_t crc = 0xffffffffu;
  for (int i = 12; i < 29; ++i) {
    crc ^= static_cast<unsigned char>(png[i]);
    for (int k = 0; k < 8; ++k) crc = (crc >> 1) ^ (0xedb88320u & (0u - (crc & 1)));
  }
  crc ^= 0xffffffffu;
  png.replace(29, 4, {char(crc >> 24), char(crc >> 16), char(crc >> 8), char(crc)});
  EXPECT_THROW_MSG(imdecode(png, ImreadMode::color, "bomb.png"), "bomb.png: PNG header claims 100000x100000 pixels");

  std::string bmp = imencode(".bmp", pattern(4, 4, 3));
  bmp.replace(18, 4, le32(100000));
  bmp.replace(22, 4, le32(100000));
  EXPECT_THROW_MSG(imdecode(bmp, ImreadMode::color, "bomb.bmp"), "bomb.bmp: BMP header claims 100000x100000 pixels");

  EXPECT_THROW_MSG(imdecode("P6\n100000 100000\n255\n", ImreadMode::color, "bomb.ppm"),
                   "bomb.ppm: PNM header claims 100000x100000 pixels");
  EXPECT_THROW_MSG(imdecode("P5\n2000000 1\n255\n", ImreadMode::color, "wide.pgm"), "wide.pgm: PNM header claims 2000000x1");

  // JPEG: SOF0 height/width patched to 60000 x 60000 (JPEG's maximum is 65500).
  std::string jpg = imencode(".jpg", pattern(8, 8, 1));
  const size_t sof = jpg.find("\xff\xc0");
  ASSERT_NE(sof, std::string::npos);
  jpg.replace(sof + 5, 4, {char(0xea), char(0x60), char(0xea), char(0x60)});
  EXPECT_THROW_MSG(imdecode(jpg, ImreadMode::color, "bomb.jpg"), "bomb.jpg: JPEG header claims 60000x60000 pixels");
}

TEST(ImageErrors, ImwriteBadOutput) {
  TempDir dir;
  const Tensor img = pattern(8, 8, 3);
  EXPECT_THROW_MSG(imwrite(dir.path("no/such/dir/x.png"), img), "x.png: cannot create a file in");
  EXPECT_THROW_MSG(imwrite("/proc/ojo-test.png", img), "ojo-test.png: cannot create a file in /proc");  // even as root
  EXPECT_THROW_MSG(imwrite(dir.path("x.tiff"), img), "unknown image extension '.tiff'");
  EXPECT_THROW_MSG(imwrite(dir.path("noext"), img), "unknown image extension ''");
  EXPECT_THROW_MSG(imwrite(dir.path("f.png"), img.to(DType::f32)), "f.png: expected a uint8");
  EXPECT_THROW_MSG(imwrite(dir.path("s.png"), pattern(8, 8, 5)), "s.png: PNG stores 1 to 4 channels, got 5");
  EXPECT_THROW_MSG(imwrite(dir.path("s.jpg"), pattern(8, 8, 4)), "s.jpg: JPEG stores 1 or 3 channels, got 4");
  EXPECT_THROW_MSG(imwrite(dir.path("s.pgm"), img), "s.pgm: PGM stores 1 channel, got 3");
  EXPECT_THROW_MSG(imwrite(dir.path("d.png"), zeros({2, 3, 4, 5}, DType::u8)), "d.png: expected an image {H, W} or {H, W, C}");
  EXPECT_THROW_MSG(imwrite(dir.path("e.png"), zeros({0, 3}, DType::u8)), "e.png: cannot write an empty image");
  EXPECT_THROW_MSG(imwrite(dir.path("j.jpg"), img, {.jpeg_quality = 101}), "jpeg_quality must be 0..100");
  EXPECT_THROW_MSG(imwrite(dir.path("u.jpg"), zeros({4, 4}, DType::u16)), "JPEG stores uint8, got uint16");
  EXPECT_THROW_MSG(imwrite(dir.str(), img), "unknown image extension");
  EXPECT_TRUE(std::filesystem::is_empty(dir.str())) << "failed writes left files behind";
}

TEST(ImageErrors, UnwritableDirectoryLeavesNothing) {
  if (geteuid() == 0) GTEST_SKIP() << "root writes anywhere";
  TempDir dir;
  chmod(dir.str().c_str(), 0555);
  EXPECT_THROW_MSG(imwrite(dir.path("x.png"), pattern(8, 8, 3)), "x.png: cannot create a file in");
  chmod(dir.str().c_str(), 0755);
  EXPECT_TRUE(std::filesystem::is_empty(dir.str()));
}

TEST(ImageErrors, FailedImwriteKeepsExistingFile) {
  TempDir dir;
  const std::string path = dir.path("keep.png");
  imwrite(path, pattern(8, 8, 3));
  const std::string before = read_bytes(path);
  EXPECT_THROW_MSG(imwrite(path, pattern(8, 8, 3).to(DType::f64)), "keep.png: expected a uint8");
  EXPECT_THROW_MSG(imwrite(path, pattern(8, 8, 6)), "keep.png: PNG stores 1 to 4 channels");
  EXPECT_EQ(read_bytes(path), before);
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(dir.str()), {}), 1) << "temporary files left";
  // A successful overwrite replaces it completely.
  imwrite(path, pattern(5, 6, 1));
  EXPECT_TENSOR_EQ(imread(path, ImreadMode::unchanged), pattern(5, 6, 1));
}

TEST(FileIo, ReadWriteAndExtension) {
  TempDir dir;
  const std::string path = dir.path("a.bin");
  std::string bytes(100000, '\0');
  for (size_t i = 0; i < bytes.size(); ++i) bytes[i] = static_cast<char>(i * 7);
  write_file_atomic(path, bytes, "test");
  EXPECT_EQ(read_file(path, "test"), bytes);
  EXPECT_THROW_MSG(read_file(dir.path("none"), "myop"), "myop: cannot open");
  EXPECT_THROW_MSG(write_file_atomic(dir.str(), "x", "myop"), "myop: cannot write");
  EXPECT_EQ(file_extension("/a/b/Photo.JPG"), ".jpg");
  EXPECT_EQ(file_extension("/a.d/file"), "");
  EXPECT_EQ(file_extension(".bashrc"), "");
  EXPECT_EQ(file_extension("x.tar.gz"), ".gz");
  struct stat st {};
  ASSERT_EQ(stat(path.c_str(), &st), 0);
  EXPECT_NE(st.st_mode & 0044, 0u) << "written files get the usual permissions, not mkstemp's 0600";
}

}  // namespace
