// IDX files — the format of MNIST and FashionMNIST (/usr/share/datasets/fashion-mnist/*-ubyte.gz).
//
//   Tensor images = load_idx("/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz");  // u8 {60000, 28, 28}
//   Tensor labels = load_idx(".../train-labels-idx1-ubyte.gz");                                // u8 {60000}
//
// Layout: two zero bytes, a type code (0x08 u8, 0x09 i8, 0x0B i16, 0x0C i32, 0x0D f32, 0x0E f64),
// the number of dimensions, each dimension as a big-endian u32, then the big-endian data.
// Gzip-compressed files (".gz", detected by content) are decompressed on the fly. A bad magic,
// an unknown type, more than 2^32 bytes of data or a file shorter than its header says throws
// ojo::Error naming the file; nothing is allocated before the header is checked.
#pragma once

#include <string>

#include "ojo/core/tensor.hpp"

namespace ojo {

Tensor load_idx(const std::string& path);
// The decoded form of an IDX file's bytes (already decompressed); `what` names it in errors.
Tensor idx_decode(const std::string& bytes, const std::string& what = "<memory>");

}  // namespace ojo
