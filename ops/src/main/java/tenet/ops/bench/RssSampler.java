package tenet.ops.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.LongSupplier;

/**
 * The largest resident set of any of a few processes over a run: each one's peak (VmHWM, which
 * the kernel keeps between samples) read every {@code interval}, so a process killed on the way
 * still counts up to its last sample.
 */
final class RssSampler implements AutoCloseable {
  private final LongSupplier[] pids;
  private final Thread thread;
  private volatile long maxKib;
  private volatile boolean stopped;

  /** {@code pids}: each process' pid now (it may change: a restarted process), or 0 while none. */
  RssSampler(long intervalMillis, LongSupplier... pids) {
    this.pids = pids.clone();
    this.thread = Thread.ofPlatform().daemon().name("rss-sampler").start(() -> {
      while (!stopped) {
        sample();
        try {
          Thread.sleep(intervalMillis);
        } catch (InterruptedException e) {
          return;
        }
      }
    });
  }

  /** The largest peak seen so far, in MiB. */
  long maxMib() {
    sample();
    return maxKib >> 10;
  }

  private synchronized void sample() {
    for (LongSupplier pid : pids) {
      long p = pid.getAsLong();
      if (p > 0) {
        maxKib = Math.max(maxKib, peakKib(p));
      }
    }
  }

  /** VmHWM of process {@code pid} in KiB; 0 when it is gone. */
  static long peakKib(long pid) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
        if (line.startsWith("VmHWM:")) {
          return Long.parseLong(line.substring(6).trim().split("\\s+")[0]);
        }
      }
    } catch (IOException | RuntimeException e) {
      // gone
    }
    return 0;
  }

  @Override
  public void close() {
    stopped = true;
    thread.interrupt();
  }
}
