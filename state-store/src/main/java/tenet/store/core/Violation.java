package tenet.store.core;

/** One bad field: its path in the request ("logical_switch_port.ips[1]") and why. */
public record Violation(String field, String description) {
  @Override
  public String toString() {
    return field + ": " + description;
  }
}
