package tenet.agent.ovs;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tenet.agent.vifs.InterfaceEvent;
import tenet.agent.vifs.OvsInterface;

/**
 * OVSDB's {@code <table-updates>} (RFC 7047, 4.1.6) of the Interface table, read into {@link
 * InterfaceEvent}s. With the {@code monitor} method a row's "new" holds every monitored column,
 * so each update carries whole rows. Malformed input is an {@link IllegalArgumentException} that
 * names the row and the column.
 */
final class InterfaceRows {
  static final String TABLE = "Interface";
  static final List<String> COLUMNS = List.of("name", "ofport", "external_ids");

  private InterfaceRows() {}

  /** A monitor's reply: every row of the table. */
  static InterfaceEvent.Snapshot snapshot(JsonElement tableUpdates) {
    InterfaceEvent.Changes all = changes(tableUpdates);
    if (!all.deleted().isEmpty()) {
      throw new IllegalArgumentException(TABLE + ": a monitor's first reply deletes rows " + all.deleted());
    }
    return new InterfaceEvent.Snapshot(all.updated());
  }

  /** An "update" notification's table-updates: one committed transaction. */
  static InterfaceEvent.Changes changes(JsonElement tableUpdates) {
    JsonElement table = object(tableUpdates, "table-updates").get(TABLE);
    Map<String, OvsInterface> updated = new HashMap<>();
    Set<String> deleted = new HashSet<>();
    if (table != null) {
      for (Map.Entry<String, JsonElement> row : object(table, TABLE).entrySet()) {
        String uuid = row.getKey();
        JsonElement next = object(row.getValue(), TABLE + " row " + uuid).get("new");
        if (next == null || next.isJsonNull()) {
          deleted.add(uuid);
        } else {
          updated.put(uuid, row(uuid, object(next, TABLE + " row " + uuid + ": new")));
        }
      }
    }
    return new InterfaceEvent.Changes(updated, deleted);
  }

  private static OvsInterface row(String uuid, JsonObject columns) {
    String where = TABLE + " row " + uuid + ": ";
    JsonElement name = columns.get("name");
    if (name == null || !name.isJsonPrimitive() || !name.getAsJsonPrimitive().isString()) {
      throw new IllegalArgumentException(where + "name: expected a string, got " + name);
    }
    return new OvsInterface(name.getAsString(), ofport(where, columns.get("ofport")),
        externalIds(where, columns.get("external_ids")).getOrDefault("iface-id", ""));
  }

  /** An optional integer: the atom itself, or ["set", []] while it has none (["set", [n]] also means n). */
  private static int ofport(String where, JsonElement cell) {
    if (cell != null && cell.isJsonPrimitive() && cell.getAsJsonPrimitive().isNumber()) {
      return cell.getAsInt();
    }
    JsonArray set = tagged(cell, "set");
    if (set != null && set.isEmpty()) {
      return OvsInterface.NO_OFPORT;
    }
    if (set != null && set.size() == 1 && set.get(0).isJsonPrimitive() && set.get(0).getAsJsonPrimitive().isNumber()) {
      return set.get(0).getAsInt();
    }
    throw new IllegalArgumentException(where + "ofport: expected an integer or [\"set\", []], got " + cell);
  }

  /** ["map", [[key, value], ...]] of strings. */
  private static Map<String, String> externalIds(String where, JsonElement cell) {
    JsonArray pairs = tagged(cell, "map");
    if (pairs == null) {
      throw new IllegalArgumentException(where + "external_ids: expected [\"map\", [...]], got " + cell);
    }
    Map<String, String> out = new HashMap<>();
    for (JsonElement pair : pairs) {
      if (!pair.isJsonArray() || pair.getAsJsonArray().size() != 2 || !isString(pair.getAsJsonArray().get(0))
          || !isString(pair.getAsJsonArray().get(1))) {
        throw new IllegalArgumentException(where + "external_ids: expected [key, value] of strings, got " + pair);
      }
      out.put(pair.getAsJsonArray().get(0).getAsString(), pair.getAsJsonArray().get(1).getAsString());
    }
    return out;
  }

  /** The contents of ["tag", [...]], or null when the cell is not that. */
  private static JsonArray tagged(JsonElement cell, String tag) {
    if (cell == null || !cell.isJsonArray() || cell.getAsJsonArray().size() != 2) {
      return null;
    }
    JsonArray a = cell.getAsJsonArray();
    return isString(a.get(0)) && a.get(0).getAsString().equals(tag) && a.get(1).isJsonArray() ? a.get(1).getAsJsonArray()
        : null;
  }

  private static boolean isString(JsonElement e) {
    return e.isJsonPrimitive() && e.getAsJsonPrimitive().isString();
  }

  private static JsonObject object(JsonElement e, String what) {
    if (e == null || !e.isJsonObject()) {
      throw new IllegalArgumentException(what + ": expected an object, got " + e);
    }
    return e.getAsJsonObject();
  }
}
