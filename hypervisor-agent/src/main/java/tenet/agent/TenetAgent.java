package tenet.agent;

import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import java.io.File;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tenet.agent.ovs.BfdPorts;
import tenet.agent.link.ControllerLink;
import tenet.agent.ovs.BridgeSetup;
import tenet.agent.ovs.InterfaceMonitor;
import tenet.agent.ovs.OvsCommands;
import tenet.agent.sriov.SriovException;
import tenet.agent.sriov.VfPort;
import tenet.agent.sriov.host.SriovAgent;
import tenet.agent.v1.Ack;
import tenet.agent.v1.AgentMessage;
import tenet.agent.v1.FlowUpdate;
import tenet.agent.v1.Hello;
import tenet.agent.v1.HostedPort;
import tenet.agent.v1.Ports;
import tenet.agent.v1.TunnelHealth;
import tenet.agent.v1.Tunnels;
import tenet.agent.v1.VirtualFunction;
import tenet.agent.v1.VirtualFunctions;
import tenet.agent.vifs.InterfaceEvent;
import tenet.agent.vifs.PluggedVifs;

/**
 * The tenet-agent process: owns the integration bridge, reports what is plugged in, and puts
 * the controllers' flows into OVS. Everything happens on one thread; the threads that read the
 * controller's stream and OVSDB's notifications only hand their messages over. With every
 * controller gone the flows stay where they are; on reconnect (or restart) the agent says which
 * version it has applied, gets a full set, and changes only what differs from what OVS holds.
 */
