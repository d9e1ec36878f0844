package tenet.agent.flows;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CookieSetTest {
  @Test
  void addsRemovesAndFindsLikeASetOfLongs() {
    CookieSet set = new CookieSet();
    assertThat(set.add(5)).isTrue();
    assertThat(set.add(5)).isFalse();
    assertThat(set.add(0)).isTrue(); // OVS' "no cookie" is a cookie like another here
    assertThat(set.add(-1)).isTrue();
    assertThat(set.size()).isEqualTo(3);
    assertThat(set.contains(0)).isTrue();
    assertThat(set.contains(6)).isFalse();
    assertThat(set.remove(0)).isTrue();
    assertThat(set.remove(0)).isFalse();
    assertThat(set.remove(6)).isFalse();
    assertThat(elements(set)).containsExactlyInAnyOrder(5L, -1L);
    set.clear();
    assertThat(set.isEmpty()).isTrue();
    assertThat(set.contains(5)).isFalse();
  }

  @Test
  void agreesWithAHashSetThroughGrowingAndRemovingAtRandom() {
    // Cookies as the controller makes them: a datapath in the high bits over a hash, and runs of
    // neighbours (the bench's), which probe the same slots.
    Random random = new Random(42);
    CookieSet set = new CookieSet();
    Set<Long> expected = new HashSet<>();
    for (int i = 0; i < 100_000; i++) {
      long cookie = random.nextInt(4) == 0 ? (long) random.nextInt(16) << 40 | random.nextInt(5000)
          : random.nextLong();
      if (random.nextInt(3) == 0) {
        assertThat(set.remove(cookie)).isEqualTo(expected.remove(cookie));
      } else {
        assertThat(set.add(cookie)).isEqualTo(expected.add(cookie));
      }
    }
    assertThat(set.size()).isEqualTo(expected.size());
    for (long c : expected) {
      assertThat(set.contains(c)).isTrue();
    }
    List<Long> elements = elements(set);
    assertThat(elements).hasSize(expected.size());
    assertThat(new HashSet<>(elements)).isEqualTo(expected);
    for (long c : List.copyOf(expected)) {
      assertThat(set.remove(c)).isTrue();
    }
    assertThat(set.isEmpty()).isTrue();
  }

  private static List<Long> elements(CookieSet set) {
    List<Long> out = new ArrayList<>();
    set.forEach(out::add);
    return out;
  }
}
