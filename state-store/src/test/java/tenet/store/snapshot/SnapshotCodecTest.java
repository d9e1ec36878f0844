package tenet.store.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;
import tenet.store.core.Fixtures;
import tenet.store.core.StoreState;
import tenet.store.wire.StoreSnapshot;

class SnapshotCodecTest {
  private final StoreState state = Fixtures.acme();

  @Test
  void roundTripRestoresTheSameStateAndIndexes() throws Exception {
    byte[] file = SnapshotCodec.encode(SnapshotCodec.fromState(state, 3, 42));
    StoreSnapshot decoded = SnapshotCodec.decode(file);
    assertThat(decoded.getRaftTerm()).isEqualTo(3);
    assertThat(decoded.getRaftIndex()).isEqualTo(42);
    StoreState restored = SnapshotCodec.toState(decoded);
    assertThat(restored.revision()).isEqualTo(state.revision());
    assertThat(restored.objects()).isEqualTo(state.objects());
    // Derived indexes come back too: the same delete is refused for the same referrer.
    var key = new tenet.store.model.ResourceKey(tenet.api.v1.Kind.LOGICAL_SWITCH, "acme", "web");
    assertThat(restored.referrers(key)).isEqualTo(state.referrers(key));
    // Equal states encode to equal bytes.
    assertThat(SnapshotCodec.encode(SnapshotCodec.fromState(restored, 3, 42))).isEqualTo(file);
  }

  @Test
  void aFlippedBitIsCaughtByTheChecksum() {
    byte[] file = SnapshotCodec.encode(SnapshotCodec.fromState(state, 1, 1));
    file[file.length - 3] ^= 0x10;
    assertThatThrownBy(() -> SnapshotCodec.decode(file)).hasMessageContaining("checksum mismatch");
  }

  @Test
  void truncationWrongMagicAndNewerVersionsAreRefusedClearly() {
    byte[] file = SnapshotCodec.encode(SnapshotCodec.fromState(state, 1, 1));
    assertThatThrownBy(() -> SnapshotCodec.decode(java.util.Arrays.copyOf(file, file.length - 1)))
        .hasMessageContaining("truncated");
    assertThatThrownBy(() -> SnapshotCodec.decode(new byte[5])).hasMessageContaining("shorter than the header");
    byte[] wrongMagic = file.clone();
    wrongMagic[0] = 'X';
    assertThatThrownBy(() -> SnapshotCodec.decode(wrongMagic)).hasMessageContaining("not a Tenet snapshot");
    byte[] newer = file.clone();
    ByteBuffer.wrap(newer).putInt(4, SnapshotCodec.FORMAT_VERSION + 1);
    assertThatThrownBy(() -> SnapshotCodec.decode(newer)).hasMessageContaining("format version 2 is not supported");
  }
}
