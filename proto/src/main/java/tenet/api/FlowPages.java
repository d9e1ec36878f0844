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
 *
 * <p>Pages are made one at a time, when asked for: a sender that waits for its stream to be ready
 * holds the update's rules (shared, immutable lists) and a position, never the pages.
 */
public final class FlowPages<R, D> {
  /** ~100 KB of flows a page: small enough to start early, large enough that messages stay few. */
  public static final int FLOWS = 1000;
  /**
   * The first page is smaller: until it is in, the agent and OVS wait, and on a cold JVM (a
   * controller's or an agent's first full set) making and reading 1,000 flows takes tens of ms.
   */
  public static final int FIRST_FLOWS = 100;

  private final FlowUpdate bare;
  private final List<List<R>> add;
  private final Function<R, Flow> wire;
  private final List<D> remove;
  private final Function<D, Flow> removeWire;
  private final int firstPage;
  private final int perPage;
  private final long total;
  private long sent;
  private int piece;
  private int inPiece;
  private boolean started;

  /**
   * The pages of {@code header} (version, full, base version, controller; its own flows are
   * dropped) with the rules of {@code add}, piece after piece ({@code wire} makes each a flow),
   * then {@code remove} ({@code removeWire} makes each a flow: its cookie is what counts); at most
   * {@code firstPage} flows on the first page and {@code perPage} on each after. Rules become
   * wire flows only when their page is made. An update without flows is one page.
   */
  public FlowPages(FlowUpdate header, List<List<R>> add, Function<R, Flow> wire, List<D> remove,
      Function<D, Flow> removeWire, int firstPage, int perPage) {
    if (firstPage < 1 || perPage < 1) {
      throw new IllegalArgumentException("pages hold at least 1 flow, got " + firstPage + " and " + perPage);
    }
    this.bare = header.toBuilder().clearAdd().clearRemove().clearMore().build();
    this.add = add;
    this.wire = wire;
    this.remove = remove;
    this.removeWire = removeWire;
    this.firstPage = firstPage;
    this.perPage = perPage;
    long n = remove.size();
    for (List<R> p : add) {
      n += p.size();
    }
    this.total = n;
  }

  public boolean hasNext() {
    return !started || sent < total;
  }

  /** The flows of the update, adds and removes. */
  public long total() {
    return total;
  }

  public FlowUpdate next() {
    if (!hasNext()) {
      throw new IllegalStateException("every page of this update was made");
    }
    long end = sent + Math.min(total - sent, started ? perPage : firstPage);
    started = true;
    // Lists first, then one addAll each: on a cold JVM the builder's add-one-at-a-time path is
    // that much more to compile.
    List<Flow> adds = new ArrayList<>((int) (end - sent));
    List<Flow> removes = new ArrayList<>();
    while (sent < end) {
      while (piece < add.size() && inPiece == add.get(piece).size()) {
        piece++;
        inPiece = 0;
      }
      if (piece < add.size()) {
        adds.add(wire.apply(add.get(piece).get(inPiece++)));
      } else {
        removes.add(removeWire.apply(remove.get(inPiece++)));
      }
      sent++;
    }
    return bare.toBuilder().addAllAdd(adds).addAllRemove(removes).setMore(sent < total).build();
  }

  /** Sends {@code add} and {@code remove} at once, page after page (see the constructor). */
  public static <R> void send(FlowUpdate header, List<R> add, List<R> remove, Function<R, Flow> wire, int firstPage,
      int perPage, Consumer<FlowUpdate> out) {
    FlowPages<R, R> pages = new FlowPages<>(header, List.of(add), wire, remove, wire, firstPage, perPage);
    while (pages.hasNext()) {
      out.accept(pages.next());
    }
  }

  /** {@link #send} with {@link #FIRST_FLOWS} flows on the first page and {@link #FLOWS} on the others. */
  public static <R> void send(FlowUpdate header, List<R> add, List<R> remove, Function<R, Flow> wire,
      Consumer<FlowUpdate> out) {
    send(header, add, remove, wire, FIRST_FLOWS, FLOWS, out);
  }
}
