package tenet.agent;

import java.io.IOException;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tenet.agent.flows.CookieMap;
import tenet.agent.flows.CookieSet;
import tenet.agent.flows.FlowLines;
import tenet.agent.flows.FlowSet;
import tenet.agent.flows.FullSetDiff;
import tenet.agent.flows.LineBuffer;
import tenet.agent.flows.TunnelPeers;
import tenet.agent.ovs.OvsCommands;
import tenet.agent.v1.Flow;

/**
 * One full set going into OVS while its pages arrive: each page is diffed against what OVS holds
 * and its adds are written into one bundle at once, so that ovs-ofctl parses them while the rest
 * is still on the way; with the last page the deletes follow and the bundle is committed, all or
 * nothing. Dropped before that ({@link #close}), ovs-ofctl is killed having sent nothing.
 *
 * <p>A full set is compared with what OVS holds now, not with what the agent last put there (an
 * ovs-vswitchd that restarted empty, flows someone removed). That is one cheap count, but a
 * process of its own, so it runs while the pages arrive; only when it disagrees with the cookies
 * the pages were diffed against does the set get diffed again, against the cookies OVS holds
 * then, into a new bundle.
 */
final class FullSetApply implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(FullSetApply.class);

  /** What the commit did: the last part of the diff, and the cookies OVS holds now. */
  record Committed(FlowSet.Changes rest, CookieSet installed) {}

  private final OvsCommands ovs;
  private final int diffedAgainst;
  private final CompletableFuture<Long> count;
  private final boolean findPeers;
  private final Set<String> peers = new TreeSet<>();
  private FullSetDiff diff;
  private OvsCommands.Bundle bundle;
  /** Each page's lines, written into the bundle before the next page comes. */
  private final LineBuffer lines = new LineBuffer(128 * 1024);
  /** Set when ovs-ofctl would not start: the rest of the pages are only taken in. */
  private IOException failed;

  /**
   * {@code installed}: the cookies OVS held when the agent last looked. {@code ready}: an
   * ovs-ofctl started ahead for this set (see {@link FlowApplier#fullSetAsked}), or null.
   * {@code findPeers}: whether to collect the tunnel peers (BFD) while the pages arrive.
   */
  FullSetApply(OvsCommands ovs, CookieSet installed, OvsCommands.Bundle ready, boolean findPeers) {
    this.ovs = ovs;
    this.diffedAgainst = installed.size();
    this.count = flowCountMeanwhile(ovs);
    this.findPeers = findPeers;
    this.diff = new FullSetDiff(installed, installed.size());
    try {
      if (ready != null && ready.isOpen()) {
        bundle = ready;
      } else {
        if (ready != null) {
          ready.close();
        }
        bundle = ovs.openBundle();
      }
    } catch (IOException e) {
      failed = e;
    }
  }

  /** Takes the next page's flows. @throws IllegalArgumentException for two different flows under one cookie */
  void take(List<Flow> page) {
    List<Flow> add = diff.page(page);
    if (findPeers) {
      peers.addAll(TunnelPeers.of(page));
    }
    write(add, List.of());
  }

  /** The set so far, by cookie (all of it once the last page is in). */
  CookieMap<Flow> flows() {
    return diff.flows();
  }

  /** The tunnel peers of the set so far (when asked to find them). */
  Set<String> peers() {
    return peers;
  }

  /** Every flow this set has added, page by page and in the commit. */
  List<Flow> added() {
    return diff.added();
  }

  /**
   * With the last page: the rest of the diff (the agent's own flows, {@code local}, and what OVS
   * holds that the set lacks) into the bundle, and the bundle committed.
   */
  Committed commit(List<Flow> local) throws IOException {
    if (failed != null) {
      throw failed;
    }
    long held = join(count);
    if (held != diffedAgainst) {
      log.warn("{} holds {} flows where {} were expected: diffing the full set against what it holds", ovs.bridge(),
          held, diffedAgainst);
      bundle.close();
      List<Flow> flows = diff.flows().values();
      diff = new FullSetDiff(ovs.installedCookies(), flows.size());
      bundle = ovs.openBundle();
      write(diff.page(flows), List.of());
    }
    FlowSet.Changes rest = diff.rest(local);
    write(rest.add(), rest.delete());
    bundle.commit();
    // OVS holds the set and the agent's own flows now, and nothing else: what it had that the
    // set lacks went, what it lacked came. (One copy of the set's key table, not 100,000 adds.)
    CookieSet installed = diff.flows().keys();
    for (Flow f : local) {
      installed.add(f.getCookie());
    }
    return new Committed(rest, installed);
  }

  /** Drops the bundle unsent, unless it was committed. */
  @Override
  public void close() {
    if (bundle != null) {
      bundle.close();
    }
  }

  private void write(List<Flow> add, List<Long> delete) {
    if (failed != null) {
      return;
    }
    lines.clear();
    for (Flow f : add) {
      FlowLines.appendAdd(f, lines);
    }
    for (long cookie : delete) {
      FlowLines.appendDelete(cookie, lines);
    }
    bundle.write(lines);
  }

  /** {@link OvsCommands#flowCount} on a thread of its own. */
  private static CompletableFuture<Long> flowCountMeanwhile(OvsCommands ovs) {
    CompletableFuture<Long> out = new CompletableFuture<>();
    Thread.ofVirtual().start(() -> {
      try {
        out.complete(ovs.flowCount());
      } catch (IOException | RuntimeException e) {
        out.completeExceptionally(e);
      }
    });
    return out;
  }

  private static long join(CompletableFuture<Long> count) throws IOException {
    try {
      return count.get();
    } catch (ExecutionException e) {
      throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted counting flows", e);
    }
  }
}
