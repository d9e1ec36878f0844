package tenet.compiler.specialize;

import net.jpountz.xxhash.XXHash64;
import net.jpountz.xxhash.XXHashFactory;

/**
 * A rule's cookie, computed once where the compiler makes the rule: the tunnel key of the
 * datapath the rule is about (0: none) in the high 24 bits, over 40 bits of a hash of its table,
 * priority, match and actions, never 0 (OVS' "no cookie"). So within a datapath equal content
 * gives an equal cookie, and different content a different one but for a 2^-40 chance a pair.
 * XXH64 (lz4-java's pure-Java one: no native code to load): stable across JVMs and releases, which cookies kept in OVS across
 * restarts need, and about 80 ns a rule (Guava's Murmur3 took 430, SHA-256 400): every rule of
 * every chassis gets one. Nothing here needs a cryptographic hash.
 */
final class ContentCookie {
  static final int HASH_BITS = 40;
  static final int MAX_DATAPATH = 0xffffff;
  private static final long HASH_MASK = (1L << HASH_BITS) - 1;
  private static final XXHash64 XXH64 = XXHashFactory.safeInstance().hash64();

  private ContentCookie() {}

  /** {@code m} and {@code a}: the match and the actions in UTF-8. */
  static long of(int datapath, int table, int priority, byte[] m, byte[] a) {
    if (datapath < 0 || datapath > MAX_DATAPATH) {
      throw new IllegalArgumentException("datapath " + datapath + " is not a 24-bit tunnel key");
    }
    // The match and the actions hashed apart, chained: "a" then "bc" is not "ab" then "c".
    long hash = XXH64.hash(m, 0, m.length, (long) table << 32 | (priority & 0xFFFFFFFFL));
    hash = XXH64.hash(a, 0, a.length, hash) & HASH_MASK;
    return (long) datapath << HASH_BITS | (hash == 0 ? 1 : hash);
  }

  static int datapath(long cookie) {
    return (int) (cookie >>> HASH_BITS);
  }
}
