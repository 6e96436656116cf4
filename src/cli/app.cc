#include "cli/app.h"

namespace daybook {
int RunCli(int argc, char** argv) { return 0; }
}
