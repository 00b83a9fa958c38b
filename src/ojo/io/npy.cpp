// NumPy .npy reading and writing (format 1.0, 2.0, 3.0), see include/ojo/io/npy.hpp and
// https://numpy.org/doc/stable/reference/generated/numpy.lib.format.html
#include "ojo/io/npy.hpp"

#include <algorithm>
#include <bit>
#include <cctype>
#include <cstring>
#include <map>
#include <numeric>

#include "ojo/io/file.hpp"

namespace ojo {
namespace {

static_assert(std::endian::native == std::endian::little, "ojo's .npy code assumes a little-endian host");

constexpr char kMagic[] = "\x93NUMPY";

[[noreturn]] void bad(const std::string& what, const std::string& problem) { fail("load_npy", what, ": ", problem); }

// The header dict, a Python literal such as {'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }.
struct Header {
  std::string descr;
  bool fortran = false;
  Shape shape;
};

struct DictParser {
  const std::string& s;
  size_t i = 0;
  const std::string& what;

  [[noreturn]] void error(const std::string& expected) const {
    bad(what, "unparsable header dict (expected " + expected + " at character " + std::to_string(i) + " of \"" + s +
                  "\")");
  }
  void space() {
    while (i < s.size() && std::isspace(static_cast<unsigned char>(s[i]))) ++i;
  }
  bool eat(char c) {
    space();
    if (i < s.size() && s[i] == c) {
      ++i;
      return true;
    }
    return false;
  }
  void expect(char c) {
    if (!eat(c)) error(std::string("'") + c + "'");
  }
  std::string string() {
    space();
    if (i >= s.size() || (s[i] != '\'' && s[i] != '"')) error("a quoted string");
    const char q = s[i++];
    const size_t end = s.find(q, i);
    if (end == std::string::npos) error("a closing quote");
    std::string out = s.substr(i, end - i);
    i = end + 1;
    return out;
  }
  bool boolean() {
    space();
    if (s.compare(i, 4, "True") == 0) { i += 4; return true; }
    if (s.compare(i, 5, "False") == 0) { i += 5; return false; }
    error("True or False");
  }
  Shape tuple() {
    expect('(');
    Shape shape;
    while (!eat(')')) {
      space();
      const bool negative = i < s.size() && s[i] == '-';
      if (negative) ++i;
      if (i >= s.size() || !std::isdigit(static_cast<unsigned char>(s[i]))) error("a dimension");
      int64_t v = 0;
      while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) {
        if (v > (INT64_MAX - 9) / 10) bad(what, "shape dimension too large in \"" + s + "\"");
        v = v * 10 + (s[i++] - '0');
      }
      if (i < s.size() && s[i] == 'L') ++i;  // Python 2 long
      if (negative) bad(what, "negative dimension -" + std::to_string(v) + " in shape");
      shape.push_back(v);
      if (!eat(',')) {
        expect(')');
        break;
      }
    }
    return shape;
  }
  Header parse() {
    Header h;
    bool has_descr = false, has_order = false, has_shape = false;
    expect('{');
    while (!eat('}')) {
      const std::string key = string();
      expect(':');
      if (key == "descr") {
        space();
        if (i < s.size() && s[i] == '[') bad(what, "structured dtypes are not supported (descr is a list)");
        h.descr = string();
        has_descr = true;
      } else if (key == "fortran_order") {
        h.fortran = boolean();
        has_order = true;
      } else if (key == "shape") {
        h.shape = tuple();
        has_shape = true;
      } else {
        bad(what, "unexpected key '" + key + "' in header dict");
      }
      if (!eat(',')) {
        expect('}');
        break;
      }
    }
    if (!has_descr || !has_order || !has_shape)
      bad(what, "header dict lacks " + std::string(!has_descr ? "'descr'" : !has_order ? "'fortran_order'" : "'shape'"));
    return h;
  }
};

struct Descr {
  DType dtype;
  bool big_endian;
};

Descr parse_descr(const std::string& d, const std::string& what) {
  if (d.size() < 2) bad(what, "unsupported dtype '" + d + "'");
  char order = '=';
  std::string code = d;
  if (d[0] == '<' || d[0] == '>' || d[0] == '|' || d[0] == '=') {
    order = d[0];
    code = d.substr(1);
  }
  static const std::map<std::string, DType> kCodes = {
      {"b1", DType::boolean}, {"?", DType::boolean}, {"u1", DType::u8},  {"i1", DType::i8},
      {"u2", DType::u16},     {"i2", DType::i16},    {"i4", DType::i32}, {"i8", DType::i64},
      {"f4", DType::f32},     {"f8", DType::f64}};
  const auto it = kCodes.find(code);
  if (it == kCodes.end()) {
    std::string why;
    if (code[0] == 'c') why = " (complex numbers are not supported)";
    else if (code[0] == 'O') why = " (Python objects are not supported)";
    else if (code[0] == 'U' || code[0] == 'S') why = " (strings are not supported)";
    bad(what, "unsupported dtype '" + d + "'" + why + "; ojo reads bool, uint8, int8, uint16, int16, int32, int64, "
              "float32, float64");
  }
  return {it->second, order == '>' && dtype_size(it->second) > 1};
}

void swap_bytes(std::byte* p, size_t n, size_t size) {
  for (size_t i = 0; i < n; ++i, p += size) std::reverse(p, p + size);
}

std::string descr_of(DType t) {
  switch (t) {
    case DType::boolean: return "|b1";
    case DType::u8: return "|u1";
    case DType::i8: return "|i1";
    case DType::u16: return "<u2";
    case DType::i16: return "<i2";
    case DType::i32: return "<i4";
    case DType::i64: return "<i8";
    case DType::f32: return "<f4";
    case DType::f64: return "<f8";
  }
  fail("save_npy", "invalid dtype");
}

}  // namespace

