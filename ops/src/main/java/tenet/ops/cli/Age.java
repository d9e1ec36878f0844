package tenet.ops.cli;

import com.google.protobuf.Timestamp;
import java.time.Duration;
import java.time.Instant;

/** "42s", "7m", "5h", "3d": the AGE column, coarse on purpose as kubectl does. */
public final class Age {
  private Age() {}

  public static String since(Timestamp created, Instant now) {
    if (created.getSeconds() == 0 && created.getNanos() == 0) {
      return "-";
    }
    Duration d = Duration.between(Instant.ofEpochSecond(created.getSeconds(), created.getNanos()), now);
    long s = Math.max(0, d.getSeconds());
    if (s < 120) {
      return s + "s";
    }
    if (s < 120 * 60) {
      return s / 60 + "m";
    }
    if (s < 48 * 3600) {
      return s / 3600 + "h";
    }
    return s / 86400 + "d";
  }
}
