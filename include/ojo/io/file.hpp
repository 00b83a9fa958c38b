// Whole-file reads and crash-safe writes, shared by every file format.
#pragma once

#include <string>

namespace ojo {

// Reads a whole file. `op` names the caller in errors ("imread: cannot open /x.png: No such file").
std::string read_file(const std::string& path, const std::string& op);

// Writes `bytes` to a temporary file beside `path`, flushes it, then renames it over `path`:
// either the whole new file is there, or the old state is untouched.
void write_file_atomic(const std::string& path, const std::string& bytes, const std::string& op);

// Lower-case extension with the dot (".png"), or "" if none.
std::string file_extension(const std::string& path);

}  // namespace ojo
