package tenet.ops.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * An Open vSwitch of the benchmark's own: ovsdb-server and ovs-vswitchd (userspace datapath)
 * with their sockets, database and PID files in {@code dir}; ovs-vswitchd runs in a network
 * namespace made for it, so its taps never meet another OVS. Stopped by the PIDs it wrote.
 */
final class PrivateOvs implements AutoCloseable {
  private final Path dir;
  private final String netns;

  private PrivateOvs(Path dir, String netns) {
    this.dir = dir;
    this.netns = netns;
  }

  static PrivateOvs start(Path dir) throws IOException {
    Files.createDirectories(dir);
    PrivateOvs ovs = new PrivateOvs(dir, "tenet-bench-" + ProcessHandle.current().pid());
    try {
      ovs.run("ip", "netns", "add", ovs.netns);
      ovs.run("ovsdb-tool", "create", dir.resolve("conf.db").toString(), "/usr/share/openvswitch/vswitch.ovsschema");
      ovs.run("ovsdb-server", dir.resolve("conf.db").toString(), "--remote=punix:" + dir.resolve("db.sock"),
          "--pidfile=" + dir.resolve("ovsdb-server.pid"), "--detach", "--no-chdir",
          "--log-file=" + dir.resolve("ovsdb-server.log"), "-vconsole:off");
      ovs.run("ovs-vsctl", "--no-wait", "init");
      ovs.run("ip", "netns", "exec", ovs.netns, "env", "OVS_RUNDIR=" + dir, "ovs-vswitchd", "unix:" + dir.resolve("db.sock"),
          "--pidfile=" + dir.resolve("ovs-vswitchd.pid"), "--detach", "--no-chdir",
          "--log-file=" + dir.resolve("ovs-vswitchd.log"), "-vconsole:off");
      ovs.run("ovs-vsctl", "--timeout=20", "set", "Open_vSwitch", ".", "external_ids:tenet-bench=up");
      return ovs;
    } catch (IOException | RuntimeException e) {
      ovs.close();
      throw e;
    }
  }

  Path dir() {
    return dir;
  }

  /** Runs an OVS command against this switch (OVS_RUNDIR); returns its output. */
  String run(String... command) throws IOException {
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().put("OVS_RUNDIR", dir.toString());
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    try {
      if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
        p.destroyForcibly();
        throw new IOException(String.join(" ", command) + " failed: " + out.strip());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
    return out;
  }

  /**
   * Runs an OVS command against this switch and hands each line of its output to {@code each} as
   * it comes: a dump of a million flows is never one String.
   */
  void lines(java.util.function.Consumer<String> each, String... command) throws IOException {
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().put("OVS_RUNDIR", dir.toString());
    Process p = pb.start();
    StringBuilder err = new StringBuilder();
    Thread errors = Thread.ofVirtual().start(() -> {
      try {
        err.append(new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
      } catch (IOException e) {
        err.append(e.getMessage());
      }
    });
    try (var out = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      out.lines().forEach(each);
    }
    try {
      errors.join();
      if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
        p.destroyForcibly();
        throw new IOException(String.join(" ", command) + " failed: " + err.toString().strip());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  @Override
  public void close() {
    for (String daemon : List.of("ovs-vswitchd", "ovsdb-server")) {
      try {
        Path pidFile = dir.resolve(daemon + ".pid");
        if (Files.exists(pidFile)) {
          long pid = Long.parseLong(Files.readString(pidFile).strip());
          ProcessHandle.of(pid).ifPresent(h -> {
            h.destroy();
            try {
              h.onExit().get(5, TimeUnit.SECONDS);
            } catch (Exception e) {
              h.destroyForcibly();
            }
          });
        }
      } catch (IOException | NumberFormatException e) {
        // nothing of ours runs under that name
      }
    }
    List<String> del = new ArrayList<>(List.of("ip", "netns", "del", netns));
    try {
      new ProcessBuilder(del).redirectErrorStream(true).start().waitFor(5, TimeUnit.SECONDS);
    } catch (IOException e) {
      // not made
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
