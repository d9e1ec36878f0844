package tenet.ops.bench;

import java.io.IOException;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicReferenceArray;

/** What the compared clusters share: one OS process per node, killed, restarted and measured alike. */
abstract class ProcessCluster implements StoreCluster {
  protected final AtomicReferenceArray<Children.Child> processes;

  ProcessCluster(int size) {
    this.processes = new AtomicReferenceArray<>(size);
  }

  /** Starts node i's process (again) with its configuration and data. */
  abstract void launch(int i) throws IOException;

  /** Until node i answers and names a leader; fails when its process exits or the deadline passes. */
  abstract void awaitServing(int i, long deadlineNanos) throws Exception;

  /** How far node i has applied (Tenet: store revision; etcd: raft index); throws while it cannot say. */
  abstract long applied(int i) throws Exception;

  /** "controller c2", "etcd m2": for messages. */
  abstract String nodeName(int i);

  @Override
  public void kill(int node) {
    Children.kill9(processes.get(node));
  }

  /** Back = it answers, names a leader, and has applied what the leader had applied when it came up. */
  @Override
  public String restartAndAwaitRejoined(int node, Duration timeout) throws Exception {
    long start = System.nanoTime();
    long deadline = start + timeout.toNanos();
    launch(node);
    awaitServing(node, deadline);
    long serving = System.nanoTime();
    long target = applied(leader(Duration.ofNanos(Math.max(0, deadline - System.nanoTime()))));
    while (true) {
      try {
        if (applied(node) >= target) {
          return String.format(Locale.ROOT, "answering with a leader after %.1f s, caught up after %.1f s",
              (serving - start) / 1e9, (System.nanoTime() - start) / 1e9);
        }
      } catch (Exception e) {
        // not yet
      }
      if (System.nanoTime() > deadline) {
        throw new IOException("restarted " + nodeName(node) + " did not catch up to " + target);
      }
      Thread.sleep(50);
    }
  }

  @Override
  public Duration cpu() {
    Duration total = Duration.ZERO;
    for (int i = 0; i < processes.length(); i++) {
      Children.Child child = processes.get(i);
      if (child != null) {
        total = total.plus(child.process().info().totalCpuDuration().orElse(Duration.ZERO));
      }
    }
    return total;
  }
}