Tensor npy_decode(const std::string& bytes, const std::string& what) {
  if (bytes.size() < 10 || std::memcmp(bytes.data(), kMagic, 6) != 0)
    bad(what, "not a .npy file (bad magic; expected \\x93NUMPY)");
  const int major = static_cast<unsigned char>(bytes[6]), minor = static_cast<unsigned char>(bytes[7]);
  if (major < 1 || major > 3 || minor != 0)
    bad(what, "unsupported .npy format version " + std::to_string(major) + "." + std::to_string(minor) +
                  " (expected 1.0, 2.0 or 3.0)");
  const auto* u = reinterpret_cast<const unsigned char*>(bytes.data());
  size_t header_len = 0, start = 0;
  if (major == 1) {
    header_len = u[8] | u[9] << 8;
    start = 10;
  } else {
    if (bytes.size() < 12) bad(what, "truncated .npy header");
    header_len = u[8] | u[9] << 8 | u[10] << 16 | size_t{u[11]} << 24;
    start = 12;
  }
  if (header_len > bytes.size() - start)
    bad(what, "header length " + std::to_string(header_len) + " goes beyond the end of the file (" +
                  std::to_string(bytes.size()) + " bytes)");
  const std::string dict = bytes.substr(start, header_len);
  Header h = DictParser{dict, 0, what}.parse();
  const Descr descr = parse_descr(h.descr, what);

  const size_t item = dtype_size(descr.dtype);
  size_t count = 1;
  for (int64_t d : h.shape)
    if (__builtin_mul_overflow(count, static_cast<size_t>(d), &count))
      bad(what, "shape " + shape_str(h.shape) + " is too large");
  size_t nbytes = 0;
  const size_t available = bytes.size() - start - header_len;
  if (__builtin_mul_overflow(count, item, &nbytes) || nbytes > available)
    bad(what, "data is shorter than shape " + shape_str(h.shape) + " needs (" +
                  (nbytes / item == count ? std::to_string(nbytes) : std::string("too many")) + " bytes of " +
                  dtype_name(descr.dtype) + ", file has " + std::to_string(available) + ")");

  Shape stored = h.shape;
  if (h.fortran) std::reverse(stored.begin(), stored.end());
  Tensor t = Tensor::empty(stored, descr.dtype);
  if (nbytes) std::memcpy(t.raw_data(), bytes.data() + start + header_len, nbytes);
  if (descr.big_endian) swap_bytes(static_cast<std::byte*>(t.raw_data()), count, item);
  if (descr.dtype == DType::boolean) {  // NumPy bools are 0/1; be strict about anything else
    auto* b = static_cast<unsigned char*>(t.raw_data());
    for (size_t i = 0; i < count; ++i)
      if (b[i] > 1) bad(what, "bool array holds byte value " + std::to_string(b[i]) + " (expected 0 or 1)");
  }
  if (h.fortran && h.shape.size() > 1) {
    std::vector<int64_t> dims(h.shape.size());
    std::iota(dims.rbegin(), dims.rend(), 0);
    t = t.permute(dims).contiguous();
  }
  return t;
}

std::string npy_encode(const Tensor& t_in) {
  check(t_in.defined(), "save_npy", "tensor is undefined");
  const Tensor t = t_in.contiguous();
  std::string shape = "(";
  for (size_t i = 0; i < t.shape().size(); ++i) shape += std::to_string(t.shape()[i]) + (i + 1 < t.shape().size() ? ", " : "");
  if (t.shape().size() == 1) shape += ",";
  shape += ")";
  std::string dict = "{'descr': '" + descr_of(t.dtype()) + "', 'fortran_order': False, 'shape': " + shape + ", }";
  // Pad with spaces so that the data starts on a 64-byte boundary, then a newline (as NumPy).
  const bool v2 = dict.size() + 1 + 10 > 65535;
  const size_t prefix = v2 ? 12 : 10;
  dict.append((64 - (prefix + dict.size() + 1) % 64) % 64, ' ');
  dict += '\n';
  std::string out(kMagic, 6);
  out += static_cast<char>(v2 ? 2 : 1);
  out += '\0';
  const size_t n = dict.size();
  out += static_cast<char>(n & 255);
  out += static_cast<char>((n >> 8) & 255);
  if (v2) {
    out += static_cast<char>((n >> 16) & 255);
    out += static_cast<char>((n >> 24) & 255);
  }
  out += dict;
  out.append(static_cast<const char*>(t.raw_data()), static_cast<size_t>(t.numel()) * t.element_size());
  return out;
}

Tensor load_npy(const std::string& path) { return npy_decode(read_file(path, "load_npy"), path); }

void save_npy(const std::string& path, const Tensor& t) { write_file_atomic(path, npy_encode(t), "save_npy"); }

}  // namespace ojo
