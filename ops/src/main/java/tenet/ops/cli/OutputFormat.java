package tenet.ops.cli;

/** `-o`: a table for people, proto JSON or YAML for scripts and for feeding back in. */
public enum OutputFormat {
  TABLE, JSON, YAML
}
