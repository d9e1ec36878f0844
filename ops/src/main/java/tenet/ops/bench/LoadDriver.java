package tenet.ops.bench;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Closed-loop clients: each issues its next write when the previous one is acknowledged. Client
 * {@code c} writes through node {@code c % size}. After a warm-up, every write acknowledged
 * inside the measurement window counts (throughput) and its latency is recorded. The CPU time
 * the store's processes and this JVM (the clients) use in the window is sampled at its edges.
 */
final class LoadDriver {
  private static final Duration DEADLINE = Duration.ofSeconds(10);

  /** One measured row; CPU figures are microseconds of CPU per acknowledged write. */
  record Row(String system, int nodes, int clients, long writes, long errors, double seconds,
      double writesPerSecond, double p50Ms, double p99Ms, double serverCpuUsPerWrite, double clientCpuUsPerWrite,
      String firstError) {}

  private LoadDriver() {}

  static Row run(StoreCluster cluster, int clients, Duration warmup, Duration window) throws InterruptedException {
    Latencies latencies = new Latencies(clients);
    AtomicLong errors = new AtomicLong();
    AtomicReference<String> firstError = new AtomicReference<>();
    long from = System.nanoTime() + warmup.toNanos();
    long to = from + window.toNanos();
    long serverCpu;
    long clientCpu;
    try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int c = 0; c < clients; c++) {
        int client = c;
        int node = c % cluster.size();
        threads.submit(() -> {
          while (true) {
            long start = System.nanoTime();
            if (start >= to) {
              return;
            }
            try {
              cluster.write(node, DEADLINE);
              long end = System.nanoTime();
              if (end >= from && end < to) {
                latencies.record(client, end - start);
              }
            } catch (Exception e) {
              long end = System.nanoTime();
              if (end >= from && end < to) {
                errors.incrementAndGet();
              }
              firstError.compareAndSet(null, e.toString());
              try {
                Thread.sleep(10);
              } catch (InterruptedException stop) {
                return;
              }
            }
          }
        });
      }
      sleepUntil(from);
      serverCpu = cluster.cpu().toNanos();
      clientCpu = ownCpuNanos();
      sleepUntil(to);
      serverCpu = cluster.cpu().toNanos() - serverCpu;
      clientCpu = ownCpuNanos() - clientCpu;
    }
    long[] sorted = latencies.sorted();
    double seconds = window.toNanos() / 1e9;
    double perWrite = sorted.length == 0 ? Double.NaN : 1e-3 / sorted.length;
    return new Row(cluster.system(), cluster.size(), clients, sorted.length, errors.get(), seconds,
        sorted.length / seconds, Latencies.percentileMs(sorted, 50), Latencies.percentileMs(sorted, 99),
        serverCpu * perWrite, clientCpu * perWrite, firstError.get());
  }

  private static void sleepUntil(long nanoTime) throws InterruptedException {
    long wait = nanoTime - System.nanoTime();
    if (wait > 0) {
      Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
    }
  }

  private static long ownCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
  }
}
