// The `ojo` command: `ojo OP [options] INPUT... OUTPUT` (DESIGN.md, "The ojo CLI").
//
// Exit codes: 0 success; 1 an operation failed (ojo::Error or any other exception, message on
// stderr as "ojo: <message>"); CLI11's own codes (non-zero) for usage errors such as a missing
// argument or an unknown option.
#include <exception>
#include <iostream>
#include <string>
#include <utility>

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
    // Names the subcommand whose --help to read, if one was given.
    app.failure_message([](const CLI::App* a, const CLI::Error& e) {
      const auto used = a->get_subcommands();
      const std::string help = used.empty() ? "ojo --help" : "ojo " + used.front()->get_name() + " --help";
      return std::string("ojo: ") + e.what() + "\nRun `" + help + "` for more information.\n";
    });
    for (const auto register_command : ojo::cli::kCommands) register_command(app);

    // CLI11 would report an unknown command as "A subcommand is required"; name it instead.
    if (argc > 1 && argv[1][0] != '-') {
      std::string names;
      bool known = false;
      for (const CLI::App* sub : std::as_const(app).get_subcommands(nullptr)) {
        known = known || sub->check_name(argv[1]);
        names += (names.empty() ? "" : ", ") + sub->get_name();
      }
      if (!known) {
        std::cerr << "ojo: unknown command '" << argv[1] << "' (commands: " << names
                  << ")\nRun `ojo --help` for more information.\n";
        return static_cast<int>(CLI::ExitCodes::ExtrasError);
      }
    }

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
