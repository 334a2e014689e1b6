#pragma once

// weirctl's main: parses the command line, connects (from a URL, redis-cli's options or a
// saved profile with its password from the keychain), runs one subcommand and returns
// its exit code. Needs a QCoreApplication.
int runWeirctl();
