// OpenCV's depth constants, shared by every image operation that takes a `ddepth` or `ktype`.
//
// The values are OpenCV's (CV_8U = 0 ... CV_64F = 6), so code ported from OpenCV/Python keeps its
// numbers; -1 as a ddepth means "same depth as the input". depth_dtype / dtype_depth map them to
// ojo's dtypes (CV_8U <-> u8, CV_16S <-> i16, CV_32F <-> f32, ...).
#pragma once

#include "ojo/core/dtype.hpp"

namespace ojo {

// OpenCV defines these names as macros (same values); when its headers came first (tests,
// benchmarks), the macros serve and the enum is skipped.
#ifndef CV_8U
enum Depths : int {
  CV_8U = 0,
  CV_8S = 1,
  CV_16U = 2,
  CV_16S = 3,
  CV_32S = 4,
  CV_32F = 5,
  CV_64F = 6,
};
#endif

// CV_8U -> DType::u8, ..., CV_64F -> DType::f64. Throws for anything else; `op` names the caller.
DType depth_dtype(int depth, const char* op);
// DType::u8 -> CV_8U, ... Throws for dtypes OpenCV has no depth for (bool, i64).
int dtype_depth(DType dtype, const char* op);
// "CV_16S" for 3, "-1" etc. for error messages.
const char* depth_name(int depth);

}  // namespace ojo
