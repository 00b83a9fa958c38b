// ojo::Error — the one exception type of the library.
//
// Every message names the operation, what it got and what it expected, e.g.
//   "imread: /tmp/x.png: truncated PNG data (expected 480 rows, got 17)".
// Library code never aborts on user input; it throws ojo::Error.
#pragma once

#include <sstream>
#include <stdexcept>
#include <string>
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
[[noreturn]] void fail(const std::string& op, Args&&... parts) {
  throw Error(op + ": " + detail::concat(std::forward<Args>(parts)...));
}

// Throws unless `condition` holds.
template <class... Args>
void check(bool condition, const std::string& op, Args&&... parts) {
  if (!condition) fail(op, std::forward<Args>(parts)...);
}

}  // namespace ojo
