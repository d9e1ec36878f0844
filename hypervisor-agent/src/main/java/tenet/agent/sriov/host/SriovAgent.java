package tenet.agent.sriov.host;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tenet.agent.ovs.OvsCommands;
import tenet.agent.sriov.Netdev;
import tenet.agent.sriov.PhysicalFunction;
import tenet.agent.sriov.RepresentorPort;
import tenet.agent.sriov.SriovConfig;
import tenet.agent.sriov.SriovException;
import tenet.agent.sriov.SriovPlan;
import tenet.agent.sriov.SriovPlan.Assignment;
import tenet.agent.sriov.SriovPlan.BridgeChanges;
import tenet.agent.sriov.VfSettings;
import tenet.agent.sriov.VfPort;
import tenet.agent.sriov.VfState;

/**
 * SR-IOV on the agent's thread: creates the configured PFs' VFs, gives each logical port the API
 * gives a VF here (told by the controller: {@link #assign}) its VF with its MAC, VLAN, spoof check
 * and trust, and plugs the VF's switchdev representor into the integration bridge labelled as
 * that port; the agent's VIF discovery then reports the binding like any other. Runs at start,
 * on every list the controller sends, and again every {@code reconcile-interval} (representors
 * appear after their VFs; a VF may be reset under us), changing only what differs. Until the
 * first list after a start, the representors on the bridge are left as they are: the
 * controllers may be down, and the VMs keep their ports.
 */
public final class SriovAgent {
  private static final Logger log = LoggerFactory.getLogger(SriovAgent.class);

  private final SriovConfig config;
  private final SysfsSriov sysfs;
  private final VfLinks links;
  private final RepresentorPorts bridge;
  private int capacity;
  /** The ports the controller said get a VF here; null until it has said. */
  private List<VfPort> ports;
  private List<String> waiting = List.of();
  private List<String> failed = List.of();

  public SriovAgent(SriovConfig config, SysfsSriov sysfs, VfLinks links, RepresentorPorts bridge) {
    this.config = config;
    this.sysfs = sysfs;
    this.links = links;
    this.bridge = bridge;
  }

  /** On a host: sysfs at the configured root, {@code ip link}, and the agent's OVS adapter. */
  public static SriovAgent onHost(SriovConfig config, OvsCommands ovs) {
    return new SriovAgent(config, new SysfsSriov(Path.of(config.sysfsRoot())), new IpLink(), new OvsRepresentorPorts(ovs));
  }

  /** What one pass did; all empty when everything already was as configured. */
  public record Report(List<String> numVfsWritten, List<String> vfsConfigured, List<RepresentorPort> plugged,
      List<String> unplugged, List<String> waiting, List<String> failed) {
    /** Whether the pass changed nothing. */
    public boolean changedNothing() {
      return numVfsWritten.isEmpty() && vfsConfigured.isEmpty() && plugged.isEmpty() && unplugged.isEmpty();
    }
  }

  /** Σ sriov_totalvfs of the configured PFs, as last read: the chassis' {@code sriov_vf_capacity}. */
  public int capacity() {
    return capacity;
  }

  /**
   * The first pass, on the agent's thread before it connects (so Hello carries the capacity);
   * a configuration the host cannot satisfy fails the start. Later passes run every
   * reconcile-interval on {@code thread} and log what fails.
   */
  public void start(ScheduledExecutorService thread) throws IOException {
    if (!config.enabled()) {
      return;
    }
    reconcile();
    long every = config.reconcileInterval().toMillis();
    thread.scheduleWithFixedDelay(() -> {
      try {
        reconcile();
      } catch (IOException | RuntimeException e) {
        log.error("sriov: {}", e.getMessage());
      }
    }, every, every, TimeUnit.MILLISECONDS);
  }

  /** The ports the API gives VFs here, as the controller said (a full list), applied at once. */
  public Report assign(List<VfPort> ports) throws IOException {
    this.ports = List.copyOf(ports);
    return reconcile();
  }

