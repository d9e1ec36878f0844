package tenet.agent.ovs;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * An Open vSwitch of one's own, for tests and benchmarks: ovsdb-server and ovs-vswitchd with
 * their database, sockets, pid and log files in one temporary directory (an agent's {@code
 * ovs.rundir}), so that nothing reaches a system-wide OVS. ovs-vswitchd runs in a network
 * namespace of its own: the userspace (netdev) datapath makes a kernel tap for every bridge and
 * internal port, and those must not collide with anyone else's (a second br-int, a second
 * "ovs-netdev"); they vanish with the namespace when ovs-vswitchd exits. Needs root (the
 * namespace and the taps) and the openvswitch-switch package. Stopped by the PIDs it wrote,
 * also from a shutdown hook.
 */
public final class PrivateSwitch implements AutoCloseable {
  private static final List<String> DIRS = List.of("/usr/sbin", "/usr/bin", "/sbin", "/bin");
  private static final String SCHEMA = "/usr/share/openvswitch/vswitch.ovsschema";
  private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(20);

  private final Path dir;
  /** How long one command may take. */
  private final Duration timeout;
  /** What we started, newest last: stopped by these PIDs only. */
  private final List<Daemon> daemons = new ArrayList<>();
  private final Thread cleanupOnExit = new Thread(this::stopDaemons, "private-switch-cleanup");

  private PrivateSwitch(Path dir, Duration timeout) {
    this.dir = dir;
    this.timeout = timeout;
  }

  /** Starts both daemons; stops what it started if anything fails. Commands may take 20 s. */
  public static PrivateSwitch start() throws IOException {
    return start(DEFAULT_TIMEOUT);
  }

  /** {@link #start()}, with commands that may take {@code timeout} (a million flows take more than 20 s). */
  public static PrivateSwitch start(Duration timeout) throws IOException {
    requireInstalled();
    PrivateSwitch ovs = new PrivateSwitch(Files.createTempDirectory("tenet-ovs-"), timeout);
    Runtime.getRuntime().addShutdownHook(ovs.cleanupOnExit);
    try {
      ovs.startDaemons();
      return ovs;
    } catch (IOException | RuntimeException e) {
      ovs.close();
      throw e;
    }
  }

