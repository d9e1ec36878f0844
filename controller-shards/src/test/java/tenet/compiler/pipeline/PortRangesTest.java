package tenet.compiler.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PortRangesTest {
  @Test
  void singlePortsAndAlignedBlocks() {
    assertThat(PortRanges.masks(22, 22)).containsExactly("22");
    assertThat(PortRanges.masks(0, 65535)).containsExactly("0x0/0x0");
    assertThat(PortRanges.masks(1024, 2047)).containsExactly("0x400/0xfc00");
    assertThat(PortRanges.masks(80, 83)).containsExactly("0x50/0xfffc");
    assertThat(PortRanges.masks(79, 81)).containsExactly("79", "0x50/0xfffe");
    assertThatThrownBy(() -> PortRanges.masks(10, 9)).isInstanceOf(IllegalArgumentException.class);
  }

  /** Every port is covered by some piece exactly when it lies in the range (random ranges). */
  @Test
  void coversExactlyTheRange() {
    SplittableRandom random = new SplittableRandom(7);
    for (int trial = 0; trial < 300; trial++) {
      int a = random.nextInt(65536);
      int b = random.nextInt(65536);
      int min = Math.min(a, b);
      int max = Math.min(Math.max(a, b), min + random.nextInt(5000));
      var pieces = PortRanges.masks(min, max);
      assertThat(pieces.size()).isLessThanOrEqualTo(30);
      for (int port = Math.max(0, min - 70); port <= Math.min(65535, max + 70); port++) {
        final int p = port;
        boolean covered = pieces.stream().anyMatch(piece -> matches(piece, p));
        assertThat(covered).as("port %d in %d..%d: %s", port, min, max, pieces).isEqualTo(port >= min && port <= max);
      }
    }
  }

  private static boolean matches(String piece, int port) {
    if (!piece.contains("/")) {
      return Integer.parseInt(piece) == port;
    }
    String[] vm = piece.split("/");
    int value = Integer.decode(vm[0]);
    int mask = Integer.decode(vm[1]);
    return (port & mask) == value;
  }
}