public final class TenetAgent implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(TenetAgent.class);
  /** How long after a failed apply the agent asks for a full set again. */
  static final Duration RETRY_AFTER = Duration.ofSeconds(2);
  /** How long the start waits for ovsdb-server's first answer (as long as one ovs-vsctl may take). */
  static final Duration OVSDB_TIMEOUT = Duration.ofSeconds(30);

  private final AgentConfig config;
  private final OvsCommands ovs;
  private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "agent"));
  private final FlowApplier flows;
  private final ControllerLink link;
  private final SriovAgent sriov;
  /** What is plugged in, from OVSDB's notifications (the monitor's events, taken in on this thread). */
  private final PluggedVifs vifs = new PluggedVifs();
  private volatile InterfaceMonitor monitor;
  /** Null without BFD (config ovs.bfd = false, or no Geneve). */
  private final BfdPorts bfd;
  /** BFD on each tunnel as last reported (with every hello, and when it changes). */
  private List<TunnelHealth> tunnels = List.of();
  private boolean retryPending;

  private TenetAgent(AgentConfig config) {
    this.config = config;
    this.ovs = new OvsCommands(config.ovsRundir(), config.bridge());
    this.bfd = config.bfd() && config.encapsulations().contains(tenet.api.v1.Encapsulation.GENEVE)
        ? new BfdPorts(ovs, config.tunnelIp()) : null;
    this.flows = new FlowApplier(config, ovs, bfd);
    this.sriov = SriovAgent.onHost(config.sriov(), ovs);
    this.link = new ControllerLink(config.chassis(), config.controllers(), config.reconnectMin(),
        config.reconnectMax(), thread, this::hello, new ControllerLink.Listener() {
          @Override
          public void update(FlowUpdate page) {
            TenetAgent.this.update(page);
          }

          @Override
          public void streamEnded() {
            flows.abandon(); // the rest of an update half arrived will not come on a new stream
          }

          @Override
          public void virtualFunctions(VirtualFunctions functions) {
            assignVirtualFunctions(functions);
          }
        });
  }

  public static TenetAgent start(AgentConfig config) throws Exception {
    TenetAgent agent = new TenetAgent(config);
    try {
      agent.thread.submit(() -> {
        agent.init();
        return null;
      }).get();
    } catch (Exception e) {
      agent.close();
      throw e;
    }
    return agent;
  }

  private void init() throws IOException {
    BridgeSetup.ensure(ovs, config.datapathType(), config.tunnelIp(), config.encapsulations());
    sriov.start(thread); // VFs and their representors; before the monitor's first read, so the first Hello has them
    flows.load();
    // The hello says what is plugged in, and the controllers unbind whatever it leaves out: it
    // waits for the monitor's first read of the whole table.
    InterfaceMonitor.Started started = InterfaceMonitor.start(ovs.dbSocket(), OVSDB_TIMEOUT, this::fromMonitor);
    interfaces(started.snapshot());
    monitor = started.monitor();
    log.info("agent {}: bridge {} holds {} flows at version {}, {} ports plugged in", config.chassis(), config.bridge(),
        flows.installedCount(), flows.applied(), vifs.ports().size());
    link.start();
    long audit = config.auditInterval().toMillis();
    thread.scheduleWithFixedDelay(() -> {
      pollTunnels();
      flows.audit();
    }, audit, audit, TimeUnit.MILLISECONDS);
    long reread = config.vifRereadInterval().toMillis();
    thread.scheduleWithFixedDelay(monitor::reread, reread, reread, TimeUnit.MILLISECONDS);
  }

  /** The monitor's events, from its thread onto the agent's. */
  private void fromMonitor(InterfaceEvent event) {
    try {
      thread.execute(() -> interfaces(event));
    } catch (RejectedExecutionException closing) {
      // the agent is closing: nothing is sent any more
    }
  }

  /** Tells the controllers as soon as the plugged-in ports differ from what they were told. */
  private void interfaces(InterfaceEvent event) {
    boolean wasInStep = vifs.inStep();
    PluggedVifs.Outcome outcome = vifs.take(event);
    if (event instanceof InterfaceEvent.Lost lost) {
      log.warn("agent {}: lost ovsdb-server ({}); the {} ports reported stand until it answers again", config.chassis(),
          lost.why(), vifs.ports().size());
    } else if (!wasInStep && vifs.inStep() && monitor != null) {
      log.info("agent {}: ovsdb-server answers again; read the Interface table anew", config.chassis());
    }
    outcome.refused().filter(r -> !r.isEmpty()).ifPresent(r -> log.warn(
        "agent {}: not reporting VIFs above ofport {} (their ofport is their conntrack zone): {}", config.chassis(),
        PluggedVifs.MAX_VIF_OFPORT, r));
    outcome.report().ifPresent(r -> {
      log.info("agent {}: {} ports plugged in (+{} -{})", config.chassis(), r.ports().size(), names(r.plugged()),
          names(r.unplugged()));
      link.send(AgentMessage.newBuilder().setPorts(Ports.newBuilder().addAllPorts(r.ports())).build());
    });
  }

  private static List<String> names(List<HostedPort> ports) {
    return ports.stream().map(p -> p.getTenant() + "/" + p.getLogicalPort() + "@" + p.getOfport()).toList();
  }

  private Hello hello() {
    Hello.Builder hello = Hello.newBuilder().setChassis(config.chassis()).setHostname(config.hostname())
        .setTunnelIp(config.tunnelIp()).addAllEncapsulations(config.encapsulations()).setAppliedVersion(flows.applied())
        .setSriovVfCapacity(sriov.capacity())
        .setPorts(Ports.newBuilder().addAllPorts(vifs.ports())).setTunnels(Tunnels.newBuilder().addAllTunnels(tunnels))
        .setPagedUpdates(true);
    long[] held = flows.heldCookies();
    if (held.length == 0) {
      flows.fullSetAsked(); // what this hello gets first is a full set
    }
    for (long cookie : held) {
      hello.addHeldCookies(cookie); // the answer is a delta on them
    }
    hello.setHeldRevision(flows.heldRevision());
    return hello.build();
  }

  private void update(FlowUpdate page) {
    switch (flows.page(page)) {
      case FlowApplier.Incomplete more -> {
        // the update is applied and acked with its last page
      }
      case FlowApplier.Applied done ->
          link.send(AgentMessage.newBuilder().setAck(Ack.newBuilder().setVersion(done.version())).build());
      case FlowApplier.Refused refused -> link.restart(refused.why()); // a full set puts it right
      case FlowApplier.Failed failed -> {
        // OVS refused the bundle (so changed nothing) or is away: no ack; the controllers see
        // desired != applied, and the agent asks for a full set again (retryLater).
        log.error("agent {}: applying version {} failed: {}", config.chassis(), page.getVersion(), failed.why());
        retryLater();
      }
    }
  }

  /**
   * The VFs the API gives ports here. A port whose entry the agent cannot use is logged and left
   * out (and so never reported plugged in: its binding stays absent); the others go on.
   */
  private void assignVirtualFunctions(VirtualFunctions functions) {
    List<VfPort> vfPorts = new ArrayList<>();
    for (VirtualFunction f : functions.getFunctionsList()) {
      try {
        vfPorts.add(VfPort.of(f));
      } catch (SriovException e) {
        log.error("agent {}: sriov: {}", config.chassis(), e.getMessage());
      }
    }
    try {
      sriov.assign(vfPorts); // the representors it plugs and unplugs come back through the monitor
    } catch (IOException | RuntimeException e) {
      log.error("agent {}: sriov: {}", config.chassis(), e.getMessage());
    }
  }

  /**
   * After a failed apply nothing may change for a long time, so the agent asks again itself: a
   * new stream brings a full set, compared with what OVS holds then. One retry pending at a time.
   */
  private void retryLater() {
    if (retryPending) {
      return;
    }
    retryPending = true;
    thread.schedule(() -> {
      retryPending = false;
      if (flows.applied() != flows.desiredVersion()) {
        link.restart("version " + flows.desiredVersion() + " is not applied yet; asking for a full set again");
      }
    }, RETRY_AFTER.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Tells the controllers when BFD's view of a tunnel changed (a peer came, went, or its state moved). */
  private void pollTunnels() {
    if (bfd == null) {
      return;
    }
    try {
      List<TunnelHealth> now = bfd.health();
      if (!now.equals(tunnels)) {
        for (TunnelHealth t : now) {
          if (!tunnels.contains(t)) {
            log.info("agent {}: tunnel to {}: BFD {}{}", config.chassis(), t.getRemoteIp(), t.getBfdState(),
                t.getForwarding() ? ", forwarding" : ", not forwarding");
          }
        }
        tunnels = now;
        link.send(AgentMessage.newBuilder().setTunnels(Tunnels.newBuilder().addAllTunnels(tunnels)).build());
      }
    } catch (IOException | RuntimeException e) {
      log.warn("agent {}: reading BFD's state from OVS failed: {}", config.chassis(), e.getMessage());
    }
  }

  @Override
  public void close() {
    InterfaceMonitor m = monitor;
    if (m != null) {
      m.close();
    }
    thread.execute(() -> {
      link.close();
      flows.close();
    });
    thread.shutdown();
    try {
      thread.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** {@code tenet-agent [--config FILE]}: runs until SIGTERM/SIGINT; the flows stay in OVS. */
  public static void main(String[] args) throws Exception {
    AgentConfig config;
    try {
      if (args.length == 2 && (args[0].equals("--config") || args[0].equals("-c"))) {
        File file = new File(args[1]);
        if (!file.isFile()) {
          throw new IllegalArgumentException("config file " + file + " does not exist");
        }
        config = AgentConfig.from(ConfigFactory.load(ConfigFactory.parseFile(file)));
      } else if (args.length == 0) {
        config = AgentConfig.from(ConfigFactory.load());
      } else {
        throw new IllegalArgumentException("usage: tenet-agent [--config FILE]");
      }
    } catch (IllegalArgumentException | ConfigException e) {
      System.err.println("tenet-agent: " + e.getMessage());
      System.exit(2);
      return;
    }
    TenetAgent agent;
    try {
      agent = start(config);
    } catch (java.util.concurrent.ExecutionException e) {
      if (!(e.getCause() instanceof SriovException bad)) {
        throw e;
      }
      System.err.println("tenet-agent: " + bad.getMessage()); // the host cannot give what the config asks
      System.exit(2);
      return;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      agent.close();
      stopped.countDown();
    }, "shutdown"));
    stopped.await();
  }
}
