package tenet.agent;

import java.io.IOException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tenet.agent.flows.CookieSet;
import tenet.agent.flows.FlowLines;
import tenet.agent.flows.FlowSet;
import tenet.agent.flows.LineBuffer;
import tenet.agent.flows.TunnelPeers;
import tenet.agent.ovs.BfdPorts;
import tenet.agent.ovs.BridgeSetup;
import tenet.agent.ovs.OvsCommands;
import tenet.agent.v1.Flow;
import tenet.agent.v1.FlowUpdate;

/**
 * Puts the controllers' flow updates into OVS: each update, in one message or in pages
 * (southbound.proto, FlowUpdate.more), becomes one bundle of only what differs from what OVS
 * holds, and then its version is written on the bridge and it is acked. A full set goes into its
 * bundle page by page while the rest is still on the way ({@link FullSetApply}); a delta (small)
 * is put together and applied with its last page. Pages of another update before the last one,
 * or a stream that ends before it, leave OVS as it was. Runs on the agent's one thread.
 */
final class FlowApplier {
  private static final Logger log = LoggerFactory.getLogger(FlowApplier.class);
  /** Bridge external_ids key recording the applied version next to the flows it describes. */
  static final String APPLIED_VERSION = "tenet-applied-version";

  /** What a page did. */
  sealed interface Outcome permits Incomplete, Applied, Refused, Failed {}

  /** More pages of this update are to come. */
  record Incomplete() implements Outcome {}

  /** The update is in OVS and its version on the bridge: to be acked. */
  record Applied(long version) implements Outcome {}

  /**
   * The update cannot apply (a delta on another version, two rules under one cookie, another
   * update before this one's last page): OVS is as it was; a full set puts it right.
   */
  record Refused(String why) implements Outcome {}

  /** OVS refused the bundle (so changed nothing) or is away. */
  record Failed(String why) implements Outcome {}

  private static final Incomplete INCOMPLETE = new Incomplete();

  private final AgentConfig config;
  private final OvsCommands ovs;
  /** Null when the agent runs without BFD. */
  private final BfdPorts bfd;
  private final FlowSet desired = new FlowSet();
  /** The cookies OVS holds, as far as this process knows (checked against OVS' count). */
  private CookieSet installed = new CookieSet();
  private long applied;
  /** The store revision of the applied set (FlowUpdate.revision); 0 when not known (after a start). */
  private long appliedRevision;
  /** The update whose pages are arriving; null between updates. */
  private Arrival arrival;
  /**
   * ovs-ofctl for the bundle of the full set that a hello asks for, started with the hello, so
   * that its start-up (exec, connecting to the switch) is out of the way when the first page
   * comes. Null when none is waiting.
   */
  private OvsCommands.Bundle opened;
  /**
   * ovs-ofctl started ahead for the next delta or audit: a delta is a few flows, and starting the
   * tool took longer than OVS' work on them (docs/benchmarks.md, "Plugged to forwarding"). It
   * connects to the switch only once its input ends. Null when none waits.
   */
  private OvsCommands.Bundle nextDelta;

  FlowApplier(AgentConfig config, OvsCommands ovs, BfdPorts bfd) {
    this.config = config;
    this.ovs = ovs;
    this.bfd = bfd;
  }

  /** Reads what OVS holds and the version recorded with it (at start). */
  void load() throws IOException {
    installed = ovs.installedCookies();
    String recorded = ovs.vsctl("--if-exists", "get", "bridge", config.bridge(), "external_ids:" + APPLIED_VERSION)
        .strip().replace("\"", "");
    applied = recorded.isEmpty() ? 0 : Long.parseLong(recorded);
  }

  long applied() {
    return applied;
  }

  /**
   * The cookies of the controllers' flows of the applied version, for a hello, when this process
   * holds that set whole (an agent that just started knows OVS' cookies, not which are the
   * controllers'); else none.
   */
  long[] heldCookies() {
    return holdsWhole() ? desired.cookies() : new long[0];
  }

  /** The store revision of the flows {@link #heldCookies} names, for a hello; 0 with none. */
  long heldRevision() {
    return holdsWhole() ? appliedRevision : 0;
  }

  private boolean holdsWhole() {
    return applied > 0 && desired.version() == applied && arrival == null;
  }

  long desiredVersion() {
    return desired.version();
  }

  int installedCount() {
    return installed.size();
  }

