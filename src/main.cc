#include "cli/app.h"

int main(int argc, char** argv) { return daybook::RunCli(argc, argv); }
