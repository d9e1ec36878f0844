package tenet.ops.bench;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The command line of {@code tenet bench agent}. */
@Command(name = "tenet bench agent", description = {
    "N flows through a real tenet-agent into a private ovs-vswitchd, against raw ovs-ofctl --bundle add-flows in the"
        + " same run, then an agent restart with nothing changed. Ends with one JSON line."})
final class AgentBenchArgs implements BenchCommandLine.Checked {
  @Mixin
  BenchCommandLine.Help help;

  @Option(names = "--flows", required = true, paramLabel = "N", description = "Flows in the full set, 1..1000000.")
  int flows;

  @Option(names = "--rounds", paramLabel = "R", defaultValue = "5", description = {
      "Rounds of raw ovs-ofctl then agent, each on an empty bridge with a new agent process, 1..50 (default: ${DEFAULT-VALUE}).",
      "The figures are each side's median: the raw side alone varies by 10-20 %% from one run to the next here."})
  int rounds;

  @Override
  public void check(CommandLine line) {
    if (flows < 1 || flows > 1_000_000) {
      throw new CommandLine.ParameterException(line, "--flows must be 1..1000000, got " + flows);
    }
    if (rounds < 1 || rounds > 50) {
      throw new CommandLine.ParameterException(line, "--rounds must be 1..50, got " + rounds);
    }
  }
}
