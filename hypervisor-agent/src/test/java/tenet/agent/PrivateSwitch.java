package tenet.agent;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * An Open vSwitch of a test's own: ovsdb-server and ovs-vswitchd with their database, sockets
 * and pid files in one temporary directory (OVS_RUNDIR, as the agent's {@code ovs.rundir}), so
 * nothing reaches a system-wide OVS; ovs-vswitchd runs in a network namespace of its own, where
 * its bridges' taps meet no one's. Needs root and the openvswitch-switch package (which
 * {@code ops/bin/tenet test} installs); stopped by the PIDs it wrote.
 */
final class PrivateSwitch implements AutoCloseable {
  private static final long TIMEOUT_SECONDS = 20;
  private final Path dir;

  private PrivateSwitch(Path dir) {
    this.dir = dir;
  }

  static PrivateSwitch start() throws IOException {
    PrivateSwitch ovs = new PrivateSwitch(Files.createTempDirectory("tenet-agent-ovs-"));
    try {
      ovs.run("ovsdb-tool", "create", ovs.dir.resolve("conf.db").toString(), "/usr/share/openvswitch/vswitch.ovsschema");
      ovs.run("ovsdb-server", ovs.dir.resolve("conf.db").toString(), "--remote=punix:" + ovs.dir.resolve("db.sock"),
          "--pidfile=" + ovs.dir.resolve("ovsdb-server.pid"), "--log-file=" + ovs.dir.resolve("ovsdb-server.log"),
          "--detach", "--no-chdir", "-vconsole:off");
      ovs.run("ovs-vsctl", "--no-wait", "init");
      ovs.run("unshare", "--net", "--", "ovs-vswitchd", "unix:" + ovs.dir.resolve("db.sock"),
          "--pidfile=" + ovs.dir.resolve("ovs-vswitchd.pid"), "--log-file=" + ovs.dir.resolve("ovs-vswitchd.log"),
          "--disable-system", "--detach", "--no-chdir", "-vconsole:off");
      return ovs;
    } catch (IOException | RuntimeException e) {
      ovs.close();
      throw e;
    }
  }

  /** The directory to give the agent as {@code ovs.rundir}. */
  Path dir() {
    return dir;
  }

  /** An OVS tool against this switch; its stdout, or an exception with its stderr. */
  String run(String... command) throws IOException {
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().put("OVS_RUNDIR", dir.toString());
    pb.environment().put("OVS_LOGDIR", dir.toString());
    pb.environment().put("OVS_DBDIR", dir.toString());
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    try {
      if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS) || p.exitValue() != 0) {
        p.destroyForcibly();
        throw new IOException(String.join(" ", command) + " failed: " + out.strip());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted: " + String.join(" ", command), e);
    }
    return out;
  }

  /** The bridge's flows as ovs-ofctl prints them without statistics, one a line, sorted. */
  List<String> flows(String bridge) throws IOException {
    return run("ovs-ofctl", "-O", "OpenFlow15", "dump-flows", bridge, "--no-stats").lines()
        .filter(l -> l.contains("cookie=")).map(String::strip).sorted().toList();
  }

  @Override
  public void close() throws IOException {
    for (String daemon : List.of("ovs-vswitchd", "ovsdb-server")) {
      Path pidFile = dir.resolve(daemon + ".pid");
      if (Files.exists(pidFile)) {
        long pid = Long.parseLong(Files.readString(pidFile).strip());
        // A PID is only ours while it still runs our program.
        ProcessHandle.of(pid).filter(h -> h.info().command().orElse("").endsWith(daemon)).ifPresent(h -> {
          h.destroy();
          try {
            h.onExit().get(5, TimeUnit.SECONDS);
          } catch (Exception e) {
            h.destroyForcibly();
          }
        });
      }
    }
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(f);
      }
    }
  }
}
