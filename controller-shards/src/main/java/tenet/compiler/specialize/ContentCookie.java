package tenet.compiler.specialize;

import com.google.common.hash.HashFunction;
import com.google.common.hash.Hashing;
import java.nio.charset.StandardCharsets;

/**
 * A rule's cookie, computed once where the compiler makes the rule: the tunnel key of the
 * datapath the rule is about (0: none) in the high 24 bits, over 40 bits of a hash of its table,
 * priority, match and actions, never 0 (OVS' "no cookie"). So within a datapath equal content
 * gives an equal cookie, and different content a different one but for a 2^-40 chance a pair.
 * Murmur3, x64 128-bit (Guava's, which gRPC brings): fast, and stable across JVMs and releases,
 * which cookies kept in OVS across restarts need; nothing here needs a cryptographic hash.
 */
final class ContentCookie {
  static final int HASH_BITS = 40;
  static final int MAX_DATAPATH = 0xffffff;
  private static final long HASH_MASK = (1L << HASH_BITS) - 1;
  private static final HashFunction MURMUR3 = Hashing.murmur3_128();

  private ContentCookie() {}

  static long of(int datapath, int table, int priority, String match, String actions) {
    if (datapath < 0 || datapath > MAX_DATAPATH) {
      throw new IllegalArgumentException("datapath " + datapath + " is not a 24-bit tunnel key");
    }
    // The match's length first: "a" then "bc" must not hash as "ab" then "c".
    long hash = MURMUR3.newHasher()
        .putInt(table).putInt(priority).putInt(match.length())
        .putString(match, StandardCharsets.UTF_8).putString(actions, StandardCharsets.UTF_8)
        .hash().asLong() & HASH_MASK;
    return (long) datapath << HASH_BITS | (hash == 0 ? 1 : hash);
  }

  static int datapath(long cookie) {
    return (int) (cookie >>> HASH_BITS);
  }
}
