package tenet.ops.bench;

import java.io.IOException;
import java.time.Duration;
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

  /**
   * After a restarted node has caught up: waits for what else must be back before the next trial
   * may kill a node (not counted in the rejoin); says what it waited for, or "".
   */
  String awaitSettled(int i, long deadlineNanos) throws Exception {
    return "";
  }

  /** What node i's log says of its last start (phases and their times), or "". */
  String startPhases(int i) {
    return "";
  }

  /** Back = it answers, names a leader, and has applied what the leader had applied when it came up. */
  @Override
  public Rejoin restartAndAwaitRejoined(int node, Duration timeout) throws Exception {
    long start = System.nanoTime();
    long deadline = start + timeout.toNanos();
    launch(node);
    awaitServing(node, deadline);
    long serving = System.nanoTime();
    long target = applied(leader(Duration.ofNanos(Math.max(0, deadline - System.nanoTime()))));
    while (true) {
      try {
        if (applied(node) >= target) {
          double caughtUp = (System.nanoTime() - start) / 1e6;
          String settled = awaitSettled(node, deadline);
          String phases = startPhases(node);
          return new Rejoin((serving - start) / 1e6, caughtUp,
              phases + (settled.isEmpty() ? "" : (phases.isEmpty() ? "" : "; ") + settled));
        }
      } catch (Exception e) {
        // not yet
      }
      if (System.nanoTime() > deadline) {
        throw new IOException("restarted " + nodeName(node) + " did not catch up to " + target);
      }
      Thread.sleep(20);
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
