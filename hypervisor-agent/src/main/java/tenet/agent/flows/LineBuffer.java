package tenet.agent.flows;

import com.google.protobuf.ByteString;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Lines for ovs-ofctl built straight into bytes. A full set's 100,000 lines are made while its
 * pages arrive, on the agent's first update, before the JIT has compiled any of it: through
 * StringBuilder (coders, a String and then bytes again for each line) that was over 100 ms of C2
 * compile time alone, taken from the CPU ovs-ofctl parses with. Here a line is a few array
 * copies and two small digit loops, which compile in a fraction of that.
 */
public final class LineBuffer {
  private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
  private byte[] bytes;
  private int length;

  public LineBuffer(int capacity) {
    bytes = new byte[Math.max(capacity, 16)];
  }

  /** Appends UTF-8 bytes, such as a constant's. */
  public LineBuffer bytes(byte[] b) {
    room(b.length);
    System.arraycopy(b, 0, bytes, length, b.length);
    length += b.length;
    return this;
  }

  /** Appends {@code b}'s bytes. */
  public LineBuffer bytes(ByteString b) {
    room(b.size());
    b.copyTo(bytes, length);
    length += b.size();
    return this;
  }

  /** Appends {@code s} in UTF-8 (OpenFlow text is ASCII: one copy of its bytes). */
  public LineBuffer text(String s) {
    return bytes(s.getBytes(StandardCharsets.UTF_8));
  }

  /** Appends one ASCII character. */
  public LineBuffer ascii(char c) {
    if (c >= 0x80) {
      throw new IllegalArgumentException("not ASCII: " + c);
    }
    room(1);
    bytes[length++] = (byte) c;
    return this;
  }

  /** Lowercase hex without leading zeros, as Long.toHexString. */
  public LineBuffer hex(long v) {
    int digits = Math.max(1, (67 - Long.numberOfLeadingZeros(v)) / 4);
    room(digits);
    for (int shift = (digits - 1) * 4; shift >= 0; shift -= 4) {
      bytes[length++] = HEX[(int) (v >>> shift) & 0xf];
    }
    return this;
  }

  /** Signed decimal, as Integer.toString. */
  public LineBuffer decimal(int v) {
    if (v < 0) {
      return text(Integer.toString(v));
    }
    int digits = 1;
    for (int rest = v / 10; rest != 0; rest /= 10) {
      digits++;
    }
    room(digits);
    for (int i = length + digits - 1; i >= length; i--) {
      bytes[i] = (byte) ('0' + v % 10);
      v /= 10;
    }
    length += digits;
    return this;
  }

  /** Empties the buffer, keeping its room: one buffer serves every page of a full set. */
  public LineBuffer clear() {
    length = 0;
    return this;
  }

  public int length() {
    return length;
  }

  public boolean isEmpty() {
    return length == 0;
  }

  /** The bytes written so far: {@code array()[0 .. length())}. */
  public byte[] array() {
    return bytes;
  }

  @Override
  public String toString() {
    return new String(bytes, 0, length, StandardCharsets.UTF_8);
  }

  private void room(int more) {
    if (length + more > bytes.length) {
      bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + more));
    }
  }
}
