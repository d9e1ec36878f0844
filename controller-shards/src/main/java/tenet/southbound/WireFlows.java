package tenet.southbound;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import tenet.agent.v1.Flow;
import tenet.compiler.specialize.OpenFlowRule;

/**
 * Rules as the agent gets them. On the wire the cookie names the rule's whole content: the
 * compiler's datapath (its cookie's high bits, 24 of them) over 40 bits of a hash of table,
 * priority, match and actions. So equal cookies mean equal rules, and an agent that restarts can
 * tell from the cookies alone which flows OVS already holds (docs/pipeline.md).
 */
public final class WireFlows {
  private static final long HASH_BITS = 40;

  private WireFlows() {}

  public static Flow of(OpenFlowRule r) {
    return Flow.newBuilder().setCookie(cookie(r)).setTable(r.table()).setPriority(r.priority())
        .setMatch(r.match()).setActions(r.actions()).build();
  }

  static long cookie(OpenFlowRule r) {
    long datapath = (r.cookie() >>> 32) & 0xffffff;
    return datapath << HASH_BITS | contentHash(r);
  }

  private static long contentHash(OpenFlowRule r) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      byte[] d = sha.digest((r.table() + "/" + r.priority() + "/" + r.match() + "/" + r.actions())
          .getBytes(StandardCharsets.UTF_8));
      long h = 0;
      for (int i = 0; i < 8; i++) {
        h = h << 8 | (d[i] & 0xff);
      }
      long hash = h & ((1L << HASH_BITS) - 1);
      return hash == 0 ? 1 : hash; // cookie 0 is OVS' "no cookie"
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
