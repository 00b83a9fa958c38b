#include "ojo/imgproc/types.hpp"

namespace ojo {

DType depth_dtype(int depth, const char* op) {
  switch (depth) {
    case CV_8U: return DType::u8;
    case CV_8S: return DType::i8;
    case CV_16U: return DType::u16;
    case CV_16S: return DType::i16;
    case CV_32S: return DType::i32;
    case CV_32F: return DType::f32;
    case CV_64F: return DType::f64;
  }
  fail(op, "unknown depth ", depth, " (expected CV_8U=0, CV_8S=1, CV_16U=2, CV_16S=3, CV_32S=4, CV_32F=5 or CV_64F=6)");
}

int dtype_depth(DType dtype, const char* op) {
  switch (dtype) {
    case DType::u8: return CV_8U;
    case DType::i8: return CV_8S;
    case DType::u16: return CV_16U;
    case DType::i16: return CV_16S;
    case DType::i32: return CV_32S;
    case DType::f32: return CV_32F;
    case DType::f64: return CV_64F;
    default: break;
  }
  fail(op, "OpenCV has no depth for dtype ", dtype_name(dtype));
}

const char* depth_name(int depth) {
  switch (depth) {
    case -1: return "-1";
    case CV_8U: return "CV_8U";
    case CV_8S: return "CV_8S";
    case CV_16U: return "CV_16U";
    case CV_16S: return "CV_16S";
    case CV_32S: return "CV_32S";
    case CV_32F: return "CV_32F";
    case CV_64F: return "CV_64F";
  }
  return "unknown";
}

}  // namespace ojo