  /** Takes the next message of the stream. */
  Outcome page(FlowUpdate page) {
    if (arrival != null && !arrival.continuedBy(page)) {
      String why = "version " + page.getVersion() + " began before the last page of version " + arrival.head.getVersion();
      abandon();
      return new Refused(why);
    }
    try {
      if (arrival == null) {
        arrival = new Arrival(page);
      }
      arrival.take(page);
    } catch (IllegalArgumentException | IllegalStateException e) {
      abandon();
      return new Refused(e.getMessage());
    }
    if (page.getMore()) {
      return INCOMPLETE;
    }
    Arrival done = arrival;
    arrival = null;
    return done.full == null ? applyDelta(done.delta.build(), done.started) : applyFullSet(done);
  }

  /** A hello is about to ask for a full set (sent on a new stream): its bundle can start now. */
  void fullSetAsked() {
    if (opened == null) {
      try {
        opened = ovs.openBundle();
      } catch (IOException e) {
        log.warn("agent {}: starting ovs-ofctl failed (trying again with the full set): {}", config.chassis(),
            e.getMessage());
      }
    }
  }

  /** The stream that brought the pages so far ended: their update will not be completed. */
  void abandon() {
    if (arrival != null && arrival.full != null) {
      arrival.full.close(); // ovs-ofctl had not sent anything: OVS never sees it
    }
    arrival = null;
    if (opened != null) {
      opened.close(); // the full set the hello asked for will not come on this stream
      opened = null;
    }
  }

  private Outcome applyFullSet(Arrival done) {
    try (FullSetApply full = done.full) {
      long version = done.head.getVersion();
      desired.replace(version, full.flows());
      long lastPage = System.nanoTime();
      List<Flow> local = bfd == null ? List.of() : TunnelPeers.reclassify(bfd.reconcile(full.peers()));
      desired.setLocal(local);
      FullSetApply.Committed committed = full.commit(local);
      installed = committed.installed();
      long inOvs = System.nanoTime();
      recordVersion(version);
      appliedRevision = done.head.getRevision();
      startNextDelta(); // what usually follows a full set
      log.info("agent {}: version {} applied (+{} -{} flows; pages over {} ms, then {} ms in OVS, {} ms to record it)",
          config.chassis(), version, full.added().size(), committed.rest().delete().size(), ms(lastPage - done.started),
          ms(inOvs - lastPage), ms(System.nanoTime() - inOvs));
      return new Applied(version);
    } catch (IOException e) {
      return new Failed(e.getMessage());
    }
  }

  private Outcome applyDelta(FlowUpdate delta, long started) {
    List<Flow> removed;
    try {
      removed = desired.apply(delta);
    } catch (IllegalStateException | IllegalArgumentException e) {
      return new Refused(e.getMessage());
    }
    FlowSet.Changes changes;
    long putTogether = System.nanoTime();
    long inOvs;
    try {
      if (bfd != null && TunnelPeers.touched(delta.getAddList(), removed)) {
        // Peers change only with tunnel flows: a delta without any leaves the BFD ports as they are.
        desired.setLocal(TunnelPeers.reclassify(bfd.reconcile(TunnelPeers.of(desired.flows()))));
      }
      changes = putInOvs();
      inOvs = System.nanoTime();
      recordVersion(delta.getVersion());
      appliedRevision = delta.getRevision();
    } catch (IOException e) {
      return new Failed(e.getMessage());
    }
    if (!changes.isEmpty() || delta.getAddCount() + delta.getRemoveCount() == 0) {
      // Three spans, so that a log line's time tells when the update came and when OVS had it
      // (ops/lib/bench-plug.sh). An empty delta is logged too: it is a new stream's answer to the
      // flows the agent said it held, and says that nothing changed.
      log.info("agent {}: version {} applied (+{} -{} flows; {} ms to put together, {} ms to diff and put in OVS, "
          + "{} ms to record it)", config.chassis(), delta.getVersion(), changes.add().size(), changes.delete().size(),
          ms(putTogether - started), ms(inOvs - putTogether), ms(System.nanoTime() - inOvs));
    }
    return new Applied(delta.getVersion());
  }

