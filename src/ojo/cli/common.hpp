// What every `ojo` command shares: the command list, reading and writing arrays by extension,
// and JSON output. Option values are parsed by values.hpp.
//
// Adding a command: write src/ojo/cli/<name>.cpp with `void register_<name>(CLI::App& app)` that
// adds a subcommand and its callback, declare it below and append it to kCommands. The callback
// does the work and throws ojo::Error on failure; main() prints "ojo: <message>" and exits 1.
#pragma once

#include <string>

#include <CLI/CLI.hpp>

#include "ojo/core/tensor.hpp"
#include "ojo/io/image.hpp"

namespace ojo::cli {

void register_info(CLI::App& app);
void register_convert(CLI::App& app);
void register_morphology(CLI::App& app);  // erode, dilate, morphologyex, getstructuringelement
void register_geometry(CLI::App& app);    // resize, flip, getrotationmatrix2d, warpaffine
void register_color(CLI::App& app);       // cvtcolor
void register_mask(CLI::App& app);        // inrange, bitwise_*, setto, chromakey
void register_channels(CLI::App& app);    // split, merge
void register_threshold(CLI::App& app);   // threshold, adaptivethreshold, canny, calchist, equalizehist, lut
void register_filter(CLI::App& app);      // filter2d, sepfilter2d, gaussianblur, blur, boxfilter, sobel, scharr, laplacian, medianblur
void register_learn(CLI::App& app);       // train, eval, predict

// Subcommands in the order `ojo --help` lists them.
inline constexpr void (*kCommands[])(CLI::App&) = {
    register_info,
    register_convert,
    register_morphology,
    register_geometry,
    register_color,
    register_mask,
    register_channels,
    register_threshold,
    register_filter,
    register_learn,
};

// Thrown by a command that already reported its errors on stderr (e.g. `info` on several files,
// some unreadable): main() exits with `code` and prints nothing more.
struct ExitStatus {
  int code;
};

bool is_npy(const std::string& path);

// A .npy file as stored, or an image file through imread(path, mode).
Tensor read_array(const std::string& path, ImreadMode mode = ImreadMode::unchanged);
// By the extension of `path`: .npy stores the exact array; anything else goes through imwrite.
void write_array(const std::string& path, const Tensor& t, const ImwriteOptions& options = {});

// JSON fragments: a quoted, escaped string; a number as Python's json module writes a float
// (shortest round-trip form, "127.0" for integral values), or null if not finite.
std::string json_string(const std::string& s);
std::string json_number(double v);
// The shortest form that reads back as `v` ("255", "0.5", "1e-07") for plain-text output.
std::string short_number(double v);

}  // namespace ojo::cli
