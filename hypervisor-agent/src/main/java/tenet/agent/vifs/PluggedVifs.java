package tenet.agent.vifs;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import tenet.agent.v1.HostedPort;

/**
 * The logical ports plugged in on this chassis, kept from the OVSDB monitor's events, and when to
 * tell the controllers. An Interface whose {@code external_ids:iface-id} is "tenant/port" and that
 * has an ofport is that logical port (OpenStack's convention); one without an ofport yet is not
 * plugged in, since flows could not reach it.
 *
 * <p>The controllers take each list as the whole truth (a port missing from it is unbound), so
 * only a list read in step with the table is ever reported: after a {@link InterfaceEvent.Lost}
 * changes are ignored and the last list stands until a {@link InterfaceEvent.Snapshot} replaces
 * everything. Pure: events in, outcome out.
 */
public final class PluggedVifs {
  /** VIF ofports are also conntrack zones, 1..32767 (docs/pipeline.md); the store refuses others. */
  public static final int MAX_VIF_OFPORT = 32767;
  private static final Comparator<HostedPort> ORDER = Comparator.comparing(HostedPort::getTenant)
      .thenComparing(HostedPort::getLogicalPort).thenComparingInt(HostedPort::getOfport);

  private final Map<String, OvsInterface> rows = new HashMap<>();
  private boolean inStep;
  private List<HostedPort> ports = List.of();
  private Set<String> refused = Set.of();

  /**
   * What an event means for the controllers.
   *
   * @param report the whole list to send now, when it differs from the last one
   * @param refused the VIFs left out for an ofport above {@link #MAX_VIF_OFPORT}, when that set changed
   */
  public record Outcome(Optional<Report> report, Optional<Set<String>> refused) {
    static final Outcome QUIET = new Outcome(Optional.empty(), Optional.empty());
  }

  /** A new list of plugged-in ports, and how it differs from the one before. */
  public record Report(List<HostedPort> ports, List<HostedPort> plugged, List<HostedPort> unplugged) {}

  public Outcome take(InterfaceEvent event) {
    switch (event) {
      case InterfaceEvent.Snapshot s -> {
        rows.clear();
        rows.putAll(s.rows());
        inStep = true;
      }
      case InterfaceEvent.Changes c -> {
        if (!inStep) {
          return Outcome.QUIET; // the Snapshot after the loss holds this and whatever was missed
        }
        rows.keySet().removeAll(c.deleted());
        rows.putAll(c.updated());
      }
      case InterfaceEvent.Lost lost -> {
        inStep = false;
        return Outcome.QUIET;
      }
    }
    return decide();
  }

  /** The list last reported: what a hello says. Empty before the first Snapshot. */
  public List<HostedPort> ports() {
    return ports;
  }

  /** Whether the rows mirror the table: a Snapshot came and nothing was lost since. */
  public boolean inStep() {
    return inStep;
  }

  private Outcome decide() {
    List<HostedPort> now = new ArrayList<>();
    Set<String> outOfRange = new HashSet<>();
    for (OvsInterface row : rows.values()) {
      String[] id = row.ifaceId().split("/", 2);
      if (id.length != 2 || id[0].isEmpty() || id[1].isEmpty() || row.ofport() <= 0) {
        continue; // not a logical port of ours, or not plugged in yet (or OVS could not add it)
      }
      if (row.ofport() > MAX_VIF_OFPORT) {
        // OVS numbers ports below 32768 itself; this one was asked for higher. Reporting it would
        // make the store refuse the whole report, and with it every other port of this chassis.
        outOfRange.add(row.name() + " (" + row.ifaceId() + ") at ofport " + row.ofport());
        continue;
      }
      now.add(HostedPort.newBuilder().setTenant(id[0]).setLogicalPort(id[1]).setOfport(row.ofport()).build());
    }
    now.sort(ORDER);
    Optional<Set<String>> refusedNow = Optional.empty();
    if (!outOfRange.equals(refused)) {
      refused = Set.copyOf(outOfRange);
      refusedNow = Optional.of(refused);
    }
    if (now.equals(ports)) {
      return new Outcome(Optional.empty(), refusedNow);
    }
    Set<HostedPort> before = new HashSet<>(ports);
    Set<HostedPort> after = new HashSet<>(now);
    List<HostedPort> unplugged = ports.stream().filter(p -> !after.contains(p)).toList();
    ports = List.copyOf(now);
    List<HostedPort> plugged = ports.stream().filter(p -> !before.contains(p)).toList();
    return new Outcome(Optional.of(new Report(ports, plugged, unplugged)), refusedNow);
  }
}
