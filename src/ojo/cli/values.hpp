// The value syntax of `ojo` options (DESIGN.md, "The ojo CLI"), shared by every command.
//
//   constants  OpenCV names, with or without their prefix, any case:
//                --code COLOR_RGB2HSV = --code RGB2HSV = --code rgb2hsv
//              an integer that is one of the table's values (--imread-mode -1);
//              for flag tables, several combined with `|`  (--type THRESH_BINARY|THRESH_OTSU)
//   lists      comma-separated numbers:  --lowerb 0,0,180
//   sizes      "W,H", or one number for a square:  --ksize 5 = --ksize 5,5;  --dsize 320,240
//   matrices   rows separated by `;`:  --kernel "0,-1,0;-1,5,-1;0,-1,0"   (f64 {rows, cols}),
//              or a path to a 2-d .npy file
//   booleans   true/false, 1/0, yes/no, on/off
//
// Every parser takes the option name (e.g. "--ksize") and throws ojo::Error naming it, the text
// it got and what it accepts.
//
// Header-only on purpose: the CLI is not part of libojo, and tests/cli includes this file to test
// the parsers directly.
#pragma once

#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "ojo/core/error.hpp"
#include "ojo/core/tensor.hpp"
#include "ojo/io/file.hpp"
#include "ojo/io/npy.hpp"

namespace ojo::cli {

// Named integer constants for one option, as OpenCV spells them ("IMREAD_GRAYSCALE") plus any
// short aliases ("gray"). `prefix` ("IMREAD_") may be left out by the user.
struct ConstantTable {
  std::string_view prefix;
  std::vector<std::pair<std::string_view, int>> names;
  bool flags = false;  // values may be combined with `|` (bitwise or)
};

namespace detail {

inline std::string trim(std::string_view s) {
  size_t b = 0, e = s.size();
  while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) --e;
  return std::string(s.substr(b, e - b));
}

inline std::string upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

inline std::vector<std::string> split(std::string_view s, char sep) {
  std::vector<std::string> parts;
  size_t start = 0;
  while (true) {
    const size_t pos = s.find(sep, start);
    parts.push_back(trim(s.substr(start, pos == std::string_view::npos ? std::string_view::npos : pos - start)));
    if (pos == std::string_view::npos) return parts;
    start = pos + 1;
  }
}

// Whole-string number parsing; false on anything left over, overflow or an empty string.
inline bool to_double(const std::string& s, double& out) {
  if (s.empty()) return false;
  char* end = nullptr;
  errno = 0;
  out = std::strtod(s.c_str(), &end);
  return end == s.c_str() + s.size() && errno != ERANGE && std::isfinite(out);
}

inline bool to_int(const std::string& s, int64_t& out) {
  if (s.empty()) return false;
  char* end = nullptr;
  errno = 0;
  out = std::strtoll(s.c_str(), &end, 10);
  return end == s.c_str() + s.size() && errno != ERANGE;
}

}  // namespace detail

// "IMREAD_GRAYSCALE", "GRAYSCALE", "grayscale", "gray" (alias), "0" -> 0.
inline int parse_constant(const std::string& option, const std::string& text, const ConstantTable& table) {
  const auto one = [&](const std::string& word) -> int {
    const std::string w = detail::upper(word);
    for (const auto& [name, value] : table.names) {
      const std::string n = detail::upper(name);
      if (w == n) return value;
      if (!table.prefix.empty() && n.starts_with(detail::upper(table.prefix)) &&
          w == n.substr(table.prefix.size()))
        return value;
    }
    int64_t number = 0;
    if (detail::to_int(word, number)) {
      if (table.flags && number >= INT32_MIN && number <= INT32_MAX) return static_cast<int>(number);
      for (const auto& entry : table.names)
        if (entry.second == number) return entry.second;
    }
    std::string accepted;
    for (const auto& entry : table.names) accepted += (accepted.empty() ? "" : ", ") + std::string(entry.first);
    fail(option, "unknown value '", word, "' (expected one of ", accepted,
         table.prefix.empty() ? "" : "; the prefix " + std::string(table.prefix) + " may be left out", ")");
  };
  const std::vector<std::string> words = detail::split(text, '|');
  if (words.size() > 1 && !table.flags) fail(option, "'", text, "' combines values with |, which this option does not allow");
  int value = 0;
  for (const std::string& word : words) value |= one(word);
  return value;
}

// "0,0,180" -> {0, 0, 180}. Throws on an empty item or anything that is not a finite number.
inline std::vector<double> parse_list(const std::string& option, const std::string& text) {
  std::vector<double> values;
  for (const std::string& item : detail::split(text, ',')) {
    double v = 0;
    if (!detail::to_double(item, v))
      fail(option, "'", text, "' is not a comma-separated list of numbers (bad item '", item, "')");
    values.push_back(v);
  }
  return values;
}

// Like parse_list, for integers ("3,3" -> {3, 3}).
inline std::vector<int64_t> parse_int_list(const std::string& option, const std::string& text) {
  std::vector<int64_t> values;
  for (const std::string& item : detail::split(text, ',')) {
    int64_t v = 0;
    if (!detail::to_int(item, v))
      fail(option, "'", text, "' is not a comma-separated list of integers (bad item '", item, "')");
    values.push_back(v);
  }
  return values;
}

// OpenCV's cv::Size: "W,H" or "N" for N,N.
struct Size2 {
  int64_t width = 0, height = 0;
};
inline Size2 parse_size(const std::string& option, const std::string& text) {
  const std::vector<int64_t> v = parse_int_list(option, text);
  if (v.size() == 1) return {v[0], v[0]};
  if (v.size() == 2) return {v[0], v[1]};
  fail(option, "'", text, "' has ", v.size(), " numbers; expected W,H or one number for a square");
}

// "0,-1,0;-1,5,-1;0,-1,0" -> f64 {3, 3}; "k.npy" -> that 2-d array as f64.
inline Tensor parse_matrix(const std::string& option, const std::string& text) {
  if (file_extension(text) == ".npy") {
    const Tensor m = load_npy(text);
    if (m.dim() != 2) fail(option, text, " holds an array of shape ", shape_str(m.shape()), "; expected a 2-d matrix");
    return m.to(DType::f64);
  }
  std::vector<double> values;
  int64_t rows = 0, cols = -1;
  for (const std::string& row : detail::split(text, ';')) {
    const std::vector<double> r = parse_list(option, row);
    if (cols >= 0 && static_cast<int64_t>(r.size()) != cols)
      fail(option, "'", text, "' has rows of ", cols, " and ", r.size(), " numbers; every row needs the same count");
    cols = static_cast<int64_t>(r.size());
    values.insert(values.end(), r.begin(), r.end());
    ++rows;
  }
  return Tensor::from_vector(values, {rows, cols});
}

// true/false, 1/0, yes/no, on/off (any case).
inline bool parse_bool(const std::string& option, const std::string& text) {
  const std::string t = detail::upper(detail::trim(text));
  if (t == "TRUE" || t == "1" || t == "YES" || t == "ON") return true;
  if (t == "FALSE" || t == "0" || t == "NO" || t == "OFF") return false;
  fail(option, "'", text, "' is not a boolean (expected true or false)");
}

}  // namespace ojo::cli
