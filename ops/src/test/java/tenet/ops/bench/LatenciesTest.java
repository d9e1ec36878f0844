package tenet.ops.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LatenciesTest {
  @Test
  void percentilesAreNearestRankInMilliseconds() {
    long[] sorted = new long[200];
    for (int i = 0; i < sorted.length; i++) {
      sorted[i] = (i + 1) * 1_000_000L; // 1 .. 200 ms
    }
    assertThat(Latencies.percentileMs(sorted, 50)).isEqualTo(100.0);
    assertThat(Latencies.percentileMs(sorted, 99)).isEqualTo(198.0);
    assertThat(Latencies.percentileMs(sorted, 100)).isEqualTo(200.0);
    assertThat(Latencies.percentileMs(new long[] {7_500_000}, 99)).isEqualTo(7.5);
    assertThat(Latencies.percentileMs(new long[0], 50)).isNaN();
  }
}
