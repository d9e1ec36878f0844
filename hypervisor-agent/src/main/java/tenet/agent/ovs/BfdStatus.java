package tenet.agent.ovs;

import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@code ovs-vsctl --columns=name,bfd_status find interface ...} output, read. */
final class BfdStatus {
  private static final Pattern ROW = Pattern.compile("^(\\w+)\\s*:\\s*(.*)$");
  private static final Pattern ENTRY = Pattern.compile("([\\w-]+)=(\"((?:[^\"\\\\]|\\\\.)*)\"|[^,}]*)");

  private BfdStatus() {}

  /** Interface name → its bfd_status map (empty for an interface without BFD). */
  static Map<String, Map<String, String>> parse(String records) {
    Map<String, Map<String, String>> out = new HashMap<>();
    String name = null;
    for (String line : records.split("\n")) {
      Matcher row = ROW.matcher(line.strip());
      if (!row.matches()) {
        continue;
      }
      String value = row.group(2).strip();
      if (row.group(1).equals("name")) {
        name = value.startsWith("\"") ? value.substring(1, value.length() - 1) : value;
        out.put(name, Map.of());
      } else if (row.group(1).equals("bfd_status") && name != null) {
        Map<String, String> status = new HashMap<>();
        Matcher e = ENTRY.matcher(value);
        while (e.find()) {
          status.put(e.group(1), e.group(3) != null ? e.group(3) : e.group(2).strip());
        }
        out.put(name, Map.copyOf(status));
      }
    }
    return out;
  }
}
