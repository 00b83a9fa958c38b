// The `ojo` command: `ojo OP [options] INPUT... OUTPUT` (DESIGN.md, "The ojo CLI").
//
// Exit codes: 0 success; 1 an operation failed (ojo::Error or any other exception, message on
// stderr as "ojo: <message>"); CLI11's own codes (non-zero) for usage errors such as a missing
// argument or an unknown option.
#include <exception>
#include <iostream>

#include <CLI/CLI.hpp>

#include "common.hpp"
#include "ojo/core/error.hpp"

#ifndef OJO_VERSION
#define OJO_VERSION "unknown"
#endif

namespace {

int report(const char* message) {
  std::cout.flush();
  std::cerr << "ojo: " << message << '\n';
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    CLI::App app{"ojo: computer vision from the command line. Images are read and written by file\n"
                 "extension (.png .jpg .jpeg .bmp .pgm .ppm .pnm), arrays as .npy.",
                 "ojo"};
    app.set_version_flag("--version", "ojo " OJO_VERSION, "Print the version and exit");
    app.require_subcommand(1);
    // Set before the subcommands are added: they copy it from their parent.
    app.failure_message([](const CLI::App*, const CLI::Error& e) {
      return std::string("ojo: ") + e.what() + "\nRun with --help for more information.\n";
    });
    for (const auto register_command : ojo::cli::kCommands) register_command(app);

    try {
      app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
      return app.exit(e);
    }
    std::cout.flush();
    if (!std::cout) return report("cannot write to standard output");
    return 0;
  } catch (const ojo::cli::ExitStatus& status) {
    return status.code;
  } catch (const std::exception& e) {
    return report(e.what());
  } catch (...) {
    return report("unknown error");
  }
}
