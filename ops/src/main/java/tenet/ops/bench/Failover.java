package tenet.ops.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * Leader failover trials: one client writes continuously (round robin over the nodes, moving on
 * to the next node at once on any error, a 500 ms deadline per attempt); each trial finds the
 * leader, kill -9s it and measures the time from the kill to the acknowledgement of the first
 * write <em>issued after</em> the kill (a write already in flight may have been committed by the
 * dead leader, so it proves nothing). The killed node is then restarted with the same
 * configuration and data, and the next trial waits until it is back in the cluster; how long that
 * took (until it answered naming a leader, until it had caught up) is kept per trial.
 */
final class Failover {
  // Long against a normal write (ms), short against the failover time: a write that was forwarded
  // to the dead leader and will never be answered does not hold the client for long.
  private static final Duration ATTEMPT_DEADLINE = Duration.ofMillis(500);
  private static final Duration TRIAL_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration REJOIN_TIMEOUT = Duration.ofSeconds(60);

  /** Results of all trials of one system. */
  record Result(String system, int nodes, double[] trialsMs, List<StoreCluster.Rejoin> rejoins, String error) {
    static double median(double[] values) {
      if (values.length == 0) {
        return Double.NaN;
      }
      double[] s = values.clone();
      Arrays.sort(s);
      int n = s.length;
      return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }

    double[] rejoinMs() {
      return rejoins.stream().mapToDouble(StoreCluster.Rejoin::servingMs).toArray();
    }

    double[] caughtUpMs() {
      return rejoins.stream().mapToDouble(StoreCluster.Rejoin::caughtUpMs).toArray();
    }

    double medianMs() {
      return median(trialsMs);
    }

    double maxMs() {
      return Arrays.stream(trialsMs).max().orElse(Double.NaN);
    }
  }

  private record Ack(long issuedNanos, long ackedNanos) {}

  private Failover() {}

  static Result run(StoreCluster cluster, int trials, Duration settle, Consumer<String> progress) throws InterruptedException {
    AtomicReference<Ack> lastAck = new AtomicReference<>(new Ack(0, 0));
    Thread writer = Thread.ofPlatform().name("failover-writer").daemon().start(() -> {
      int next = 0;
      while (!Thread.currentThread().isInterrupted()) {
        int node = next++ % cluster.size();
        long issued = System.nanoTime();
        try {
          cluster.write(node, ATTEMPT_DEADLINE);
          lastAck.set(new Ack(issued, System.nanoTime()));
        } catch (InterruptedException e) {
          return;
        } catch (Exception e) {
          try {
            Thread.sleep(1); // no hot loop while every node refuses at once
          } catch (InterruptedException stop) {
            return;
          }
        }
      }
    });
    List<Double> measured = new ArrayList<>();
    List<StoreCluster.Rejoin> rejoins = new ArrayList<>();
    String error = null;
    try {
      for (int t = 1; t <= trials; t++) {
        int leader = cluster.leader(Duration.ofSeconds(30));
        // The writer must be flowing before the kill.
        long since = System.nanoTime();
        Thread.sleep(settle.toMillis());
        while (lastAck.get().ackedNanos() <= since) {
          if (System.nanoTime() - since > TRIAL_TIMEOUT.toNanos()) {
            throw new IllegalStateException("no write acknowledged before trial " + t);
          }
          Thread.sleep(5);
        }
        long killedAt = System.nanoTime();
        cluster.kill(leader);
        Ack ack;
        while ((ack = lastAck.get()).issuedNanos() <= killedAt) {
          if (System.nanoTime() - killedAt > TRIAL_TIMEOUT.toNanos()) {
            throw new IllegalStateException("trial " + t + ": no write acknowledged within "
                + TRIAL_TIMEOUT.toSeconds() + " s of killing the leader");
          }
          Thread.sleep(1);
        }
        double ms = (ack.ackedNanos() - killedAt) / 1e6;
        measured.add(ms);
        StoreCluster.Rejoin back = cluster.restartAndAwaitRejoined(leader, REJOIN_TIMEOUT);
        rejoins.add(back);
        progress.accept(String.format(Locale.ROOT, "%s failover trial %d/%d: killed node %d, next write acknowledged after "
            + "%.0f ms; restarted it: answering with a leader after %.0f ms, caught up after %.0f ms%s", cluster.system(),
            t, trials, leader + 1, ms, back.servingMs(), back.caughtUpMs(),
            back.phases().isEmpty() ? "" : " (its log: " + back.phases() + ")"));
      }
    } catch (InterruptedException e) {
      throw e;
    } catch (Exception e) {
      error = e.getMessage();
    } finally {
      writer.interrupt();
      writer.join(5000);
    }
    return new Result(cluster.system(), cluster.size(), measured.stream().mapToDouble(Double::doubleValue).toArray(),
        rejoins, error);
  }
}
