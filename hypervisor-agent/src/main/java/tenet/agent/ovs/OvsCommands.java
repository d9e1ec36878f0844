package tenet.agent.ovs;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one place the agent talks to Open vSwitch, through {@code ovs-vsctl} and {@code ovs-ofctl}
 * (no Java OVSDB/OpenFlow library is well kept today). {@code rundir} points both at a private
 * OVS (OVS_RUNDIR), or is null for the system's.
 */
public final class OvsCommands {
  private static final Pattern COOKIE = Pattern.compile("cookie=0x([0-9a-f]+)");
  private static final long TIMEOUT_SECONDS = 30;

  private final Path rundir;
  private final String bridge;

  public OvsCommands(Path rundir, String bridge) {
    this.rundir = rundir;
    this.bridge = bridge;
  }

  public String bridge() {
    return bridge;
  }

  /** One VIF as OVS sees it: {@code external_ids:iface-id} names the logical port. */
  public record Vif(String name, int ofport, String ifaceId) {}

  public String vsctl(String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of("ovs-vsctl", "--timeout=" + TIMEOUT_SECONDS));
    command.addAll(List.of(args));
    return run(command, null);
  }

  public String ofctl(String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of("ovs-ofctl", "-O", "OpenFlow15"));
    command.addAll(List.of(args));
    return run(command, null);
  }

  /** The cookies of every flow on the bridge. */
  public List<Long> installedCookies() throws IOException {
    List<Long> out = new ArrayList<>();
    Matcher m = COOKIE.matcher(ofctl("dump-flows", bridge, "--no-stats"));
    while (m.find()) {
      out.add(Long.parseUnsignedLong(m.group(1), 16));
    }
    return out;
  }

  private static final Pattern FLOW_COUNT = Pattern.compile("flow_count=(\\d+)");

  /** How many flows the bridge holds (one cheap aggregate request, not a dump). */
  public long flowCount() throws IOException {
    String out = ofctl("dump-aggregate", bridge);
    Matcher m = FLOW_COUNT.matcher(out);
    if (!m.find()) {
      throw new IOException("no flow_count in: " + out.strip());
    }
    return Long.parseLong(m.group(1));
  }

  /** Flow mods (ovs-ofctl add-flows lines) in one bundle: all of them or, when OVS refuses one, none. */
  public void bundle(List<String> lines) throws IOException {
    if (lines.isEmpty()) {
      return;
    }
    // Through stdin: ovs-ofctl parses while the lines are still being written.
    List<String> command = new ArrayList<>(List.of("ovs-ofctl", "-O", "OpenFlow15", "--bundle", "add-flows", bridge, "-"));
    run(command, String.join("\n", lines) + "\n");
  }

  /** Every interface on the bridge with an iface-id and an ofport. */
  public List<Vif> vifs() throws IOException {
    String json = vsctl("--format=json", "--columns=name,ofport,external_ids", "list", "Interface");
    JsonObject table = JsonParser.parseString(json).getAsJsonObject();
    List<Vif> out = new ArrayList<>();
    for (JsonElement row : table.getAsJsonArray("data")) {
      JsonArray cells = row.getAsJsonArray();
      String name = cells.get(0).getAsString();
      JsonElement ofport = cells.get(1);
      String ifaceId = map(cells.get(2)).get("iface-id");
      if (ifaceId != null && ofport.isJsonPrimitive() && ofport.getAsInt() > 0) {
        out.add(new Vif(name, ofport.getAsInt(), ifaceId));
      }
    }
    return out;
  }

  /** An OVSDB map in JSON: ["map", [[k, v], ...]]. */
  private static Map<String, String> map(JsonElement cell) {
    Map<String, String> out = new HashMap<>();
    for (JsonElement pair : cell.getAsJsonArray().get(1).getAsJsonArray()) {
      out.put(pair.getAsJsonArray().get(0).getAsString(), pair.getAsJsonArray().get(1).getAsString());
    }
    return out;
  }

  private String run(List<String> command, String stdin) throws IOException {
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(false);
    if (rundir != null) {
      pb.environment().put("OVS_RUNDIR", rundir.toString());
    }
    Process p = pb.start();
    try {
      // Fed from its own thread, read from this one: neither side can fill a pipe and wait.
      Thread feeder = Thread.ofVirtual().start(() -> {
        try (var in = p.getOutputStream()) {
          if (stdin != null) {
            in.write(stdin.getBytes(StandardCharsets.UTF_8));
          }
        } catch (IOException e) {
          // it exited early (a refused flow): its exit status and stderr say why
        }
      });
      StringBuilder err = new StringBuilder();
      Thread errorReader = Thread.ofVirtual().start(() -> {
        try {
          err.append(new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
          err.append(e);
        }
      });
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      feeder.join();
      errorReader.join();
      if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IOException(String.join(" ", command) + ": no answer in " + TIMEOUT_SECONDS + " s");
      }
      if (p.exitValue() != 0) {
        throw new IOException(String.join(" ", command) + " failed (" + p.exitValue() + "): " + err.toString().strip());
      }
      return out;
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IOException("interrupted: " + String.join(" ", command), e);
    }
  }
}
