package tenet.agent.flows;

import java.util.ArrayList;
import java.util.List;
import tenet.agent.v1.Flow;

/** Flows as the lines of an {@code ovs-ofctl --bundle add-flows} file. */
public final class FlowLines {
  private FlowLines() {}

  public static String add(Flow f) {
    return "add cookie=0x" + Long.toHexString(f.getCookie()) + ",table=" + f.getTable() + ",priority=" + f.getPriority()
        + (f.getMatch().isEmpty() ? "" : "," + f.getMatch()) + " actions=" + f.getActions();
  }

  /** Deletes every flow with exactly this cookie, in any table. */
  public static String delete(long cookie) {
    return "delete cookie=0x" + Long.toHexString(cookie) + "/-1";
  }

  /** One bundle: deletes first (a changed rule's old version goes before its new one comes). */
  public static List<String> bundle(FlowSet.Changes changes) {
    List<String> out = new ArrayList<>(changes.delete().size() + changes.add().size());
    changes.delete().forEach(c -> out.add(delete(c)));
    changes.add().forEach(f -> out.add(add(f)));
    return out;
  }
}
