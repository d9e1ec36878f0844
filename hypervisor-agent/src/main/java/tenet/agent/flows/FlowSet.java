package tenet.agent.flows;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import tenet.agent.v1.Flow;
import tenet.agent.v1.FlowUpdate;

/**
 * The flows a chassis should have, by cookie. The controller makes each cookie a hash of the
 * rule's whole content (docs/pipeline.md), so a cookie names exactly one rule: equal cookies,
 * equal rules, and a changed rule has a new cookie.
 */
public final class FlowSet {
  private CookieMap<Flow> byCookie = new CookieMap<>();
  /** The agent's own flows (BFD ports' reclassification), kept next to the controller's. */
  private CookieMap<Flow> local = new CookieMap<>();
  private long version;

  /** Replaces the agent's own flows; they count in {@link #changesFrom} like the controller's. */
  public void setLocal(List<Flow> flows) {
    CookieMap<Flow> next = new CookieMap<>(flows.size());
    flows.forEach(f -> next.put(f.getCookie(), f));
    local = next;
  }

  public long version() {
    return version;
  }

  /** The controller's flows (a copy). */
  public List<Flow> flows() {
    return byCookie.values();
  }

  /** The cookies of the controller's flows. */
  public long[] cookies() {
    return byCookie.cookies();
  }

  /**
   * Takes a full set (put together by {@link FullSetDiff}, which checked it) as version
   * {@code version}; the set is this one's from now on.
   */
  public void replace(long version, CookieMap<Flow> flows) {
    byCookie = flows;
    this.version = version;
  }

  /**
   * Applies a delta; it applies only on the version held. A removed flow is named by its cookie
   * alone; returns the flows removed, as held.
   *
   * @throws IllegalStateException for a delta on another version (ask for a full set)
   * @throws IllegalArgumentException for a full set (see {@link FullSetDiff}), or two different
   *     flows under one cookie
   */
  public List<Flow> apply(FlowUpdate delta) {
    if (delta.getFull()) {
      throw new IllegalArgumentException("a full set is diffed as it arrives (FullSetDiff), not applied as a delta");
    }
    if (delta.getBaseVersion() != version) {
      throw new IllegalStateException("delta on version " + delta.getBaseVersion() + " while holding " + version);
    }
    CookieMap<Flow> next = byCookie.copy();
    List<Flow> removed = new ArrayList<>();
    for (Flow f : delta.getRemoveList()) {
      Flow held = next.remove(f.getCookie());
      if (held != null) {
        removed.add(held);
      }
    }
    for (Flow f : delta.getAddList()) {
      Flow old = next.put(f.getCookie(), f);
      if (old != null && !old.equals(f)) {
        throw new IllegalArgumentException("two different flows with cookie 0x" + Long.toHexString(f.getCookie())
            + ": " + FlowLines.add(old) + " and " + FlowLines.add(f));
      }
    }
    byCookie = next;
    version = delta.getVersion();
    return removed;
  }

  /** What to change in a switch holding {@code installed} (cookies) so that it holds this set. */
  public Changes changesFrom(CookieSet installed) {
    List<Long> delete = new ArrayList<>();
    installed.forEach(c -> {
      if (!byCookie.containsKey(c) && !local.containsKey(c)) {
        delete.add(c);
      }
    });
    delete.sort(null);
    List<Flow> add = new ArrayList<>();
    for (CookieMap<Flow> flows : List.of(byCookie, local)) {
      flows.values().forEach(f -> {
        if (!installed.contains(f.getCookie())) {
          add.add(f);
        }
      });
    }
    add.sort(Comparator.comparingLong(Flow::getCookie));
    return new Changes(add, delete);
  }

  /** Flows to add and cookies to delete; nothing that already holds is touched. */
  public record Changes(List<Flow> add, List<Long> delete) {
    public boolean isEmpty() {
      return add.isEmpty() && delete.isEmpty();
    }
  }
}
