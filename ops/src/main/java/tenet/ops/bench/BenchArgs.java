package tenet.ops.bench;

import java.nio.file.Path;
import java.time.Duration;

/** The command line of {@code tenet bench store} and the timings it implies. */
record BenchArgs(boolean quick, Path etcd, boolean help) {

  static final String USAGE = """
      usage: tenet bench store [--quick] [--etcd FILE]
        --quick       short windows, Tenet's failover trials only (under 2 minutes in all)
        --etcd FILE   the etcd 3.4 server binary (default /usr/bin/etcd)
        -h, --help    this text""";

  /** A bad command line: the message names the argument. */
  static final class UsageException extends Exception {
    private static final long serialVersionUID = 1L;

    UsageException(String message) {
      super(message);
    }
  }

  static BenchArgs parse(String[] args) throws UsageException {
    boolean quick = false;
    boolean help = false;
    Path etcd = Path.of("/usr/bin/etcd");
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      switch (a) {
        case "--quick" -> quick = true;
        case "-h", "--help" -> help = true;
        case "--etcd" -> {
          if (i + 1 >= args.length || args[i + 1].isEmpty() || args[i + 1].startsWith("-")) {
            throw new UsageException("argument '--etcd' needs a FILE");
          }
          etcd = Path.of(args[++i]);
        }
        default -> {
          if (a.startsWith("--etcd=") && a.length() > "--etcd=".length()) {
            etcd = Path.of(a.substring("--etcd=".length()));
          } else {
            throw new UsageException("unknown argument '" + a + "'");
          }
        }
      }
    }
    return new BenchArgs(quick, etcd, help);
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
