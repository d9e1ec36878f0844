package tenet.store.core.net;

import com.google.common.net.InetAddresses;
import java.math.BigInteger;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * An IPv4 or IPv6 address: its family and its value as an unsigned integer of 32 or 128 bits.
 *
 * <p>IPv4-mapped IPv6 addresses ({@code ::ffff:a.b.c.d}) are not representable: they are a second
 * spelling of an IPv4 host, so two resources could hold the same host without comparing equal.
 * Zone ids ({@code fe80::1%eth0}) are rejected because they only mean something on one machine.
 */
public record IpAddress(Family family, BigInteger value) implements Comparable<IpAddress> {

  /** The address family, and with it the address width. */
  public enum Family {
    IPV4(32, "IPv4"),
    IPV6(128, "IPv6");

    private final int bitLength;
    private final String displayName;

    Family(int bitLength, String displayName) {
      this.bitLength = bitLength;
      this.displayName = displayName;
    }

    public int bitLength() {
      return bitLength;
    }

    /** "IPv4" or "IPv6", as users write it. */
    @Override
    public String toString() {
      return displayName;
    }
  }

  private static final BigInteger MAPPED_MARKER = BigInteger.valueOf(0xffff);
  private static final Pattern DOTTED_WITH_LEADING_ZERO = Pattern.compile("[0-9.]*(^|\\.)0[0-9][0-9.]*");

  public IpAddress {
    Objects.requireNonNull(family, "family");
    Objects.requireNonNull(value, "value");
    if (value.signum() < 0 || value.bitLength() > family.bitLength()) {
      throw new IllegalArgumentException(
          "value " + value + " does not fit in " + family.bitLength() + " bits for " + family);
    }
    if (family == Family.IPV6 && value.shiftRight(32).equals(MAPPED_MARKER)) {
      throw new IllegalArgumentException("IPv4-mapped IPv6 addresses are not allowed: write "
          + new IpAddress(Family.IPV4, value.subtract(MAPPED_MARKER.shiftLeft(32))) + " instead");
    }
  }

  /**
   * Parses a dotted-quad IPv4 or an RFC 4291 IPv6 literal. Never consults DNS: a host name is
   * rejected like any other malformed text.
   */
  public static IpAddress parse(String text) {
    Objects.requireNonNull(text, "text");
    if (text.isEmpty()) {
      throw new IllegalArgumentException("must not be empty: expected an IPv4 or IPv6 address");
    }
    if (any(text, Character::isWhitespace)) {
      throw new IllegalArgumentException("must not contain whitespace: " + Excerpt.quoted(text));
    }
    // Checked before Guava sees the text: it resolves a named zone through the host's network
    // interfaces, which is both I/O and machine-specific.
    if (text.indexOf('%') >= 0) {
      throw new IllegalArgumentException(
          "zone ids are not allowed, an address must mean the same on every host: " + Excerpt.of(text));
    }
    // Guava reads digits with Character.digit, which also takes non-ASCII (e.g. Arabic-Indic) digits.
    InetAddress inet = any(text, c -> !isLiteralChar(c)) ? null : guavaParseOrNull(text);
    if (inet == null) {
      if (DOTTED_WITH_LEADING_ZERO.matcher(text).matches()) {
        throw new IllegalArgumentException(
            "leading zeros are not allowed, they read as octal to some tools: " + Excerpt.of(text));
      }
      throw new IllegalArgumentException("not an IPv4 or IPv6 address: " + Excerpt.of(text));
    }
    // Guava hands back an Inet4Address for "::ffff:a.b.c.d".
    if (text.indexOf(':') >= 0 && inet instanceof Inet4Address) {
      throw new IllegalArgumentException(
          "IPv4-mapped IPv6 addresses are not allowed: write " + inet.getHostAddress() + " instead");
    }
    Family family = inet instanceof Inet4Address ? Family.IPV4 : Family.IPV6;
    return new IpAddress(family, InetAddresses.toBigInteger(inet));
  }

  private static InetAddress guavaParseOrNull(String text) {
    try {
      return InetAddresses.forString(text);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /** Whether a char of {@code text} is one {@code test} accepts (a loop: a stream here was a tenth of planning a port). */
  private static boolean any(String text, java.util.function.IntPredicate test) {
    for (int i = 0; i < text.length(); i++) {
      if (test.test(text.charAt(i))) {
        return true;
      }
    }
    return false;
  }

  private static boolean isLiteralChar(int c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') || c == '.' || c == ':';
  }

  /** From 4 (IPv4) or 16 (IPv6) big-endian bytes; the array is not retained. */
  public static IpAddress fromBytes(byte[] bytes) {
    Family family = switch (bytes.length) {
      case 4 -> Family.IPV4;
      case 16 -> Family.IPV6;
      default -> throw new IllegalArgumentException(
          "an address has 4 or 16 bytes, got " + bytes.length);
    };
    return new IpAddress(family, new BigInteger(1, bytes));
  }

  /** A fresh copy of the 4 or 16 big-endian bytes. */
  public byte[] bytes() {
    byte[] raw = value.toByteArray(); // minimal two's complement: may be shorter, or carry a sign byte
    byte[] out = new byte[family.bitLength() / 8];
    int n = Math.min(raw.length, out.length);
    System.arraycopy(raw, raw.length - n, out, out.length - n, n);
    return out;
  }

  public boolean isV4() {
    return family == Family.IPV4;
  }

  public int bitLength() {
    return family.bitLength();
  }

  /** IPv4 before IPv6, then numerically. */
  @Override
  public int compareTo(IpAddress other) {
    int byFamily = family.compareTo(other.family);
    return byFamily != 0 ? byFamily : value.compareTo(other.value);
  }

  /** Dotted quad for IPv4, RFC 5952 (lower case, longest zero run compressed) for IPv6. */
  @Override
  public String toString() {
    InetAddress inet = switch (family) {
      case IPV4 -> InetAddresses.fromIPv4BigInteger(value);
      case IPV6 -> InetAddresses.fromIPv6BigInteger(value);
    };
    return InetAddresses.toAddrString(inet);
  }
}
