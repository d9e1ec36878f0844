package tenet.southbound;

import tenet.agent.v1.Flow;
import tenet.compiler.specialize.OpenFlowRule;

/**
 * Rules as the agent gets them. The cookie goes as the compiler made it: the rule's datapath over
 * a hash of its whole content (OpenFlowRule, docs/pipeline.md), so equal cookies mean equal rules
 * and an agent that restarts can tell from the cookies alone which flows OVS already holds.
 */
public final class WireFlows {
  private WireFlows() {}

  /** The rule's own message, made with it: every chassis it goes to is sent the same one. */
  public static Flow of(OpenFlowRule r) {
    return r.wire();
  }

  /** A removed flow: its cookie names it (southbound.proto, FlowUpdate.remove). */
  public static Flow removal(long cookie) {
    return Flow.newBuilder().setCookie(cookie).build();
  }
}
