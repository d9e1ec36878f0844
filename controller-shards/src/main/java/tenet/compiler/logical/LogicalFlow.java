package tenet.compiler.logical;

import java.util.ArrayList;
import java.util.List;

/**
 * One rule of a logical datapath's pipeline: in {@code stage}, packets matching {@code match}
 * at {@code priority} get {@code actions}. The same on every chassis that needs it: every
 * chassis with the datapath, or, for a flow about one VM's port ({@code localPort}, its key on
 * the switch; 0: none), only the chassis where that port is plugged in.
 */
public record LogicalFlow(Datapath datapath, Stage stage, int priority, Match match, List<Action> actions,
    int localPort) implements Comparable<LogicalFlow> {
  public LogicalFlow {
    if (stage.datapath() != datapath.type()) {
      throw new IllegalArgumentException(stage + " is not a stage of " + datapath);
    }
    if (localPort < 0) {
      throw new IllegalArgumentException("localPort " + localPort + ": a port key, or 0 for none");
    }
    actions = List.copyOf(actions);
    for (int i = 0; i < actions.size() - 1; i++) {
      if (!actions.get(i).midway()) {
        throw new IllegalArgumentException(actions.get(i) + " must be the last action of " + actions);
      }
    }
  }

  /** A flow every chassis with the datapath needs. */
  public LogicalFlow(Datapath datapath, Stage stage, int priority, Match match, List<Action> actions) {
    this(datapath, stage, priority, match, actions, 0);
  }

  /** This flow, needed only where the VM port {@code port} is plugged in. */
  public LogicalFlow localTo(int port) {
    return new LogicalFlow(datapath, stage, priority, match, actions, port);
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

  /**
   * Sorts {@code flows} in {@link #compareTo} order, rendering each flow once: compareTo renders
   * both flows on every tie, and that was most of what compiling a datapath cost.
   */
  public static void sort(List<LogicalFlow> flows) {
    record Rendered(LogicalFlow flow, String text) {}
    List<Rendered> rendered = new ArrayList<>(flows.size());
    for (LogicalFlow f : flows) {
      rendered.add(new Rendered(f, f.toString()));
    }
    rendered.sort((a, b) -> {
      int c = Integer.compare(a.flow.datapath.tunnelKey(), b.flow.datapath.tunnelKey());
      if (c == 0) {
        c = a.flow.stage.compareTo(b.flow.stage);
      }
      if (c == 0) {
        c = Integer.compare(b.flow.priority, a.flow.priority);
      }
      return c != 0 ? c : a.text.compareTo(b.text);
    });
    for (int i = 0; i < rendered.size(); i++) {
      flows.set(i, rendered.get(i).flow);
    }
  }

  @Override
  public String toString() {
    StringBuilder b = new StringBuilder(96).append(stage.label()).append(" priority=").append(priority)
        .append(" match=(").append(match).append(") actions=(");
    for (int i = 0; i < actions.size(); i++) {
      b.append(i == 0 ? "" : ";").append(actions.get(i));
    }
    return b.append(')').toString();
  }
}
