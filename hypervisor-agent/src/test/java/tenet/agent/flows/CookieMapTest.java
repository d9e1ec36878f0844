package tenet.agent.flows;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class CookieMapTest {
  @Test
  void putsGetsAndRemovesLikeAMapOfLongs() {
    CookieMap<String> map = new CookieMap<>();
    assertThat(map.put(5, "a")).isNull();
    assertThat(map.putIfAbsent(5, "b")).isEqualTo("a");
    assertThat(map.get(5)).isEqualTo("a");
    assertThat(map.put(5, "c")).isEqualTo("a");
    assertThat(map.put(0, "zero")).isNull(); // OVS' "no cookie" is a key like another here
    assertThat(map.put(-1, "all ones")).isNull();
    assertThat(map.size()).isEqualTo(3);
    assertThat(map.values()).containsExactlyInAnyOrder("c", "zero", "all ones");
    assertThat(map.remove(0)).isEqualTo("zero");
    assertThat(map.remove(0)).isNull();
    assertThat(map.containsKey(6)).isFalse();
    assertThatThrownBy(() -> map.put(7, null)).isInstanceOf(NullPointerException.class);
  }

  @Test
  void aCopyIsOnItsOwn() {
    CookieMap<String> map = new CookieMap<>();
    map.put(1, "a");
    CookieMap<String> copy = map.copy();
    copy.put(2, "b");
    copy.remove(1);
    assertThat(map.values()).containsExactly("a");
    assertThat(copy.values()).containsExactly("b");
  }

  @Test
  void itsKeysAreASetOfTheirOwn() {
    CookieMap<String> map = new CookieMap<>();
    for (long k = 0; k < 1000; k++) {
      map.put(k << 40 | k, "v" + k);
    }
    CookieSet keys = map.keys();
    assertThat(keys.size()).isEqualTo(1000);
    for (long k = 0; k < 1000; k++) {
      assertThat(keys.contains(k << 40 | k)).isTrue();
    }
    assertThat(keys.contains(5)).isFalse();
    assertThat(keys.remove(0)).isTrue();
    assertThat(keys.add(5)).isTrue();
    assertThat(map.containsKey(0)).as("the map is not changed through its keys").isTrue();
    assertThat(map.containsKey(5)).isFalse();
  }

  @Test
  void agreesWithAHashMapThroughGrowingAndRemovingAtRandom() {
    Random random = new Random(7);
    CookieMap<Long> map = new CookieMap<>();
    Map<Long, Long> expected = new HashMap<>();
    for (int i = 0; i < 100_000; i++) {
      long cookie = random.nextInt(4) == 0 ? (long) random.nextInt(16) << 40 | random.nextInt(5000) : random.nextLong();
      switch (random.nextInt(4)) {
        case 0 -> assertThat(map.remove(cookie)).isEqualTo(expected.remove(cookie));
        case 1 -> assertThat(map.putIfAbsent(cookie, (long) i)).isEqualTo(expected.putIfAbsent(cookie, (long) i));
        default -> assertThat(map.put(cookie, (long) i)).isEqualTo(expected.put(cookie, (long) i));
      }
    }
    assertThat(map.size()).isEqualTo(expected.size());
    expected.forEach((k, v) -> assertThat(map.get(k)).isEqualTo(v));
    assertThat(new java.util.HashSet<>(map.values())).isEqualTo(new java.util.HashSet<>(expected.values()));
  }
}
