#include "ojo/core/dtype.hpp"

#include <array>

namespace ojo {

namespace {
struct DTypeInfo {
  DType type;
  const char* name;
  const char* short_name;
  size_t size;
  bool floating, is_signed;
};
constexpr std::array<DTypeInfo, 9> kInfo{{
    {DType::boolean, "bool", "b8", 1, false, false},
    {DType::u8, "uint8", "u8", 1, false, false},
    {DType::i8, "int8", "i8", 1, false, true},
    {DType::u16, "uint16", "u16", 2, false, false},
    {DType::i16, "int16", "i16", 2, false, true},
    {DType::i32, "int32", "i32", 4, false, true},
    {DType::i64, "int64", "i64", 8, false, true},
    {DType::f32, "float32", "f32", 4, true, true},
    {DType::f64, "float64", "f64", 8, true, true},
}};

const DTypeInfo& info(DType t) {
  const auto i = static_cast<size_t>(t);
  if (i >= kInfo.size()) fail("dtype", "invalid dtype code ", i);
  return kInfo[i];
}
}  // namespace

size_t dtype_size(DType t) { return info(t).size; }
const char* dtype_name(DType t) { return info(t).name; }
bool is_floating(DType t) { return info(t).floating; }
bool is_signed(DType t) { return info(t).is_signed; }

DType dtype_from_name(const std::string& name) {
  for (const auto& i : kInfo)
    if (name == i.name || name == i.short_name) return i.type;
  fail("dtype", "unknown dtype '", name,
       "' (expected one of bool, uint8, int8, uint16, int16, int32, int64, float32, float64)");
}

}  // namespace ojo
