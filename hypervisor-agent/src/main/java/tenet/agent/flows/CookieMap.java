package tenet.agent.flows;

import it.unimi.dsi.fastutil.longs.Long2ObjectOpenHashMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Values (never null) by cookie, the keys held as primitive longs (fastutil's open-addressing map), as
 * {@link CookieSet} holds cookies. A full set is 100,000 flows and more put in by cookie while
 * they arrive: a HashMap would box every cookie, and its general code is a good part of what the
 * JIT compiles on the agent's first update, while ovs-ofctl needs the CPU.
 */
public final class CookieMap<V> {
  private final Long2ObjectOpenHashMap<V> byCookie;

  public CookieMap() {
    this(0);
  }

  public CookieMap(int expected) {
    byCookie = new Long2ObjectOpenHashMap<>(expected);
  }

  private CookieMap(Long2ObjectOpenHashMap<V> byCookie) {
    this.byCookie = byCookie;
  }

  public int size() {
    return byCookie.size();
  }

  public boolean isEmpty() {
    return byCookie.isEmpty();
  }

  public boolean containsKey(long cookie) {
    return byCookie.containsKey(cookie);
  }

  public V get(long cookie) {
    return byCookie.get(cookie);
  }

  /** Puts {@code value} under {@code cookie}; returns what was there, or null. */
  public V put(long cookie, V value) {
    return byCookie.put(cookie, Objects.requireNonNull(value, "value"));
  }

  /** Puts {@code value} under {@code cookie} unless it holds one; returns what was there, or null. */
  public V putIfAbsent(long cookie, V value) {
    return byCookie.putIfAbsent(cookie, Objects.requireNonNull(value, "value"));
  }

  /** Removes what {@code cookie} holds; returns it, or null. */
  public V remove(long cookie) {
    return byCookie.remove(cookie);
  }

  /** Every value, in no particular order (a copy). */
  public List<V> values() {
    return new ArrayList<>(byCookie.values());
  }

  /** The keys, in no particular order (a copy). */
  public long[] cookies() {
    return byCookie.keySet().toLongArray();
  }

  /** The keys, as a set of their own. */
  public CookieSet keys() {
    return CookieSet.copyOf(byCookie.keySet());
  }

  /** A map holding the same; changing one leaves the other as it is. */
  public CookieMap<V> copy() {
    return new CookieMap<>(byCookie.clone());
  }
}
