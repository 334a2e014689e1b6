#include "ctlcommand.h"

// One factory per subcommand, each in the file of its command.
std::unique_ptr<CtlCommand> makeStreamsCommand();
std::unique_ptr<CtlCommand> makeGroupsCommand();
std::unique_ptr<CtlCommand> makeConsumersCommand();
std::unique_ptr<CtlCommand> makePendingCommand();
std::unique_ptr<CtlCommand> makeEntriesCommand();
std::unique_ptr<CtlCommand> makeDeadLettersCommand();
std::unique_ptr<CtlCommand> makeAckCommand();
std::unique_ptr<CtlCommand> makeClaimCommand();
std::unique_ptr<CtlCommand> makeAutoClaimCommand();
std::unique_ptr<CtlCommand> makeTrimCommand();
std::unique_ptr<CtlCommand> makeDeleteCommand();
std::unique_ptr<CtlCommand> makeMoveToDlqCommand();
std::unique_ptr<CtlCommand> makeReplayCommand();
std::unique_ptr<CtlCommand> makeExportCommand();
std::unique_ptr<CtlCommand> makeImportCommand();
std::unique_ptr<CtlCommand> makeCheckCommand();

std::vector<std::unique_ptr<CtlCommand>> makeCommands()
{
    std::vector<std::unique_ptr<CtlCommand>> commands;
    commands.push_back(makeStreamsCommand());
    commands.push_back(makeGroupsCommand());
    commands.push_back(makeConsumersCommand());
    commands.push_back(makePendingCommand());
    commands.push_back(makeEntriesCommand());
    commands.push_back(makeDeadLettersCommand());
    commands.push_back(makeAckCommand());
    commands.push_back(makeClaimCommand());
    commands.push_back(makeAutoClaimCommand());
    commands.push_back(makeTrimCommand());
    commands.push_back(makeDeleteCommand());
    commands.push_back(makeMoveToDlqCommand());
    commands.push_back(makeReplayCommand());
    commands.push_back(makeExportCommand());
    commands.push_back(makeImportCommand());
    commands.push_back(makeCheckCommand());
    return commands;
}
