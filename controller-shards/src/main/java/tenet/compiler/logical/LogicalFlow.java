package tenet.compiler.logical;

import java.util.List;

/**
 * One rule of a logical datapath's pipeline: in {@code stage}, packets matching {@code match}
 * at {@code priority} get {@code actions}. The same on every chassis.
 */
public record LogicalFlow(Datapath datapath, Stage stage, int priority, Match match, List<Action> actions)
    implements Comparable<LogicalFlow> {
  public LogicalFlow {
    if (stage.datapath() != datapath.type()) {
      throw new IllegalArgumentException(stage + " is not a stage of " + datapath);
    }
    actions = List.copyOf(actions);
    for (int i = 0; i < actions.size() - 1; i++) {
      if (!actions.get(i).midway()) {
        throw new IllegalArgumentException(actions.get(i) + " must be the last action of " + actions);
      }
    }
  }

  /** Stage order, then higher priority first, then text: a stable order for golden files. */
  @Override
  public int compareTo(LogicalFlow o) {
    int c = Integer.compare(datapath.tunnelKey(), o.datapath.tunnelKey());
    if (c == 0) {
      c = stage.compareTo(o.stage);
    }
    if (c == 0) {
      c = Integer.compare(o.priority, priority);
    }
    return c != 0 ? c : toString().compareTo(o.toString());
  }

  @Override
  public String toString() {
    List<String> acts = actions.stream().map(Action::toString).toList();
    return stage.label() + " priority=" + priority + " match=(" + match + ") actions=(" + String.join(";", acts) + ")";
  }
}
