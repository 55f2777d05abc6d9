import Foundation

// Dispatches the subcommand; everything else lives in Support/ and Experiments/.
// Exit status: 0 success, 1 an experiment failed, 64 a usage error.

Registry.validate()
let arguments = CommandLine.arguments.dropFirst()
let rest = arguments.dropFirst()
let status: Int32

switch arguments.first {
case nil:
  status = Runner.usageError(.missingCommand, Usage.general)
case "help", "--help", "-h":
  status = Runner.help(rest)
case "list":
  status = Runner.list(rest)
case "all":
  status = Runner.runAll(rest)
case let command?:
  status =
    command.hasPrefix("-")
    ? Runner.usageError(.missingCommand, Usage.general)
    : Runner.runOne(command, rest)
}

exit(status)
