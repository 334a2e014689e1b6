#include "ctlcommand.h"

// One factory per subcommand, each in the file of its command.

std::vector<std::unique_ptr<CtlCommand>> makeCommands()
{
    std::vector<std::unique_ptr<CtlCommand>> commands;
    return commands;
}