  /**
   * One pass.
   *
   * @throws SriovException when the configuration asks what the host cannot give
   * @throws IOException when sysfs or OVS cannot be read (a VF that cannot be configured is
   *     reported in {@link Report#failed()} and its representor is not plugged)
   */
  public Report reconcile() throws IOException {
    if (!config.enabled()) {
      List<String> refused = ports == null ? List.of() : ports.stream()
          .map(p -> p.ifaceId() + ": this chassis manages no SR-IOV PFs (" + SriovConfig.PATH + ".pfs is empty)").toList();
      logChanged(List.of(), refused);
      return new Report(List.of(), List.of(), List.of(), List.of(), List.of(), refused);
    }
    List<String> written = new ArrayList<>();
    Map<String, PhysicalFunction> pfs = new LinkedHashMap<>();
    for (int i = 0; i < config.pfs().size(); i++) {
      SriovConfig.Pf wanted = config.pfs().get(i);
      String field = "tenet.agent.sriov.pfs[" + i + "].name";
      PhysicalFunction pf = sysfs.pf(field, wanted.name());
      SriovPlan.checkPf(i, wanted, pf);
      Integer numVfs = SriovPlan.numVfsToWrite(i, wanted, pf);
      if (numVfs != null) {
        log.info("sriov: creating {} VFs on {} ({} possible)", numVfs, pf.name(), pf.totalVfs());
        sysfs.writeNumVfs(pf.name(), numVfs);
        written.add(pf.name() + "=" + numVfs);
        pf = sysfs.pf(field, wanted.name());
      }
      pfs.put(pf.name(), pf);
    }
    capacity = SriovPlan.capacity(pfs.values());

    if (ports == null) {
      return new Report(written, List.of(), List.of(), List.of(), List.of(), List.of());
    }
    List<RepresentorPort> plugged = bridge.plugged();
    SriovPlan.Assignments assigned = SriovPlan.assign(ports, pfs, plugged);
    List<Assignment> assignments = assigned.assigned();

    List<String> configured = new ArrayList<>();
    List<String> failedNow = new ArrayList<>(assigned.refused());
    Map<String, Map<Integer, VfState>> states = new HashMap<>();
    List<Assignment> ready = new ArrayList<>();
    for (Assignment a : assignments) {
      String pf = a.pf().name();
      int vf = a.vf().index();
      try {
        if (!states.containsKey(pf)) {
          states.put(pf, links.vfs(pf));
        }
        VfSettings change = SriovPlan.vfChanges(a.port(), states.get(pf).get(vf));
        if (!change.isEmpty()) {
          links.configure(pf, vf, change);
          log.info("sriov: VF {} of {} ({}, {}) set: {}", vf, pf, a.vf().pciAddress(), a.port().ifaceId(), change);
          configured.add(pf + "/" + vf);
        }
        ready.add(a);
      } catch (IOException e) {
        failedNow.add(a.port().ifaceId() + ": " + e.getMessage());
      }
    }

    List<Netdev> netdevs = sysfs.netdevs();
    List<RepresentorPort> wanted = new ArrayList<>();
    List<String> waitingNow = new ArrayList<>();
    for (Assignment a : assignments) {
      if (!ready.contains(a)) {
        continue;
      }
      String rep = SriovPlan.representor(a.pf(), a.vf().index(), netdevs);
      if (rep == null) {
        waitingNow.add(a.port().ifaceId() + " on VF " + a.vf().index() + " of " + a.pf().name() + ": " + whyNoRepresentor(a));
      }
      wanted.add(SriovPlan.wanted(a, rep));
    }
    // A port whose VF could not be configured keeps what it had on the bridge, like one waiting.
    for (Assignment a : assignments) {
      if (!ready.contains(a)) {
        wanted.add(SriovPlan.wanted(a, null));
      }
    }
    BridgeChanges changes = SriovPlan.bridgeChanges(wanted, plugged);
    List<String> unplugged = new ArrayList<>();
    for (String rep : changes.unplug()) {
      bridge.unplug(rep);
      log.info("sriov: representor {} unplugged", rep);
      unplugged.add(rep);
    }
    List<RepresentorPort> pluggedNow = new ArrayList<>();
    for (RepresentorPort p : changes.plug()) {
      try {
        bridge.plug(p);
        log.info("sriov: representor {} of VF {} of {} ({}) plugged as {}", p.representor(), p.vf(), p.pf(), p.vfPci(),
            p.ifaceId());
        pluggedNow.add(p);
      } catch (IOException e) {
        failedNow.add(p.ifaceId() + ": " + e.getMessage());
      }
    }
    logChanged(waitingNow, failedNow);
    return new Report(written, configured, pluggedNow, unplugged, waitingNow, failedNow);
  }

  /** Logs what waits and what failed when it differs from the last pass (passes repeat every few seconds). */
  private void logChanged(List<String> waitingNow, List<String> failedNow) {
    if (!waitingNow.equals(waiting)) {
      waitingNow.forEach(w -> log.warn("sriov: waiting for a representor: {}", w));
      waiting = waitingNow;
    }
    if (!failedNow.equals(failed)) {
      failedNow.forEach(f -> log.error("sriov: {}", f));
      failed = failedNow;
    }
  }

  private static String whyNoRepresentor(Assignment a) {
    PhysicalFunction pf = a.pf();
    if (pf.switchId() == null) {
      return pf.name() + " has no phys_switch_id: its eswitch is not in switchdev mode (devlink dev eswitch set pci/"
          + pf.pciAddress() + " mode switchdev)";
    }
    return "no interface has phys_switch_id " + pf.switchId() + " and phys_port_name pf" + pf.pciFunction() + "vf"
        + a.vf().index() + " (yet)";
  }
}
