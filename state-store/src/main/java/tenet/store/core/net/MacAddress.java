package tenet.store.core.net;

import java.util.HexFormat;
import java.util.Objects;

/** A 48-bit Ethernet address, held in the low 48 bits of a long. */
public record MacAddress(long value) implements Comparable<MacAddress> {

  private static final long MAX = 0xffff_ffff_ffffL;
  private static final int TEXT_LENGTH = 17; // "xx:xx:xx:xx:xx:xx"
  private static final String EXPECTED =
      "expected six pairs of hex digits separated by ':' or '-', like 02:00:00:00:00:01";
  private static final HexFormat COLONS = HexFormat.ofDelimiter(":");

  public static final MacAddress ZERO = new MacAddress(0);
  public static final MacAddress BROADCAST = new MacAddress(MAX);

  public MacAddress {
    if (value < 0 || value > MAX) {
      throw new IllegalArgumentException("value 0x" + Long.toHexString(value) + " does not fit in 48 bits");
    }
  }

  /** Accepts upper or lower case and either ':' or '-' as separator, but not a mix of both. */
  public static MacAddress parse(String text) {
    Objects.requireNonNull(text, "text");
    if (text.length() != TEXT_LENGTH) {
      throw new IllegalArgumentException(EXPECTED + ", got " + Excerpt.quoted(text));
    }
    char separator = text.charAt(2);
    if (separator != ':' && separator != '-') {
      throw new IllegalArgumentException(EXPECTED + ", got " + Excerpt.quoted(text));
    }
    long value = 0;
    for (int octet = 0; octet < 6; octet++) {
      int at = octet * 3;
      if (octet > 0 && text.charAt(at - 1) != separator) {
        char other = text.charAt(at - 1);
        throw new IllegalArgumentException(other == ':' || other == '-'
            ? "mixes ':' and '-' separators: " + text
            : EXPECTED + ", got " + Excerpt.quoted(text));
      }
      char high = text.charAt(at);
      char low = text.charAt(at + 1);
      // Checked by hand because Character.digit also accepts non-ASCII digits.
      if (!isAsciiHex(high) || !isAsciiHex(low)) {
        throw new IllegalArgumentException(EXPECTED + ", got " + Excerpt.quoted(text));
      }
      value = (value << 8) | (Character.digit(high, 16) << 4) | Character.digit(low, 16);
    }
    return new MacAddress(value);
  }

  /**
   * Parses an address that can be assigned to a port: one that names a single station. The
   * broadcast, multicast and all-zero addresses never do.
   */
  public static MacAddress parseUnicast(String text) {
    MacAddress mac = parse(text);
    if (mac.isBroadcast()) {
      throw new IllegalArgumentException("broadcast MAC cannot be a port address");
    }
    if (mac.isMulticast()) {
      throw new IllegalArgumentException(
          "multicast MAC cannot be a port address: the first octet of " + mac + " is odd");
    }
    if (mac.isZero()) {
      throw new IllegalArgumentException("all-zero MAC cannot be a port address");
    }
    return mac;
  }

  /** The group bit, the least significant bit of the first octet; broadcast is multicast too. */
  public boolean isMulticast() {
    return (value & (1L << 40)) != 0;
  }

  public boolean isBroadcast() {
    return value == MAX;
  }

  public boolean isZero() {
    return value == 0;
  }

  /** The six octets, most significant first; a fresh array. */
  public byte[] bytes() {
    byte[] out = new byte[6];
    for (int i = 0; i < 6; i++) {
      out[i] = (byte) (value >>> (40 - 8 * i));
    }
    return out;
  }

  @Override
  public int compareTo(MacAddress other) {
    return Long.compare(value, other.value);
  }

  /** Lower case, colon separated: the form Linux and OVS print. */
  @Override
  public String toString() {
    return COLONS.formatHex(bytes());
  }

  private static boolean isAsciiHex(char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
  }
}
