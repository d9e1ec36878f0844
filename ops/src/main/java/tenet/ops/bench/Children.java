package tenet.ops.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Every process the benchmark starts, so that all of them are stopped by PID at the end, on
 * failure and on Ctrl-C (from the shutdown hook), whatever state the run is in.
 */
public final class Children {

  /** One started process; output (stdout and stderr) is appended to {@code log}. */
  record Child(String name, Process process, Path log) {
    long pid() {
      return process.pid();
    }

    boolean alive() {
      return process.isAlive();
    }
  }

  private final List<Child> started = new ArrayList<>();
  private boolean closed;

  /** Starts {@code command}; environment variables whose names start with {@code dropEnvPrefix} are not passed on. */
  synchronized Child start(String name, List<String> command, Path workDir, Path log, String dropEnvPrefix)
      throws IOException {
    if (closed) {
      throw new IOException("shutting down: not starting " + name);
    }
    Files.createDirectories(workDir);
    ProcessBuilder builder = new ProcessBuilder(command);
    if (dropEnvPrefix != null) {
      builder.environment().keySet().removeIf(k -> k.startsWith(dropEnvPrefix));
    }
    Process p = builder
        .directory(workDir.toFile())
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
        .start();
    Child child = new Child(name, p, log);
    started.add(child);
    return child;
  }

  /** SIGKILL (Process.destroyForcibly on Linux), then waits until the process is gone. */
  static void kill9(Child child) {
    child.process().destroyForcibly();
    waitGone(child, 10);
  }

  /** SIGTERM, then SIGKILL if it has not exited within 2 s (the data is thrown away anyway). */
  static void stop(List<Child> children) {
    for (Child c : children) {
      if (c.alive()) {
        c.process().destroy();
      }
    }
    for (Child c : children) {
      if (!waitGone(c, 2)) {
        kill9(c);
      }
    }
  }

  synchronized List<Child> all() {
    return List.copyOf(started);
  }

  /** Stops everything still running; no start after this. Safe to call more than once. */
  public void stopAll() {
    List<Child> all;
    synchronized (this) {
      closed = true;
      all = new ArrayList<>(started);
    }
    stop(all);
  }

  private static boolean waitGone(Child c, int seconds) {
    try {
      return c.process().waitFor(seconds, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return !c.alive();
    }
  }

  /** The last lines of a child's log, for error messages. */
  static String tail(Child c, int lines) {
    try {
      List<String> all = Files.readAllLines(c.log());
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }
}
