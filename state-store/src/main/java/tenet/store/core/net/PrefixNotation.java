package tenet.store.core.net;

import java.math.BigInteger;
import java.util.Objects;
import tenet.store.core.net.IpAddress.Family;

/**
 * The "address/length" text form and the bit arithmetic shared by {@link Cidr} (host bits must
 * be clear) and {@link IpInterface} (host bits name the host). Only the syntax lives here; what
 * the address may be is each caller's rule.
 */
record PrefixNotation(IpAddress address, int prefixLength) {

  /** {@code example} is a well-formed input, shown when the text is empty. */
  static PrefixNotation parse(String text, String example) {
    Objects.requireNonNull(text, "text");
    if (text.isEmpty()) {
      throw new IllegalArgumentException(
          "must not be empty: expected an address and prefix length such as " + example);
    }
    if (text.chars().anyMatch(Character::isWhitespace)) {
      throw new IllegalArgumentException("must not contain whitespace: " + Excerpt.quoted(text));
    }
    int slash = text.indexOf('/');
    if (slash < 0) {
      // A malformed address is the bigger problem, so it is reported first.
      IpAddress address = IpAddress.parse(text);
      throw new IllegalArgumentException("missing prefix length: write it as " + address + "/<length>");
    }
    if (slash == 0) {
      throw new IllegalArgumentException("missing address before '/': " + Excerpt.of(text));
    }
    IpAddress address = IpAddress.parse(text.substring(0, slash));
    return new PrefixNotation(address, parseLength(text.substring(slash + 1), address.family()));
  }

  private static int parseLength(String digits, Family family) {
    if (digits.isEmpty()) {
      throw new IllegalArgumentException("missing prefix length after '/'");
    }
    if (digits.indexOf('.') >= 0) {
      Integer fromNetmask = netmaskLength(digits);
      if (fromNetmask != null) {
        throw new IllegalArgumentException("prefix length must be a number, not a netmask: write /"
            + fromNetmask + " instead of /" + digits);
      }
    }
    if (!digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
      throw new IllegalArgumentException("prefix length is not a decimal number: " + Excerpt.quoted(digits));
    }
    if (digits.length() > 1 && digits.charAt(0) == '0') {
      throw new IllegalArgumentException("prefix length must not have leading zeros: " + Excerpt.of(digits));
    }
    // Length-capped before parseInt so "/99999999999" reports a range error, not an overflow.
    if (digits.length() > 3 || Integer.parseInt(digits) > family.bitLength()) {
      throw outOfRange(Excerpt.of(digits), family);
    }
    return Integer.parseInt(digits);
  }

  /** The length a contiguous IPv4 netmask such as 255.255.255.0 stands for, or null. */
  private static Integer netmaskLength(String text) {
    IpAddress mask;
    try {
      mask = IpAddress.parse(text);
    } catch (IllegalArgumentException e) {
      return null;
    }
    if (!mask.isV4()) {
      return null;
    }
    long bits = mask.value().longValue();
    int length = Long.bitCount(bits);
    long contiguous = (0xffff_ffffL << (32 - length)) & 0xffff_ffffL;
    return bits == contiguous ? length : null;
  }

  static void checkLength(int prefixLength, Family family) {
    if (prefixLength < 0 || prefixLength > family.bitLength()) {
      throw outOfRange(String.valueOf(prefixLength), family);
    }
  }

  private static IllegalArgumentException outOfRange(String length, Family family) {
    return new IllegalArgumentException(
        "prefix length " + length + " is out of range 0.." + family.bitLength() + " for " + family);
  }

  /** The bits below the prefix, all set: 2^(width - length) - 1. */
  static BigInteger hostMask(Family family, int prefixLength) {
    return BigInteger.ONE.shiftLeft(family.bitLength() - prefixLength).subtract(BigInteger.ONE);
  }
}
