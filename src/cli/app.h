// File: cli/app.h
//
// The `daybook` command line (spec §5): parses flags, resolves the
// configuration and the clock, dispatches to a command and maps its Status
// to an exit code (0 ok, 1 run/check failed, 2 usage/config, 3 locked).
#pragma once

namespace daybook {
int RunCli(int argc, char** argv);
}
