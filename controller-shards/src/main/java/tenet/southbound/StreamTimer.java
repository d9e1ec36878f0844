package tenet.southbound;

/** The timers of an agent's stream. */
public enum StreamTimer {
  /** Every {@code TICK} while the stream lasts (the session starts it): registration, VFs and report again. */
  TICK,
  /** Register again soon: a write lost to a state that moved on, or a port the replica does not have yet. */
  REGISTER,
  /** Versions changed {@link AgentStream#REPORT_DELAY} ago: tell the entity how things stand now. */
  REPORT
}
