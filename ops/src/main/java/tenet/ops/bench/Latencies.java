package tenet.ops.bench;

import java.util.Arrays;

/** Latencies in nanoseconds, one unsynchronized buffer per client; merged once at the end. */
final class Latencies {
  private final long[][] perClient;
  private final int[] counts;

  Latencies(int clients) {
    perClient = new long[clients][1024];
    counts = new int[clients];
  }

  /** Only client {@code c}'s own thread calls this. */
  void record(int c, long nanos) {
    if (counts[c] == perClient[c].length) {
      perClient[c] = Arrays.copyOf(perClient[c], perClient[c].length * 2);
    }
    perClient[c][counts[c]++] = nanos;
  }

  /** All samples, sorted. Call after the clients' threads have finished. */
  long[] sorted() {
    int total = 0;
    for (int n : counts) {
      total += n;
    }
    long[] all = new long[total];
    int at = 0;
    for (int c = 0; c < counts.length; c++) {
      System.arraycopy(perClient[c], 0, all, at, counts[c]);
      at += counts[c];
    }
    Arrays.sort(all);
    return all;
  }

  /** Nearest-rank percentile (0 < p <= 100) of sorted samples, in ms; NaN without samples. */
  static double percentileMs(long[] sorted, double p) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    int rank = (int) Math.ceil(p / 100.0 * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))] / 1e6;
  }
}
