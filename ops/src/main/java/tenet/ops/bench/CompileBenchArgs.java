package tenet.ops.bench;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The command line of {@code tenet bench compile}. The OVN side (ops/lib/bench-compile-ovn.py)
 * takes its figures from the Tenet side's JSON line, so this is the one parser of both.
 */
@Command(name = "tenet bench compile", description = {
    "One topology through Tenet's compiler (in process) and then OVN's ovn-northd; ends with one JSON line."})
final class CompileBenchArgs implements BenchCommandLine.Checked {
  @Mixin
  BenchCommandLine.Help help;

  @Option(names = "--ports", paramLabel = "N", defaultValue = "4000", description =
      "VM ports, a multiple of 40: N/40 tenants of 1 router and 4 switches of 10 ports (default ${DEFAULT-VALUE}).")
  private int ports;

  @Option(names = "--chassis", paramLabel = "C", defaultValue = "100", description =
      "Hypervisors; ports are bound to them in turn (default ${DEFAULT-VALUE}).")
  private int chassis;

  @Option(names = "--increments", paramLabel = "K", defaultValue = "200", description =
      "Tenet's measured one-port additions (default ${DEFAULT-VALUE}).")
  private int increments;

  @Option(names = "--warmup", paramLabel = "W", defaultValue = "500", description =
      "Unmeasured additions, each removed again, before them (default ${DEFAULT-VALUE}).")
  private int warmup;

  @Option(names = "--seed", paramLabel = "S", defaultValue = "1", description =
      "Which switches get the added ports (default ${DEFAULT-VALUE}).")
  private long seed;

  @Option(names = "--ovn-increments", paramLabel = "R", defaultValue = "5", description =
      "OVN's measured `lsp-add --wait=sb`s (default ${DEFAULT-VALUE}; ~30 s each at 100000 ports).")
  private int ovnIncrements;

  @Option(names = "--no-ovn", description = "Tenet only, even when ovn-central is installed.")
  private boolean noOvn;

  @Override
  public void check(CommandLine line) {
    if (ports <= 0 || ports % CompileTopology.PORTS_PER_TENANT != 0) {
      throw new CommandLine.ParameterException(line,
          "--ports must be a positive multiple of " + CompileTopology.PORTS_PER_TENANT + ", not " + ports);
    }
    if (chassis <= 0 || increments <= 0 || ovnIncrements <= 0 || warmup < 0) {
      throw new CommandLine.ParameterException(line,
          "--chassis, --increments and --ovn-increments must be positive, --warmup not negative");
    }
    // OpenFlow numbers a bridge's ports 1..65279: more VMs than that cannot share one hypervisor.
    if ((ports + warmup + increments + chassis - 1) / chassis > 65_000) {
      throw new CommandLine.ParameterException(line, "more than 65000 ports per chassis: add chassis");
    }
  }

  int ports() {
    return ports;
  }

  int chassis() {
    return chassis;
  }

  int increments() {
    return increments;
  }

  int warmup() {
    return warmup;
  }

  long seed() {
    return seed;
  }

  boolean ovn() {
    return !noOvn;
  }

  int ovnIncrements() {
    return ovnIncrements;
  }
}
