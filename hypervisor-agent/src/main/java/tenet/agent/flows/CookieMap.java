package tenet.agent.flows;

import java.util.ArrayList;
import java.util.List;

/**
 * Values by cookie, the keys held as primitive longs (open addressing, linear probing), as
 * {@link CookieSet} holds cookies. A full set is 100,000 flows and more put in by cookie while
 * they arrive: a HashMap would box every cookie, and its general code is a good part of what the
 * JIT compiles on the agent's first update, while ovs-ofctl needs the CPU.
 */
public final class CookieMap<V> {
  private static final int MIN_CAPACITY = 16;
  /** Key 0 marks a free slot, so cookie 0 is kept apart. */
  private V zero;
  private long[] keys;
  private Object[] values;
  private int size;

  public CookieMap() {
    this(0);
  }

  public CookieMap(int expected) {
    int capacity = capacityFor(expected);
    keys = new long[capacity];
    values = new Object[capacity];
  }

  public int size() {
    return size + (zero != null ? 1 : 0);
  }

  public boolean isEmpty() {
    return size() == 0;
  }

  public boolean containsKey(long cookie) {
    return get(cookie) != null;
  }

  @SuppressWarnings("unchecked")
  public V get(long cookie) {
    if (cookie == 0) {
      return zero;
    }
    int mask = keys.length - 1;
    for (int i = home(cookie); ; i = (i + 1) & mask) {
      long k = keys[i];
      if (k == cookie) {
        return (V) values[i];
      }
      if (k == 0) {
        return null;
      }
    }
  }

  /** Puts {@code value} under {@code cookie}; returns what was there, or null. */
  public V put(long cookie, V value) {
    return put(cookie, value, true);
  }

  /** Puts {@code value} under {@code cookie} unless it holds one; returns what was there, or null. */
  public V putIfAbsent(long cookie, V value) {
    return put(cookie, value, false);
  }

  @SuppressWarnings("unchecked")
  private V put(long cookie, V value, boolean replace) {
    if (value == null) {
      throw new NullPointerException("no null values");
    }
    if (cookie == 0) {
      V old = zero;
      if (old == null || replace) {
        zero = value;
      }
      return old;
    }
    if ((size + 1) * 2 > keys.length) {
      rehash(keys.length * 2);
    }
    int mask = keys.length - 1;
    for (int i = home(cookie); ; i = (i + 1) & mask) {
      long k = keys[i];
      if (k == cookie) {
        V old = (V) values[i];
        if (replace) {
          values[i] = value;
        }
        return old;
      }
      if (k == 0) {
        keys[i] = cookie;
        values[i] = value;
        size++;
        return null;
      }
    }
  }

  /** Removes what {@code cookie} holds; returns it, or null. */
  @SuppressWarnings("unchecked")
  public V remove(long cookie) {
    if (cookie == 0) {
      V old = zero;
      zero = null;
      return old;
    }
    int mask = keys.length - 1;
    int i = home(cookie);
    while (keys[i] != cookie) {
      if (keys[i] == 0) {
        return null;
      }
      i = (i + 1) & mask;
    }
    V old = (V) values[i];
    // Shift the rest of the run back, so that no lookup stops at the hole this leaves.
    for (int j = (i + 1) & mask; keys[j] != 0; j = (j + 1) & mask) {
      int k = home(keys[j]);
      boolean stays = i <= j ? (i < k && k <= j) : (i < k || k <= j);
      if (!stays) {
        keys[i] = keys[j];
        values[i] = values[j];
        i = j;
      }
    }
    keys[i] = 0;
    values[i] = null;
    size--;
    return old;
  }

  /** Every value, in no particular order (a copy). */
  @SuppressWarnings("unchecked")
  public List<V> values() {
    List<V> out = new ArrayList<>(size());
    if (zero != null) {
      out.add(zero);
    }
    for (int i = 0; i < keys.length; i++) {
      if (keys[i] != 0) {
        out.add((V) values[i]);
      }
    }
    return out;
  }

  /**
   * The keys, as a set of their own. A copy of the key table as it is (both hash alike), so 100,000
   * keys cost one array copy, not 100,000 adds.
   */
  public CookieSet keys() {
    return new CookieSet(keys.clone(), size, zero != null);
  }

  /** A map holding the same; changing one leaves the other as it is. */
  public CookieMap<V> copy() {
    CookieMap<V> out = new CookieMap<>();
    out.zero = zero;
    out.keys = keys.clone();
    out.values = values.clone();
    out.size = size;
    return out;
  }

  private int home(long cookie) {
    return CookieSet.home(cookie, keys.length);
  }

  private void rehash(int capacity) {
    long[] oldKeys = keys;
    Object[] oldValues = values;
    keys = new long[capacity];
    values = new Object[capacity];
    int mask = capacity - 1;
    for (int j = 0; j < oldKeys.length; j++) {
      long k = oldKeys[j];
      if (k != 0) {
        int i = CookieSet.home(k, capacity);
        while (keys[i] != 0) {
          i = (i + 1) & mask;
        }
        keys[i] = k;
        values[i] = oldValues[j];
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
