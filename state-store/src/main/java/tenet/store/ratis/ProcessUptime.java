package tenet.store.ratis;

import java.time.Duration;
import java.time.Instant;

/**
 * Time since this OS process started (the kernel's start time, so the JVM's own start-up counts
 * too) and the CPU it has used. Start-up phases are logged with both: how long a restarted
 * controller takes to serve is read from its log phase by phase, and the CPU figure tells a slow
 * phase from a starved one on a shared machine.
 */
public final class ProcessUptime {
  private static final Instant STARTED = ProcessHandle.current().info().startInstant().orElseGet(Instant::now);

  private ProcessUptime() {}

  public static long millis() {
    return Duration.between(STARTED, Instant.now()).toMillis();
  }

  /** "1234 ms after process start, 2345 ms CPU": for start-up log lines. */
  public static String describe() {
    long cpu = ProcessHandle.current().info().totalCpuDuration().map(Duration::toMillis).orElse(-1L);
    return millis() + " ms after process start, " + cpu + " ms CPU";
  }
}
