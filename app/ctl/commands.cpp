#include "ctlcommand.h"

// One factory per subcommand, each in the file of its command.
std::unique_ptr<CtlCommand> makeGroupsCommand();
std::unique_ptr<CtlCommand> makeConsumersCommand();
std::unique_ptr<CtlCommand> makePendingCommand();
std::unique_ptr<CtlCommand> makeEntriesCommand();

std::vector<std::unique_ptr<CtlCommand>> makeCommands()
{
    std::vector<std::unique_ptr<CtlCommand>> commands;
    commands.push_back(makeGroupsCommand());
    commands.push_back(makeConsumersCommand());
    commands.push_back(makePendingCommand());
    commands.push_back(makeEntriesCommand());
    return commands;
}
