package tenet.store.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import tenet.api.v1.WatchResponse;

class WatchHistoryTest {
  private static WatchResponse at(long revision) {
    return WatchResponse.newBuilder().setRevision(revision).build();
  }

  @Test
  void keepsTheLastRevisionsAndRefusesOlderOnes() {
    WatchHistory h = new WatchHistory(3, 0);
    for (long r = 1; r <= 5; r++) {
      h.append(at(r));
    }
    assertThat(h.oldestAvailable()).isEqualTo(3);
    assertThat(h.read(3, 10)).extracting(WatchResponse::getRevision).containsExactly(3L, 4L, 5L);
    assertThat(h.read(4, 1)).extracting(WatchResponse::getRevision).containsExactly(4L);
    assertThat(h.read(6, 10)).isEmpty();
    assertThatThrownBy(() -> h.read(2, 10))
        .isInstanceOf(WatchHistory.CompactedException.class)
        .hasMessageContaining("revision 2 is compacted (oldest kept is 3)");
  }

  @Test
  void revisionsMustFollowEachOther() {
    WatchHistory h = new WatchHistory(3, 10);
    assertThat(h.oldestAvailable()).isEqualTo(11);
    assertThatThrownBy(() -> h.append(at(12))).isInstanceOf(IllegalStateException.class);
    h.append(at(11));
    h.reset(20);
    assertThat(h.read(21, 5)).isEmpty();
    assertThatThrownBy(() -> h.read(11, 5)).isInstanceOf(WatchHistory.CompactedException.class);
  }
}
