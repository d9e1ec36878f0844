package tenet.ops.bench;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The command line of {@code tenet bench agent}. */
@Command(name = "tenet bench agent", mixinStandardHelpOptions = true, description = {
    "N flows through a real tenet-agent into a private ovs-vswitchd, against raw ovs-ofctl --bundle add-flows in the"
        + " same run, then an agent restart with nothing changed. Ends with one JSON line."})
final class AgentBenchArgs {
  @Option(names = "--flows", required = true, paramLabel = "N", description = "Flows in the full set, 1..1000000.")
  int flows;

  @Option(names = "--rounds", paramLabel = "R", defaultValue = "5", description = {
      "Rounds of raw ovs-ofctl then agent, each on an empty bridge with a new agent process, 1..50 (default: ${DEFAULT-VALUE}).",
      "The figures are each side's median: the raw side alone varies by 10-20 %% from one run to the next here."})
  int rounds;

  /** The parsed command line, or null when help or the version was printed. @throws CommandLine.ParameterException naming the bad argument */
  static AgentBenchArgs parse(String[] args) {
    AgentBenchArgs parsed = new AgentBenchArgs();
    CommandLine line = new CommandLine(parsed);
    line.parseArgs(args);
    if (line.isUsageHelpRequested()) {
      line.usage(System.out);
      return null;
    }
    if (parsed.flows < 1 || parsed.flows > 1_000_000) {
      throw new CommandLine.ParameterException(line, "--flows must be 1..1000000, got " + parsed.flows);
    }
    if (parsed.rounds < 1 || parsed.rounds > 50) {
      throw new CommandLine.ParameterException(line, "--rounds must be 1..50, got " + parsed.rounds);
    }
    return parsed;
  }
}
