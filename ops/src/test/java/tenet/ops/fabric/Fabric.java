package tenet.ops.fabric;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The fabric harness of {@code ops/lib/fabric.sh} and {@code demo.sh}, driven from Java: each call
 * is one bash that sources them and runs one function, so the test and {@code tenet sandbox} build
 * hypervisors, agents and VMs with the same code. Whatever the harness makes is recorded in the
 * fabric's directory; {@link #close} (and a shutdown hook, for a JVM stopped half way) runs
 * {@code fabric_down}, which removes exactly that, by PID.
 */
final class Fabric implements AutoCloseable {
  private static final long CALL_TIMEOUT_SECONDS = 180;

  record Result(int code, String out, String err) {}

  /** One flow of a {@code dump-flows}: its cookie, the flow without its counters, and the counters. */
  record Flow(long cookie, String rule, double durationSeconds, long packets) {}

  private static final Pattern COOKIE = Pattern.compile("cookie=0x([0-9a-f]+)");
  private static final Pattern DURATION = Pattern.compile("duration=([0-9.]+)s");
  private static final Pattern PACKETS = Pattern.compile("n_packets=(\\d+)");
  private static final Pattern COUNTERS = Pattern.compile("\\b(duration|n_packets|n_bytes|idle_age|hard_age)=[^,\\s]*,?\\s*");

  private final Path lib;
  private final Path dir;
  private final String prefix;
  private final Map<String, String> env = new HashMap<>();
  private final Thread hook = new Thread(this::down, "fabric-down");
  private boolean down;

  /**
   * {@code root}: the checkout; {@code dir}: the fabric's directory (short: OVS' unix sockets
   * live there); {@code prefix}: of every namespace name, unique per run.
   */
  Fabric(Path root, Path dir, String prefix, List<String> agentJvmFlags) {
    this.lib = root.resolve("ops/lib");
    this.dir = dir;
    this.prefix = prefix;
    env.put("FABRIC_DIR", dir.toString());
    env.put("FABRIC_PREFIX", prefix);
    env.put("FABRIC_JAVA", Path.of(System.getProperty("java.home"), "bin", "java").toString());
    env.put("FABRIC_CLASSPATH", System.getProperty("java.class.path"));
    env.put("TENET_JVM_FLAGS", String.join(" ", agentJvmFlags));
    env.put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin") + ":/usr/sbin:/sbin");
    Runtime.getRuntime().addShutdownHook(hook);
  }

  Path dir() {
    return dir;
  }

  /** A namespace's full name. */
  String ns(String name) {
    return prefix + name;
  }

  /** Runs a harness function; its exit code and output. */
  Result call(String function, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("bash", "-c",
        "set -euo pipefail; source \"$1\"; source \"$2\"; shift 2; \"$@\"", "fabric",
        lib.resolve("fabric.sh").toString(), lib.resolve("demo.sh").toString(), function));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    pb.environment().putAll(env);
    Path err = Files.createTempFile("fabric-call", ".err");
    try {
      pb.redirectError(err.toFile());
      Process p = pb.start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(CALL_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IOException(function + " did not finish in " + CALL_TIMEOUT_SECONDS + " s");
      }
      return new Result(p.exitValue(), out, Files.readString(err));
    } finally {
      Files.deleteIfExists(err);
    }
  }

  /** Runs a harness function that must succeed; its output. */
  String run(String function, String... args) throws IOException, InterruptedException {
    Result r = call(function, args);
    if (r.code() != 0) {
      throw new IOException(function + " " + String.join(" ", args) + " failed (" + r.code() + "):\n" + r.out() + r.err());
    }
    return r.out();
  }

  /** A command inside VM {@code vm}, in the background, output to {@code log}. */
  Process startInVm(String vm, Path log, String... command) throws IOException {
    List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", ns(vm)));
    full.addAll(List.of(command));
    ProcessBuilder pb = new ProcessBuilder(full).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().putAll(env);
    return pb.start();
  }

  /** Every flow on {@code hv}'s br-int, by cookie. */
  Map<Long, Flow> flows(String hv) throws IOException, InterruptedException {
    Map<Long, Flow> out = new HashMap<>();
    for (String line : run("fabric_ovs", hv, "ovs-ofctl", "-O", "OpenFlow15", "dump-flows", "br-int").split("\n")) {
      Matcher cookie = COOKIE.matcher(line);
      if (!cookie.find()) {
        continue;
      }
      Matcher duration = DURATION.matcher(line);
      Matcher packets = PACKETS.matcher(line);
      if (!duration.find() || !packets.find()) {
        throw new IOException("unexpected dump-flows line: " + line);
      }
      long c = Long.parseUnsignedLong(cookie.group(1), 16);
      Flow f = new Flow(c, COUNTERS.matcher(line.strip()).replaceAll(""), Double.parseDouble(duration.group(1)),
          Long.parseLong(packets.group(1)));
      if (out.put(c, f) != null) {
        throw new IOException("two flows with cookie " + cookie.group() + " on " + hv);
      }
    }
    return out;
  }

  /** The version the agent recorded on {@code hv}'s br-int with its flows. */
  long appliedVersion(String hv) throws IOException, InterruptedException {
    String v = run("fabric_ovs", hv, "ovs-vsctl", "get", "bridge", "br-int", "external_ids:tenet-applied-version");
    return Long.parseLong(v.strip().replace("\"", ""));
  }

  String agentLog(String hv) throws IOException {
    return Files.readString(dir.resolve(hv).resolve("agent.log"));
  }

  private synchronized void down() {
    if (down) {
      return;
    }
    down = true;
    keepLogs();
    try {
      Result r = call("fabric_down");
      if (r.code() != 0) {
        System.err.println("fabric_down failed (" + r.code() + "):\n" + r.out() + r.err());
      }
    } catch (IOException | InterruptedException e) {
      System.err.println("fabric_down failed: " + e);
    }
  }

  /** The agents' and OVS' logs, next to the fabric's directory (which fabric_down removes). */
  private void keepLogs() {
    Path logs = dir.resolveSibling(dir.getFileName() + "-logs");
    if (!Files.isDirectory(dir)) {
      return;
    }
    try (var hvs = Files.list(dir)) {
      for (Path hv : hvs.filter(Files::isDirectory).toList()) {
        for (String log : List.of("agent.log", "ovs-vswitchd.log", "ovsdb-server.log")) {
          if (Files.exists(hv.resolve(log))) {
            Files.createDirectories(logs);
            Files.copy(hv.resolve(log), logs.resolve(hv.getFileName() + "-" + log));
          }
        }
      }
    } catch (IOException e) {
      System.err.println("could not keep the fabric's logs: " + e);
    }
  }

  @Override
  public void close() {
    down();
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException shuttingDown) {
      // the hook runs or ran
    }
  }
}
