package tenet.agent.link;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/** Doubling delays between min and max with +-20 % jitter, so agents do not reconnect in lockstep. */
public final class Backoff {
  private final Duration min;
  private final Duration max;
  private Duration next;

  public Backoff(Duration min, Duration max) {
    this.min = min;
    this.max = max;
    this.next = min;
  }

  public Duration next() {
    Duration now = next;
    next = now.multipliedBy(2).compareTo(max) > 0 ? max : now.multipliedBy(2);
    double jitter = 0.8 + 0.4 * ThreadLocalRandom.current().nextDouble();
    return Duration.ofMillis((long) (now.toMillis() * jitter));
  }

  public void reset() {
    next = min;
  }
}
