package tenet.compiler.incremental;

import java.util.List;
import tenet.compiler.specialize.OpenFlowRule;

/**
 * What changed in one chassis' OpenFlow: remove {@code removed}, then add {@code added}. No rule
 * is in both.
 */
public record ChassisDelta(List<OpenFlowRule> added, List<OpenFlowRule> removed) {
  public ChassisDelta {
    added = List.copyOf(added);
    removed = List.copyOf(removed);
  }

  public int size() {
    return added.size() + removed.size();
  }
}
