package tenet.api;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;
import tenet.agent.v1.Flow;
import tenet.agent.v1.FlowUpdate;

/**
 * How a controller sends one flow update to an agent that takes pages (southbound.proto,
 * {@code Hello.paged_updates}): a run of messages with the update's version, full and base
 * version, at most {@link #FLOWS} flows each (the first at most {@link #FIRST_FLOWS}), adds
 * before removes, {@code more} on all but the last. 100,000 flows in one message are ~10 MB that
 * the agent can only start on once the last byte is in; in pages it diffs and feeds OVS while the
 * rest is still on the way.
 */
public final class FlowPages {
  /** ~100 KB of flows a page: small enough to start early, large enough that messages stay few. */
  public static final int FLOWS = 1000;
  /**
   * The first page is smaller: until it is in, the agent and OVS wait, and on a cold JVM (a
   * controller's or an agent's first full set) making and reading 1,000 flows takes tens of ms.
   */
  public static final int FIRST_FLOWS = 100;

  private FlowPages() {}

  /**
   * Sends {@code header} (version, full, base version, controller; its own flows are dropped)
   * with {@code add} and {@code remove} as pages of at most {@code firstPage} flows and then
   * {@code perPage} each, converting each rule to the wire only when its page is made, so the
   * first page leaves before the last is built. An update without flows is one page.
   */
  public static <R> void send(FlowUpdate header, List<R> add, List<R> remove, Function<R, Flow> wire, int firstPage,
      int perPage, Consumer<FlowUpdate> out) {
    if (firstPage < 1 || perPage < 1) {
      throw new IllegalArgumentException("pages hold at least 1 flow, got " + firstPage + " and " + perPage);
    }
    FlowUpdate bare = header.toBuilder().clearAdd().clearRemove().clearMore().build();
    int total = add.size() + remove.size();
    int sent = 0;
    do {
      int end = sent + Math.min(total - sent, sent == 0 ? firstPage : perPage); // no overflow at MAX_VALUE
      // Lists first, then one addAll each: a page is 1,000 flows, and on a cold JVM the builder's
      // add-one-at-a-time path is that much more to compile.
      List<Flow> adds = new ArrayList<>(end - sent);
      List<Flow> removes = new ArrayList<>();
      for (int i = sent; i < end; i++) {
        if (i < add.size()) {
          adds.add(wire.apply(add.get(i)));
        } else {
          removes.add(wire.apply(remove.get(i - add.size())));
        }
      }
      out.accept(bare.toBuilder().addAllAdd(adds).addAllRemove(removes).setMore(end < total).build());
      sent = end;
    } while (sent < total);
  }

  /** {@link #send} with {@link #FIRST_FLOWS} flows on the first page and {@link #FLOWS} on the others. */
  public static <R> void send(FlowUpdate header, List<R> add, List<R> remove, Function<R, Flow> wire,
      Consumer<FlowUpdate> out) {
    send(header, add, remove, wire, FIRST_FLOWS, FLOWS, out);
  }
}
