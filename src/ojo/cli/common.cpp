#include "common.hpp"

#include <charconv>
#include <cmath>
#include <cstdio>

#include "ojo/io/file.hpp"
#include "ojo/io/npy.hpp"

namespace ojo::cli {

bool is_npy(const std::string& path) { return file_extension(path) == ".npy"; }

Tensor read_array(const std::string& path, ImreadMode mode) {
  return is_npy(path) ? load_npy(path) : imread(path, mode);
}

void write_array(const std::string& path, const Tensor& t, const ImwriteOptions& options) {
  if (is_npy(path))
    save_npy(path, t);
  else
    imwrite(path, t, options);
}

std::string json_string(const std::string& s) {
  std::string out = "\"";
  for (const char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\t': out += "\\t"; break;
      case '\r': out += "\\r"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(c));
          out += buf;
        } else {
          out += c;
        }
    }
  }
  return out + "\"";
}

std::string short_number(double v) {
  char buf[64];
  const auto result = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, result.ptr);
}

std::string json_number(double v) {
  if (!std::isfinite(v)) return "null";
  std::string s = short_number(v);
  if (s.find_first_of(".e") == std::string::npos) s += ".0";
  return s;
}

}  // namespace ojo::cli
