package tenet.agent.flows;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import tenet.agent.v1.Flow;
import tenet.agent.v1.FlowUpdate;

/**
 * The flows a chassis should have, by cookie. The controller makes each cookie a hash of the
 * rule's whole content (docs/pipeline.md), so a cookie names exactly one rule: equal cookies,
 * equal rules, and a changed rule has a new cookie.
 */
public final class FlowSet {
  private final Map<Long, Flow> byCookie = new HashMap<>();
  /** The agent's own flows (BFD ports' reclassification), kept next to the controller's. */
  private Map<Long, Flow> local = Map.of();
  private long version;

  /** Replaces the agent's own flows; they count in {@link #changesFrom} like the controller's. */
  public void setLocal(List<Flow> flows) {
    Map<Long, Flow> next = new HashMap<>();
    flows.forEach(f -> next.put(f.getCookie(), f));
    local = Map.copyOf(next);
  }

  public long version() {
    return version;
  }

  public Map<Long, Flow> flows() {
    return java.util.Collections.unmodifiableMap(byCookie);
  }

  /**
   * Applies an update: a full set replaces everything; a delta applies only on the version held.
   *
   * @throws IllegalStateException for a delta on another version (ask for a full set)
   */
  public void apply(FlowUpdate update) {
    if (!update.getFull() && update.getBaseVersion() != version) {
      throw new IllegalStateException("delta on version " + update.getBaseVersion() + " while holding " + version);
    }
    Map<Long, Flow> next = update.getFull() ? new HashMap<>() : new HashMap<>(byCookie);
    for (Flow f : update.getRemoveList()) {
      next.remove(f.getCookie());
    }
    for (Flow f : update.getAddList()) {
      Flow old = next.put(f.getCookie(), f);
      if (old != null && !old.equals(f)) {
        throw new IllegalArgumentException("two different flows with cookie 0x" + Long.toHexString(f.getCookie())
            + ": " + FlowLines.add(old) + " and " + FlowLines.add(f));
      }
    }
    byCookie.clear();
    byCookie.putAll(next);
    version = update.getVersion();
  }

  /** What to change in a switch holding {@code installed} (cookies) so that it holds this set. */
  public Changes changesFrom(Collection<Long> installed) {
    List<Long> delete = installed.stream().filter(c -> !byCookie.containsKey(c) && !local.containsKey(c)).sorted().toList();
    java.util.Set<Long> have = new java.util.HashSet<>(installed);
    List<Flow> add = java.util.stream.Stream.concat(byCookie.values().stream(), local.values().stream())
        .filter(f -> !have.contains(f.getCookie()))
        .sorted(java.util.Comparator.comparingLong(Flow::getCookie)).toList();
    return new Changes(add, delete);
  }

  /** Flows to add and cookies to delete; nothing that already holds is touched. */
  public record Changes(List<Flow> add, List<Long> delete) {
    public boolean isEmpty() {
      return add.isEmpty() && delete.isEmpty();
    }
  }
}
