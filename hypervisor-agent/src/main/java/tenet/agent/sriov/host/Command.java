package tenet.agent.sriov.host;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a program and returns its stdout; what the command adapters run through (tests record the argv). */
@FunctionalInterface
public interface Command {
  String run(List<String> argv) throws IOException;

  long TIMEOUT_SECONDS = 30;

  /** The real thing: a process; a non-zero exit is an IOException with the command and its stderr. */
  Command PROCESS = argv -> {
    Process p = new ProcessBuilder(argv).start();
    try {
      p.getOutputStream().close();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IOException(String.join(" ", argv) + ": no answer in " + TIMEOUT_SECONDS + " s");
      }
      if (p.exitValue() != 0) {
        throw new IOException(String.join(" ", argv) + " failed (" + p.exitValue() + "): " + err.strip());
      }
      return out;
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IOException("interrupted: " + String.join(" ", argv), e);
    }
  };
}
