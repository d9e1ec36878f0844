package tenet.agent.ovs;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tenet.agent.flows.CookieSet;
import tenet.agent.flows.LineBuffer;

/**
 * The one place the agent runs Open vSwitch's tools, {@code ovs-vsctl} and {@code ovs-ofctl}
 * (no Java OVSDB/OpenFlow library is well kept today); the Interface table's changes come from
 * {@link InterfaceMonitor} on {@link #dbSocket}. {@code rundir} points both at a private OVS
 * (OVS_RUNDIR), or is null for the system's.
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

  /**
   * ovsdb-server's unix socket, where ovs-vsctl finds it: {@code db.sock} in the rundir, else in
   * {@code $OVS_RUNDIR}, else in /var/run/openvswitch.
   */
  public Path dbSocket() {
    Path dir = rundir != null ? rundir : Path.of(System.getenv().getOrDefault("OVS_RUNDIR", "/var/run/openvswitch"));
    return dir.resolve("db.sock");
  }

  public String vsctl(String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of("ovs-vsctl", "--timeout=" + TIMEOUT_SECONDS));
    command.addAll(List.of(args));
    return run(command);
  }

  public String ofctl(String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of("ovs-ofctl", "-O", "OpenFlow15"));
    command.addAll(List.of(args));
    return run(command);
  }

  /** The cookies of every flow on the bridge. */
  public CookieSet installedCookies() throws IOException {
    CookieSet out = new CookieSet();
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

  /**
   * A bundle to write flow mods into while they are still being worked out: {@code ovs-ofctl
   * --bundle add-flows} starts now (its start-up overlaps with the caller's work) and parses each
   * line as it comes, and sends nothing to the switch before its input ends. {@link
   * Bundle#commit} ends it: OVS applies all the lines or, when it refuses one, none. {@link
   * Bundle#close} without a commit kills ovs-ofctl before it has sent anything, so the switch
   * never sees any of it.
   */
  public Bundle openBundle() throws IOException {
    return new Bundle(process(bundleCommand()));
  }

  private List<String> bundleCommand() {
    return List.of("ovs-ofctl", "-O", "OpenFlow15", "--bundle", "add-flows", bridge, "-");
  }

  /** See {@link #openBundle}. Not thread-safe: one writer. */
  public final class Bundle implements AutoCloseable {
    private final Process process;
    private final OutputStream in;
    private final Thread output;
    private final StringBuilder err = new StringBuilder();
    /** Why ovs-ofctl stopped taking lines (it exits on the first line it cannot parse). */
    private IOException broken;
    private boolean written;
    private boolean done;

    private Bundle(Process process) {
      this.process = process;
      this.in = process.getOutputStream();
      // It writes little, but a full pipe would stop it: drained on threads of their own.
      this.output = Thread.ofVirtual().start(() -> {
        Thread stdout = Thread.ofVirtual().start(() -> drain(process.getInputStream(), null));
        drain(process.getErrorStream(), err);
        try {
          stdout.join();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      });
    }

    /** Whether ovs-ofctl is still there to take lines (it exits when it cannot reach the switch). */
    public boolean isOpen() {
      return !done && broken == null && process.isAlive();
    }

    /** Writes flow mods, each line ending in a newline, in one go. */
    public void write(LineBuffer lines) {
      if (done) {
        throw new IllegalStateException("bundle already committed or closed");
      }
      if (lines.isEmpty() || broken != null) {
        return; // after a failed write, commit reports what ovs-ofctl said
      }
      written = true;
      try {
        in.write(lines.array(), 0, lines.length());
      } catch (IOException e) {
        broken = e;
      }
    }

    /**
     * Ends the input and waits for OVS' answer. A bundle without lines changes nothing: ovs-ofctl
     * is stopped instead.
     */
    public void commit() throws IOException {
      if (done) {
        throw new IllegalStateException("bundle already committed or closed");
      }
      if (!written) {
        close();
        return;
      }
      done = true;
      String command = String.join(" ", bundleCommand());
      try {
        in.close();
      } catch (IOException e) {
        broken = broken == null ? e : broken;
      }
      try {
        output.join();
        if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
          process.destroyForcibly();
          throw new IOException(command + ": no answer in " + TIMEOUT_SECONDS + " s");
        }
      } catch (InterruptedException e) {
        process.destroyForcibly();
        Thread.currentThread().interrupt();
        throw new IOException("interrupted: " + command, e);
      }
      if (process.exitValue() != 0) {
        throw new IOException(command + " failed (" + process.exitValue() + "): " + err.toString().strip());
      }
      if (broken != null) {
        throw new IOException(command + ": writing its input failed: " + broken.getMessage());
      }
    }

    /** Without a commit: kills ovs-ofctl, which has not sent the bundle yet (its input never ended). */
    @Override
    public void close() {
      if (done && !process.isAlive()) {
        return;
      }
      done = true;
      process.destroyForcibly();
      try {
        process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Reads a tool's output to its end into {@code into} (or nowhere); read it after joining the thread. */
  private static void drain(InputStream from, StringBuilder into) {
    try {
      byte[] all = from.readAllBytes();
      if (into != null) {
        into.append(new String(all, StandardCharsets.UTF_8));
      }
    } catch (IOException e) {
      if (into != null) {
        into.append(e);
      }
    }
  }

  private Process process(List<String> command) throws IOException {
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(false);
    if (rundir != null) {
      pb.environment().put("OVS_RUNDIR", rundir.toString());
    }
    return pb.start();
  }

  private String run(List<String> command) throws IOException {
    Process p = process(command);
    try {
      p.getOutputStream().close(); // nothing to say; the flow mods go through a Bundle
      // stderr on its own thread, stdout on this one: neither can fill its pipe and stop the tool.
      StringBuilder err = new StringBuilder();
      Thread errorReader = Thread.ofVirtual().start(() -> drain(p.getErrorStream(), err));
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
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
