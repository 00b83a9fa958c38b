// Element types of ojo::Tensor and the mapping to C++ types.
//
//   DType::boolean  bool      (masks from comparisons; stored as one byte 0/1)
//   DType::u8       uint8_t   (images, as NumPy/OpenCV CV_8U)
//   DType::i8 u16 i16 i32 i64 f32 f64 — the usual fixed-width types
//
// visit_dtype(dt, f) calls f(T{}) with the C++ type of `dt`, so one generic lambda serves every dtype.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "ojo/core/error.hpp"

namespace ojo {

enum class DType : uint8_t { boolean, u8, i8, u16, i16, i32, i64, f32, f64 };

// Size of one element in bytes.
size_t dtype_size(DType t);
// Short name: "bool", "uint8", "int8", "uint16", "int16", "int32", "int64", "float32", "float64"
// (NumPy's names).
const char* dtype_name(DType t);
// Parses a NumPy-style name ("uint8", "float32", ...) or a short one ("u8", "f32", ...).
DType dtype_from_name(const std::string& name);
bool is_floating(DType t);
bool is_signed(DType t);

template <class T> struct dtype_of_t;
template <> struct dtype_of_t<bool> { static constexpr DType value = DType::boolean; };
template <> struct dtype_of_t<uint8_t> { static constexpr DType value = DType::u8; };
template <> struct dtype_of_t<int8_t> { static constexpr DType value = DType::i8; };
template <> struct dtype_of_t<uint16_t> { static constexpr DType value = DType::u16; };
template <> struct dtype_of_t<int16_t> { static constexpr DType value = DType::i16; };
template <> struct dtype_of_t<int32_t> { static constexpr DType value = DType::i32; };
template <> struct dtype_of_t<int64_t> { static constexpr DType value = DType::i64; };
template <> struct dtype_of_t<float> { static constexpr DType value = DType::f32; };
template <> struct dtype_of_t<double> { static constexpr DType value = DType::f64; };
template <class T> inline constexpr DType dtype_of = dtype_of_t<T>::value;

// Calls f(T{}) where T is the C++ type of `t`; returns what f returns.
template <class F>
decltype(auto) visit_dtype(DType t, F&& f) {
  switch (t) {
    case DType::boolean: return f(bool{});
    case DType::u8: return f(uint8_t{});
    case DType::i8: return f(int8_t{});
    case DType::u16: return f(uint16_t{});
    case DType::i16: return f(int16_t{});
    case DType::i32: return f(int32_t{});
    case DType::i64: return f(int64_t{});
    case DType::f32: return f(float{});
    case DType::f64: return f(double{});
  }
  fail("visit_dtype", "invalid dtype code ", static_cast<int>(t));
}

}  // namespace ojo
