package tenet.agent.flows;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import tenet.agent.v1.Flow;

/**
 * A full set diffed against a switch while its pages arrive (southbound.proto, FlowUpdate.more).
 * A flow whose cookie the switch does not hold is to be added as soon as its page is in; which
 * of the switch's flows the set lacks is known only with the last page ({@link #rest}). As in
 * {@link FlowSet#changesFrom}, a flow the switch holds is never deleted or added again.
 */
public final class FullSetDiff {
  private final CookieSet installed;
  private final CookieMap<Flow> flows;
  private final List<Flow> added = new ArrayList<>();

  /** {@code installed}: the cookies on the switch; not changed while the set arrives. */
  public FullSetDiff(CookieSet installed, int expectedFlows) {
    this.installed = installed;
    this.flows = new CookieMap<>(expectedFlows);
  }

  /**
   * Takes the next page's flows; returns those to add now: new to this set and not on the switch.
   *
   * @throws IllegalArgumentException for two different flows under one cookie (in any pages)
   */
  public List<Flow> page(List<Flow> page) {
    List<Flow> out = new ArrayList<>(page.size());
    for (Flow f : page) {
      Flow old = flows.putIfAbsent(f.getCookie(), f);
      if (old == null) {
        if (!installed.contains(f.getCookie())) {
          out.add(f);
        }
      } else if (!old.equals(f)) {
        throw new IllegalArgumentException("two different flows with cookie 0x" + Long.toHexString(f.getCookie())
            + ": " + FlowLines.add(old) + " and " + FlowLines.add(f));
      }
    }
    added.addAll(out);
    return out;
  }

  /** The set so far, by cookie (the whole set once the last page is in). */
  public CookieMap<Flow> flows() {
    return flows;
  }

  /**
   * With the last page in: the agent's own flows ({@code local}) the switch lacks, to add, and
   * the cookies on the switch in neither the set nor {@code local}, to delete.
   */
  public FlowSet.Changes rest(Collection<Flow> local) {
    CookieSet keep = new CookieSet(local.size());
    List<Flow> add = new ArrayList<>();
    for (Flow f : local) {
      keep.add(f.getCookie());
      if (!installed.contains(f.getCookie()) && !flows.containsKey(f.getCookie())) {
        add.add(f);
      }
    }
    List<Long> delete = new ArrayList<>();
    installed.forEach(c -> {
      if (!flows.containsKey(c) && !keep.contains(c)) {
        delete.add(c);
      }
    });
    delete.sort(null);
    added.addAll(add);
    return new FlowSet.Changes(add, delete);
  }

  /** Every flow this diff has said to add, page by page and in {@link #rest}. */
  public List<Flow> added() {
    return added;
  }
}
