package tenet.ops.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code tenet bench store [--quick]}: linearizable small writes and leader failover of Tenet's
 * store (real tenet-controller processes) next to etcd 3.4 (real etcd processes), same run, same
 * machine. Progress goes to stderr; the tables and, as the last line, a JSON object to stdout.
 */
public final class StoreBench {
  private static final int[] NODES = {1, 3};
  private static final String[] SYSTEMS = {"tenet", "etcd"};
  private static final int[] CLIENTS = {1, 16, 64};
  private static final int WARMUP_CLIENTS = 64;
  private static final Duration START_TIMEOUT = Duration.ofSeconds(90);

  private final StoreBenchArgs args;
  private final StoreBenchArgs.Plan plan;
  private final long startedAt = System.nanoTime();

  private StoreBench(StoreBenchArgs args) {
    this.args = args;
    this.plan = args.plan();
  }

  public static void main(String[] argv) {
    StoreBenchArgs args = BenchCommandLine.parse(new StoreBenchArgs(), argv);
    if (args == null) {
      return;
    }
    // The controllers' logback.xml is on the class path; the clients' INFO chatter is not wanted here.
    if (LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME) instanceof ch.qos.logback.classic.Logger root) {
      root.setLevel(ch.qos.logback.classic.Level.WARN);
    }
    System.exit(new StoreBench(args).run());
  }

  private void progress(String message) {
    System.err.printf(Locale.ROOT, "[bench %6.1fs] %s%n", (System.nanoTime() - startedAt) / 1e9, message);
  }

  private int run() {
    if (!Files.isExecutable(args.etcd())) {
      System.err.println("tenet bench store: etcd server " + args.etcd()
          + " is missing or not executable (Debian: apt-get install etcd-server; or pass --etcd FILE)");
      return 1;
    }
    Path root;
    try {
      root = Files.createTempDirectory("tenet-bench-");
    } catch (IOException e) {
      System.err.println("tenet bench store: cannot create a temporary directory: " + e.getMessage());
      return 1;
    }
    Children children = new Children();
    AtomicBoolean cleaned = new AtomicBoolean();
    Runnable cleanup = () -> {
      if (cleaned.compareAndSet(false, true)) {
        children.stopAll();
        deleteTree(root);
      }
    };
    // Ctrl-C, kill (TERM) or any failure: every started process is stopped by PID, the directory removed.
    Thread hook = new Thread(cleanup, "bench-cleanup");
    Runtime.getRuntime().addShutdownHook(hook);

    String run = Long.toString(ThreadLocalRandom.current().nextLong(36L * 36 * 36, 36L * 36 * 36 * 36), 36);
    Ports ports = new Ports();
    Report report = new Report(plan.mode());
    progress(String.format(Locale.ROOT, "%s run %s: %s s warm-up per cluster, %s s warm-up + %s s measured per row, "
        + "%d failover trials (%s); in %s", plan.mode(), run, seconds(plan.systemWarmup()), seconds(plan.rowWarmup()),
        seconds(plan.window()), plan.failoverTrials(), plan.etcdFailover() ? "tenet and etcd" : "tenet only", root));
    boolean failed = false;
    try {
      for (int nodes : NODES) {
        for (String system : SYSTEMS) {
          if (!args.nodes().contains(nodes) || !args.systems().contains(system)) {
            continue;
          }
          Path dir = root.resolve(system + "-" + nodes);
          long t = System.nanoTime();
          try (StoreCluster cluster = system.equals("tenet")
              ? TenetCluster.start(nodes, dir, ports, children, run, START_TIMEOUT)
              : EtcdCluster.start(args.etcd(), nodes, dir, ports, children, run, START_TIMEOUT)) {
            progress(String.format(Locale.ROOT, "%s, %d node(s): up in %.1f s; warming up", system, nodes, (System.nanoTime() - t) / 1e9));
            LoadDriver.run(cluster, WARMUP_CLIENTS, Duration.ZERO, plan.systemWarmup());
            for (int clients : CLIENTS) {
              LoadDriver.Row row = LoadDriver.run(cluster, clients, plan.rowWarmup(), plan.window());
              report.add(row);
              progress(String.format(Locale.ROOT, "%s, %d node(s), %d client(s): %.0f writes/s, p50 %.2f ms, p99 %.2f ms%s",
                  system, nodes, clients, row.writesPerSecond(), row.p50Ms(), row.p99Ms(),
                  row.errors() == 0 ? "" : ", " + row.errors() + " errors (first: " + row.firstError() + ")"));
            }
            if (nodes == 3 && (system.equals("tenet") || plan.etcdFailover())) {
              Failover.Result result = Failover.run(cluster, plan.failoverTrials(), plan.failoverSettle(), this::progress);
              report.add(result);
              if (result.error() != null) {
                progress(system + " failover stopped: " + result.error());
                failed |= system.equals("tenet");
              }
            }
          }
          progress(String.format(Locale.ROOT, "%s, %d node(s): stopped", system, nodes));
          deleteTree(dir);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      System.err.println("tenet bench store: interrupted");
      cleanup.run();
      return 1;
    } catch (Exception e) {
      // After Ctrl-C the hook has stopped the processes under our feet: say so, not what broke.
      System.err.println("tenet bench store: " + (cleaned.get() ? "interrupted" : e.getMessage()));
      cleanup.run();
      return 1;
    }
    cleanup.run();
    Runtime.getRuntime().removeShutdownHook(hook);
    progress("done; every process stopped, " + root + " removed");
    report.print(System.out);
    return failed ? 1 : 0;
  }

  private static String seconds(Duration d) {
    return String.format(Locale.ROOT, "%.1f", d.toMillis() / 1000.0);
  }

  /** Removes {@code root} and everything under it; says so on stderr when it cannot. */
  static void deleteTree(Path root) {
    // TENET_BENCH_KEEP=1 keeps the nodes' directories and logs, to read what a failed trial did.
    if (!Files.exists(root) || "1".equals(System.getenv("TENET_BENCH_KEEP"))) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      List<Path> all = paths.sorted(Comparator.reverseOrder()).toList();
      for (Path p : all) {
        Files.deleteIfExists(p);
      }
    } catch (IOException | UncheckedIOException e) {
      System.err.println("tenet bench: could not remove " + root + ": " + e.getMessage());
    }
  }
}