  /** Makes OVS hold the desired set: what differs from {@link #installed}, in one bundle. */
  private FlowSet.Changes putInOvs() throws IOException {
    FlowSet.Changes changes = desired.changesFrom(installed);
    LineBuffer lines = FlowLines.bundle(changes);
    if (!lines.isEmpty()) {
      try {
        OvsCommands.Bundle waiting = waitingBundle();
        try {
          commit(waiting != null ? waiting : ovs.openBundle(), lines);
        } catch (IOException e) {
          if (waiting == null) {
            throw e;
          }
          // It may have died while it waited. A bundle is all or nothing, and adding or removing
          // a flow twice leaves it as once: one more try, with an ovs-ofctl started now.
          commit(ovs.openBundle(), lines);
        }
      } finally {
        startNextDelta();
      }
    }
    changes.delete().forEach(installed::remove);
    changes.add().forEach(f -> installed.add(f.getCookie()));
    return changes;
  }

  private static void commit(OvsCommands.Bundle bundle, LineBuffer lines) throws IOException {
    try (bundle) {
      bundle.write(lines);
      bundle.commit();
    }
  }

  /** The ovs-ofctl started ahead, when it still waits; else null. */
  private OvsCommands.Bundle waitingBundle() {
    OvsCommands.Bundle waiting = nextDelta;
    nextDelta = null;
    if (waiting != null && !waiting.isOpen()) {
      waiting.close();
      return null;
    }
    return waiting;
  }

  private void startNextDelta() {
    if (nextDelta != null) {
      return;
    }
    try {
      nextDelta = ovs.openBundle();
    } catch (IOException e) {
      // the next delta starts its own
    }
  }

  /** At the agent's end: stops every ovs-ofctl that waits for lines; none has sent anything. */
  void close() {
    abandon();
    if (nextDelta != null) {
      nextDelta.close();
      nextDelta = null;
    }
  }

  private void recordVersion(long version) throws IOException {
    // --no-wait: the version is in the database (on disk) when ovs-vsctl returns; waiting on
    // top of that for ovs-vswitchd to take in a column it does nothing with adds only its time.
    ovs.vsctl("--no-wait", "set", "bridge", config.bridge(), "external_ids:" + APPLIED_VERSION + "=\"" + version + "\"");
    applied = version;
  }

  /**
   * Puts the applied flows back when OVS lost them: a restarted ovs-vswitchd comes up with an
   * empty br-int (and no TLV map), and nothing else would tell the agent. Counting is one cheap
   * request; only when the count differs does the agent read the cookies and put back what is
   * missing (and remove what it did not put there).
   */
  void audit() {
    if (arrival != null || desired.version() == 0 || applied != desired.version()) {
      return; // an update is arriving, nothing is applied yet, or a retry is pending
    }
    try {
      long count = ovs.flowCount();
      if (count == installed.size()) {
        return;
      }
      log.warn("agent {}: {} holds {} flows where version {} has {} (ovs-vswitchd restarted, or someone changed them);"
          + " putting them back", config.chassis(), config.bridge(), count, applied, installed.size());
      BridgeSetup.ensure(ovs, config.datapathType(), config.tunnelIp(), config.encapsulations());
      installed = ovs.installedCookies();
      FlowSet.Changes changes = putInOvs();
      log.info("agent {}: version {} put back (+{} -{} flows)", config.chassis(), applied, changes.add().size(),
          changes.delete().size());
    } catch (IOException e) {
      log.warn("agent {}: checking the flows in OVS failed: {}", config.chassis(), e.getMessage());
    }
  }

  private static long ms(long nanos) {
    return nanos / 1_000_000;
  }

  /** One update's pages so far: a full set going into OVS as they come, or a delta put together. */
  private final class Arrival {
    final FlowUpdate head;
    final long started = System.nanoTime();
    /** Null for a delta. */
    final FullSetApply full;
    /** Null for a full set. */
    final FlowUpdate.Builder delta;

    Arrival(FlowUpdate head) {
      this.head = head;
      if (head.getFull()) {
        full = new FullSetApply(ovs, installed, opened, bfd != null);
        opened = null;
        delta = null;
      } else {
        full = null;
        delta = head.toBuilder().clearAdd().clearRemove().clearMore();
      }
    }

    /** A page of the same update: same version, kind and base. */
    boolean continuedBy(FlowUpdate page) {
      return page.getVersion() == head.getVersion() && page.getFull() == head.getFull()
          && page.getBaseVersion() == head.getBaseVersion();
    }

    void take(FlowUpdate page) {
      if (full != null) {
        full.take(page.getAddList());
      } else {
        delta.addAllAdd(page.getAddList()).addAllRemove(page.getRemoveList());
      }
    }
  }
}
