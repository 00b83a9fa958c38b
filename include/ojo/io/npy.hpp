// NumPy .npy files (format versions 1.0, 2.0 and 3.0) for every ojo dtype.
//
//   Tensor a = load_npy("x.npy");   // any dtype ojo has; C or Fortran order; little or big endian
//   save_npy("y.npy", a);           // version 1.0, C order, little endian; any strides
//
// Malformed headers (bad magic, unknown version, header length beyond the file, unparsable dict,
// unsupported dtype such as complex or object, data shorter than the shape says) throw ojo::Error
// naming the file and the problem. save_npy writes through a temporary file and a rename.
#pragma once

#include <string>

#include "ojo/core/tensor.hpp"

namespace ojo {

Tensor load_npy(const std::string& path);
void save_npy(const std::string& path, const Tensor& t);

// In-memory forms (the bytes of a .npy file); `what` names the source in error messages.
Tensor npy_decode(const std::string& bytes, const std::string& what = "<memory>");
std::string npy_encode(const Tensor& t);

}  // namespace ojo
