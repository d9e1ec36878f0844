package tenet.southbound;

import java.util.Optional;
import tenet.agent.v1.VirtualFunctions;

/**
 * When one agent's stream is told its VF list. A node's replica of the store can be behind the
 * leader, by seconds right after the node restarted, and a list read there could take back a VF
 * the agent was given through another controller a moment before: the VM's port unplugged, then
 * plugged again. So a stream is told nothing until its replica has reached the revision the
 * leader had when the stream began (a read through the leader), and after that only lists that
 * differ from the one it was told last.
 */
public final class VfTelling {
  private long leaderRevision = -1;
  private VirtualFunctions told;

  /** The revision a read through the leader returned after the stream began. */
  public void leaderAt(long revision) {
    leaderRevision = Math.max(leaderRevision, revision);
  }

  /** Whether the leader's revision is known (until it is, nothing is told). */
  public boolean knowsLeader() {
    return leaderRevision >= 0;
  }

  /** The list to tell the agent now, given {@code list} read from a replica at {@code replicaRevision}; empty when none. */
  public Optional<VirtualFunctions> next(long replicaRevision, VirtualFunctions list) {
    if (leaderRevision < 0 || replicaRevision < leaderRevision || list.equals(told)) {
      return Optional.empty();
    }
    told = list;
    return Optional.of(list);
  }
}
