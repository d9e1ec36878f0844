package tenet.compiler.pipeline;

import java.util.ArrayList;
import java.util.List;

/**
 * OpenFlow matches a transport port exactly or under a bit mask, not as a range: a range
 * becomes the fewest value/mask pairs that cover exactly it (at most 30 for 16-bit ports).
 */
public final class PortRanges {
  private PortRanges() {}

  /** "80", or "0x1f90/0xfff0" style pieces covering min..max inclusive. */
  public static List<String> masks(int min, int max) {
    if (min < 0 || max > 0xffff || min > max) {
      throw new IllegalArgumentException("not a port range: " + min + ".." + max);
    }
    List<String> out = new ArrayList<>();
    int from = min;
    while (from <= max) {
      // The largest aligned block starting at `from` that stays inside the range.
      int size = from == 0 ? 0x10000 : Integer.lowestOneBit(from);
      while (from + size - 1 > max) {
        size >>= 1;
      }
      out.add(size == 1 ? Integer.toString(from)
          : String.format("0x%x/0x%x", from, 0xffff & ~(size - 1)));
      from += size;
    }
    return out;
  }
}
