package tenet.store.snapshot;

import com.google.protobuf.InvalidProtocolBufferException;
import java.nio.ByteBuffer;
import java.util.zip.CRC32C;
import tenet.store.core.StoreState;
import tenet.store.wire.StoreSnapshot;

/**
 * The snapshot file format: a fixed header, then the state as a protobuf message.
 *
 * <pre>
 *   magic "TNSS" | format version (u32) | payload length (u64) | CRC-32C of payload (u32) | payload
 * </pre>
 *
 * The version lets a newer Tenet read an older file (or refuse it clearly); the checksum catches
 * a torn or corrupted file before a peer loads a wrong state.
 */
public final class SnapshotCodec {
  public static final int FORMAT_VERSION = 1;
  private static final int MAGIC = 0x544E5353; // "TNSS"
  private static final int HEADER = 4 + 4 + 8 + 4;

  private SnapshotCodec() {}

  public static StoreSnapshot fromState(StoreState state, long raftTerm, long raftIndex) {
    return StoreSnapshot.newBuilder()
        .setRevision(state.revision())
        .addAllResources(state.objects().values())
        .setRaftTerm(raftTerm)
        .setRaftIndex(raftIndex)
        .build();
  }

  public static StoreState toState(StoreSnapshot snapshot) {
    return StoreState.of(snapshot.getRevision(), snapshot.getResourcesList());
  }

  public static byte[] encode(StoreSnapshot snapshot) {
    byte[] payload = snapshot.toByteArray();
    CRC32C crc = new CRC32C();
    crc.update(payload);
    return ByteBuffer.allocate(HEADER + payload.length)
        .putInt(MAGIC).putInt(FORMAT_VERSION).putLong(payload.length).putInt((int) crc.getValue())
        .put(payload)
        .array();
  }

  public static StoreSnapshot decode(byte[] file) throws CorruptSnapshotException {
    if (file.length < HEADER) {
      throw new CorruptSnapshotException("file is " + file.length + " bytes, shorter than the header");
    }
    ByteBuffer in = ByteBuffer.wrap(file);
    if (in.getInt() != MAGIC) {
      throw new CorruptSnapshotException("not a Tenet snapshot (bad magic)");
    }
    int version = in.getInt();
    if (version != FORMAT_VERSION) {
      throw new CorruptSnapshotException("snapshot format version " + version
          + " is not supported (this build reads version " + FORMAT_VERSION + ")");
    }
    long length = in.getLong();
    int expectedCrc = in.getInt();
    if (length != file.length - HEADER) {
      throw new CorruptSnapshotException("payload length " + length + " but " + (file.length - HEADER)
          + " bytes follow the header (truncated?)");
    }
    CRC32C crc = new CRC32C();
    crc.update(file, HEADER, (int) length);
    if ((int) crc.getValue() != expectedCrc) {
      throw new CorruptSnapshotException("checksum mismatch");
    }
    try {
      return StoreSnapshot.parseFrom(ByteBuffer.wrap(file, HEADER, (int) length));
    } catch (InvalidProtocolBufferException e) {
      throw new CorruptSnapshotException("payload does not parse: " + e.getMessage());
    }
  }

  public static final class CorruptSnapshotException extends Exception {
    public CorruptSnapshotException(String message) {
      super(message);
    }
  }
}
