package tenet.ops.bench;

import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The command line of {@code tenet bench store} and the timings it implies. */
@Command(name = "tenet bench store", description = {
    "Tenet's store next to etcd 3.4: writes at 1 and 3 nodes, then failover; ends with one JSON line."})
final class StoreBenchArgs implements BenchCommandLine.Checked {
  @Mixin
  BenchCommandLine.Help help;

  @Option(names = "--quick", description = "Short windows, Tenet's failover trials only (under 2 minutes in all).")
  private boolean quick;

  @Option(names = "--etcd", paramLabel = "FILE", defaultValue = "/usr/bin/etcd", description =
      "The etcd 3.4 server binary (default ${DEFAULT-VALUE}).")
  private Path etcd;

  @Option(names = "--system", paramLabel = "NAME", split = ",", description =
      "Only these systems: tenet, etcd (default both; for targeted runs, the ratio needs both).")
  private java.util.List<String> systems = java.util.List.of("tenet", "etcd");

  @Option(names = "--nodes", paramLabel = "N", split = ",", description =
      "Only clusters of these sizes: 1, 3 (default both; failover runs at 3).")
  private java.util.List<Integer> nodes = java.util.List.of(1, 3);

  Path etcd() {
    return etcd;
  }

  java.util.List<String> systems() {
    return systems;
  }

  java.util.List<Integer> nodes() {
    return nodes;
  }

  @Override
  public void check(CommandLine line) {
    for (String s : systems) {
      if (!s.equals("tenet") && !s.equals("etcd")) {
        throw new CommandLine.ParameterException(line, "--system: tenet or etcd, not '" + s + "'");
      }
    }
    for (int n : nodes) {
      if (n != 1 && n != 3) {
        throw new CommandLine.ParameterException(line, "--nodes: 1 or 3, not " + n);
      }
    }
  }

  /**
   * How long each phase runs. The full run warms each cluster up for a minute: three JVMs
   * compiling Ratis, gRPC and Netty share two cores, and their throughput was still climbing
   * after 15 s (measured: 1 client on 3 nodes went from 73 to ~550 writes/s over two minutes).
   * etcd gets the same warm-up. The etcd failover trials (10 x about 2 s, etcd's election timeout is
   * 1 s) do not fit in --quick's two minutes next to Tenet's, so only the full run has them.
   */
  record Plan(String mode, Duration systemWarmup, Duration rowWarmup, Duration window, Duration failoverSettle,
      int failoverTrials, boolean etcdFailover) {}

  Plan plan() {
    return quick
        ? new Plan("quick", Duration.ofMillis(1000), Duration.ofMillis(200), Duration.ofMillis(1000), Duration.ofMillis(50), 10, false)
        : new Plan("full", Duration.ofSeconds(60), Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofMillis(500), 10, true);
  }
}