  /**
   * Fails (never skips) when this machine cannot run a private switch: CI must install Open vSwitch,
   * which {@code ops/bin/tenet test} does.
   */
  public static void requireInstalled() {
    for (String tool : List.of("ovsdb-tool", "ovsdb-server", "ovs-vswitchd", "ovs-vsctl", "ovs-ofctl", "ovs-appctl")) {
      if (find(tool) == null) {
        throw new IllegalStateException(tool + " not found: Open vSwitch is missing (ops/bin/tenet test installs it; "
            + "or apt-get install openvswitch-switch)");
      }
    }
    for (String tool : List.of("unshare", "nsenter", "ip")) {
      if (find(tool) == null) {
        throw new IllegalStateException(tool + " not found: install util-linux and iproute2");
      }
    }
    if (!Files.exists(Path.of(SCHEMA))) {
      throw new IllegalStateException(SCHEMA + " not found: install openvswitch-switch");
    }
    try {
      if (!Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid"))) {
        throw new IllegalStateException("a private Open vSwitch needs root: ovs-vswitchd gets its own network namespace");
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot tell whether this runs as root", e);
    }
  }

  private void startDaemons() throws IOException {
    run("ovsdb-tool", "create", dir.resolve("conf.db").toString(), SCHEMA);
    startDatabase(0);
    vsctl("--no-wait", "init");
    // --disable-system: never look at kernel datapaths, the system's or anyone's. --enable-dummy:
    // netdev-dummy ports, into which tests send packets (the real types stay as they are).
    run("unshare", "--net", "--", find("ovs-vswitchd"), "unix:" + dir.resolve("db.sock"),
        "--unixctl=" + dir.resolve("ovs-vswitchd.ctl"), "--pidfile=" + dir.resolve("ovs-vswitchd.pid"),
        "--log-file=" + dir.resolve("ovs-vswitchd.log"), "--disable-system", "--enable-dummy",
        "--detach", "--no-chdir", "-vconsole:off");
    daemons.add(daemon("ovs-vswitchd"));
  }

  /** ovsdb-server on the database as it is; it goes in {@link #daemons} at {@code index}. */
  private void startDatabase(int index) throws IOException {
    run("ovsdb-server", dir.resolve("conf.db").toString(), "--remote=punix:" + dir.resolve("db.sock"),
        "--unixctl=" + dir.resolve("ovsdb-server.ctl"), "--pidfile=" + dir.resolve("ovsdb-server.pid"),
        "--log-file=" + dir.resolve("ovsdb-server.log"), "--detach", "--no-chdir", "-vconsole:off");
    daemons.add(index, daemon("ovsdb-server"));
  }

  /**
   * Stops ovsdb-server and starts it again on the same database, as an upgrade would: every
   * client's connection breaks. It stays down for {@code down}.
   */
  public synchronized void restartDatabase(Duration down) throws IOException {
    int index = -1;
    for (int i = 0; i < daemons.size(); i++) {
      if (daemons.get(i).name().equals("ovsdb-server")) {
        index = i;
      }
    }
    if (index < 0) {
      throw new IllegalStateException("ovsdb-server does not run");
    }
    stop(daemons.remove(index));
    try {
      Thread.sleep(down.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
    startDatabase(index);
  }

  private record Daemon(String name, long pid) {}

  private Daemon daemon(String name) throws IOException {
    return new Daemon(name, Long.parseLong(Files.readString(dir.resolve(name + ".pid")).trim()));
  }

  /** The directory of its sockets, database and logs: an agent's {@code ovs.rundir}. */
  public Path dir() {
    return dir;
  }

  public String vsctl(String... args) throws IOException {
    return run(prepend(List.of("ovs-vsctl", "--db=unix:" + dir.resolve("db.sock"), "--timeout=" + timeout.toSeconds()),
        args));
  }

  /** ovs-ofctl in OpenFlow 1.5, the version the rules are written for. */
  public String ofctl(String... args) throws IOException {
    return run(prepend(List.of("ovs-ofctl", "-O", "OpenFlow15"), args));
  }

  public String appctl(String... args) throws IOException {
    return run(prepend(List.of("ovs-appctl", "-t", dir.resolve("ovs-vswitchd.ctl").toString()), args));
  }

  /** A command in ovs-vswitchd's network namespace (where its taps are). */
  public String inNamespace(String... command) throws IOException {
    long vswitchd = daemons.stream().filter(d -> d.name().equals("ovs-vswitchd")).findFirst().orElseThrow().pid();
    return run(prepend(List.of("nsenter", "--net=/proc/" + vswitchd + "/ns/net", "--"), command));
  }

  /** The bridge's flows as ovs-ofctl prints them without statistics, one a line, sorted. */
  public List<String> flows(String bridge) throws IOException {
    return ofctl("dump-flows", bridge, "--no-stats").lines().filter(l -> l.contains("cookie=")).map(String::strip)
        .sorted().toList();
  }

  /** Runs a tool with this switch's directories; its stdout, or an exception with its stderr. */
  public String run(String... command) throws IOException {
    return run(List.of(command));
  }

  /**
   * {@link #run}, handing each line of the tool's output to {@code each} as it comes: a dump of
   * a million flows need not be one String.
   */
  public void lines(Consumer<String> each, String... command) throws IOException {
    run(List.of(command), out -> {
      new BufferedReader(new InputStreamReader(out, StandardCharsets.UTF_8)).lines().forEach(each);
      return null;
    });
  }

  private String run(List<String> command) throws IOException {
    return run(command, out -> new String(out.readAllBytes(), StandardCharsets.UTF_8));
  }

  /** How a tool's stdout is read (to its end). */
  private interface Output<T> {
    T read(InputStream stdout) throws IOException;
  }

  private <T> T run(List<String> command, Output<T> output) throws IOException {
    List<String> resolved = new ArrayList<>(command);
    String path = find(resolved.get(0));
    resolved.set(0, path != null ? path : resolved.get(0));
    ProcessBuilder pb = new ProcessBuilder(resolved).directory(dir.toFile());
    Map<String, String> env = pb.environment();
    // The defaults would be /var/run/openvswitch and friends: the system's OVS.
    for (String var : List.of("OVS_RUNDIR", "OVS_LOGDIR", "OVS_DBDIR", "OVS_SYSCONFDIR")) {
      env.put(var, dir.toString());
    }
    Path err = Files.createTempFile(dir, "stderr", ".txt");
    pb.redirectError(err.toFile());
    Process p = pb.start();
    T out;
    try (InputStream stdout = p.getInputStream()) {
      out = output.read(stdout);
    }
    try {
      if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        p.destroyForcibly();
        throw new IOException("timed out: " + String.join(" ", command));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      p.destroyForcibly();
      throw new IOException("interrupted: " + String.join(" ", command), e);
    }
    String stderr = Files.readString(err);
    Files.delete(err);
    if (p.exitValue() != 0) {
      throw new IOException(String.join(" ", command) + " failed (exit " + p.exitValue() + "): " + stderr.strip());
    }
    return out;
  }

  /** Stops the daemons by the PIDs they wrote, then removes the directory. */
  @Override
  public void close() throws IOException {
    stopDaemons();
    try {
      Runtime.getRuntime().removeShutdownHook(cleanupOnExit);
    } catch (IllegalStateException shuttingDown) {
      // the hook runs or ran: nothing left to undo
    }
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(f);
      }
    }
  }

  private synchronized void stopDaemons() {
    // vswitchd first: it is the database's client.
    for (int i = daemons.size() - 1; i >= 0; i--) {
      stop(daemons.get(i));
    }
    daemons.clear();
  }

  private static void stop(Daemon d) {
    // A PID is only ours while it still runs our program.
    ProcessHandle.of(d.pid()).filter(p -> p.info().command().orElse("").endsWith(d.name())).ifPresent(p -> {
      p.destroy();
      if (!awaitExit(d.pid())) {
        p.destroyForcibly();
        awaitExit(d.pid());
      }
    });
  }

  /**
   * Whether {@code pid} exited within 5 s. A detached daemon is init's child, and a slow init
   * leaves it a zombie for a while: exited all the same.
   */
  private static boolean awaitExit(long pid) {
    Path stat = Path.of("/proc", Long.toString(pid), "stat");
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (System.nanoTime() < deadline) {
      try {
        String s = Files.readString(stat);
        if (s.charAt(s.lastIndexOf(')') + 2) == 'Z') {
          return true;
        }
        Thread.sleep(10);
      } catch (IOException gone) {
        return true;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return false;
  }

  /** Where {@code tool} is installed (sbin is not on every PATH), or null. */
  private static String find(String tool) {
    if (tool.startsWith("/")) {
      return tool;
    }
    List<String> dirs = new ArrayList<>(DIRS);
    String path = System.getenv("PATH");
    if (path != null) {
      dirs.addAll(0, List.of(path.split(":")));
    }
    for (String d : dirs) {
      Path candidate = Path.of(d, tool);
      if (Files.isExecutable(candidate)) {
        return candidate.toString();
      }
    }
    return null;
  }

  private static List<String> prepend(List<String> head, String... tail) {
    List<String> out = new ArrayList<>(head);
    out.addAll(List.of(tail));
    return out;
  }
}
