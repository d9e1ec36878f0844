package tenet.agent.flows;

import it.unimi.dsi.fastutil.longs.LongOpenHashSet;
import java.util.function.LongConsumer;

/**
 * A set of cookies held as primitive longs (fastutil's open-addressing set). The agent keeps the
 * cookies OVS holds, 100,000 and more, and looks each one of a full set up in them: as Long
 * objects in a HashSet that is a box per cookie and a pointer chase per lookup, on the path
 * between the controller's update and OVS.
 */
public final class CookieSet {
  private final LongOpenHashSet cookies;

  public CookieSet() {
    this(0);
  }

  public CookieSet(int expected) {
    cookies = new LongOpenHashSet(expected);
  }

  private CookieSet(LongOpenHashSet cookies) {
    this.cookies = cookies;
  }

  public static CookieSet of(Iterable<Long> cookies) {
    CookieSet set = new CookieSet();
    cookies.forEach(set::add);
    return set;
  }

  /** The keys of {@code keys}, as a set of their own. */
  static CookieSet copyOf(it.unimi.dsi.fastutil.longs.LongSet keys) {
    return new CookieSet(new LongOpenHashSet(keys));
  }

  public int size() {
    return cookies.size();
  }

  public boolean isEmpty() {
    return cookies.isEmpty();
  }

  public boolean contains(long cookie) {
    return cookies.contains(cookie);
  }

  /** Adds {@code cookie}; false when it was there already. */
  public boolean add(long cookie) {
    return cookies.add(cookie);
  }

  /** Removes {@code cookie}; false when it was not there. */
  public boolean remove(long cookie) {
    return cookies.remove(cookie);
  }

  public void clear() {
    cookies.clear();
  }

  /** Every cookie, in no particular order. */
  public void forEach(LongConsumer action) {
    cookies.forEach(action);
  }
}
