package tenet.agent.flows;

import java.util.function.LongConsumer;

/**
 * A set of cookies held as primitive longs (open addressing, linear probing). The agent keeps
 * the cookies OVS holds, 100,000 and more, and looks each one of a full set up in them: as Long
 * objects in a HashSet that is a box per cookie and a pointer chase per lookup, on the path
 * between the controller's update and OVS.
 */
public final class CookieSet {
  private static final int MIN_CAPACITY = 16;
  /** 0 marks a free slot, so cookie 0 (OVS' "no cookie") is kept apart. */
  private boolean hasZero;
  private long[] slots;
  private int size;

  public CookieSet() {
    this(0);
  }

  public CookieSet(int expected) {
    slots = new long[capacityFor(expected)];
  }

  /** Takes a table laid out as this class lays out its own ({@link CookieMap#keys}). */
  CookieSet(long[] slots, int size, boolean hasZero) {
    this.slots = slots;
    this.size = size;
    this.hasZero = hasZero;
  }

  public static CookieSet of(Iterable<Long> cookies) {
    CookieSet set = new CookieSet();
    cookies.forEach(set::add);
    return set;
  }

  public int size() {
    return size + (hasZero ? 1 : 0);
  }

  public boolean isEmpty() {
    return size() == 0;
  }

  public boolean contains(long cookie) {
    if (cookie == 0) {
      return hasZero;
    }
    int mask = slots.length - 1;
    for (int i = home(cookie); ; i = (i + 1) & mask) {
      long s = slots[i];
      if (s == cookie) {
        return true;
      }
      if (s == 0) {
        return false;
      }
    }
  }

  /** Adds {@code cookie}; false when it was there already. */
  public boolean add(long cookie) {
    if (cookie == 0) {
      boolean added = !hasZero;
      hasZero = true;
      return added;
    }
    if ((size + 1) * 2 > slots.length) {
      grow();
    }
    int mask = slots.length - 1;
    for (int i = home(cookie); ; i = (i + 1) & mask) {
      long s = slots[i];
      if (s == cookie) {
        return false;
      }
      if (s == 0) {
        slots[i] = cookie;
        size++;
        return true;
      }
    }
  }

  /** Removes {@code cookie}; false when it was not there. */
  public boolean remove(long cookie) {
    if (cookie == 0) {
      boolean removed = hasZero;
      hasZero = false;
      return removed;
    }
    int mask = slots.length - 1;
    int i = home(cookie);
    while (slots[i] != cookie) {
      if (slots[i] == 0) {
        return false;
      }
      i = (i + 1) & mask;
    }
    // Shift the rest of the run back, so that no lookup stops at the hole this leaves.
    for (int j = (i + 1) & mask; slots[j] != 0; j = (j + 1) & mask) {
      int k = home(slots[j]);
      boolean stays = i <= j ? (i < k && k <= j) : (i < k || k <= j);
      if (!stays) {
        slots[i] = slots[j];
        i = j;
      }
    }
    slots[i] = 0;
    size--;
    return true;
  }

  public void clear() {
    java.util.Arrays.fill(slots, 0);
    size = 0;
    hasZero = false;
  }

  /** Every cookie, in no particular order. */
  public void forEach(LongConsumer action) {
    if (hasZero) {
      action.accept(0);
    }
    for (long s : slots) {
      if (s != 0) {
        action.accept(s);
      }
    }
  }

  private int home(long cookie) {
    return home(cookie, slots.length);
  }

  /**
   * Where a cookie's probe starts in a table of {@code capacity} slots (a power of two); {@link
   * CookieMap} places its keys alike. Fibonacci hashing: cookies differ in their low bits (the
   * hash) and their high bits (the datapath); the multiply mixes both into the top bits, which
   * pick the slot.
   */
  static int home(long cookie, int capacity) {
    return (int) ((cookie * 0x9E3779B97F4A7C15L) >>> (64 - Integer.numberOfTrailingZeros(capacity)));
  }

  private void grow() {
    long[] old = slots;
    slots = new long[old.length * 2];
    size = 0;
    for (long s : old) {
      if (s != 0) {
        add(s);
      }
    }
  }

  private static int capacityFor(int expected) {
    int capacity = MIN_CAPACITY;
    while (capacity < (long) expected * 2) {
      capacity <<= 1;
    }
    return capacity;
  }
}
