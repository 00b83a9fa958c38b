// ojo::Error — the one exception type of the library.
//
// Every message names the operation, what it got and what it expected, e.g.
//   "imread: /tmp/x.png: truncated PNG data (expected 480 rows, got 17)".
// Library code never aborts on user input; it throws ojo::Error.
#pragma once

#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>

namespace ojo {

class Error : public std::runtime_error {
 public:
  explicit Error(const std::string& message) : std::runtime_error(message) {}
};

namespace detail {
template <class... Args>
std::string concat(Args&&... args) {
  std::ostringstream out;
  (out << ... << std::forward<Args>(args));
  return out.str();
}
}  // namespace detail

// Throws ojo::Error("op: <message parts>") — the parts are streamed together.
template <class... Args>
[[noreturn]] void fail(std::string_view op, Args&&... parts) {
  throw Error(std::string(op) + ": " + detail::concat(std::forward<Args>(parts)...));
}

// Throws unless `condition` holds. The parts are evaluated before the call even when the check
// passes: on hot paths, build costly parts (shape_str) only inside `if (!condition) fail(...)`.
template <class... Args>
void check(bool condition, std::string_view op, Args&&... parts) {
  if (!condition) fail(op, std::forward<Args>(parts)...);
}

}  // namespace ojo
