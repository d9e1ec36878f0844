package tenet.agent.vifs;

import java.util.Map;
import java.util.Set;

/** What the OVSDB monitor of the Interface table says, in the order ovsdb-server said it. */
public sealed interface InterfaceEvent {
  /** The whole table, as a monitor (re)started read it: it replaces everything known before. */
  record Snapshot(Map<String, OvsInterface> rows) implements InterfaceEvent {
    public Snapshot {
      rows = Map.copyOf(rows);
    }
  }

  /** One committed transaction, by row UUID: rows inserted or changed (all their columns), rows deleted. */
  record Changes(Map<String, OvsInterface> updated, Set<String> deleted) implements InterfaceEvent {
    public Changes {
      updated = Map.copyOf(updated);
      deleted = Set.copyOf(deleted);
    }
  }

  /** The connection to ovsdb-server is gone; a Snapshot follows once it is back. */
  record Lost(String why) implements InterfaceEvent {}
}
