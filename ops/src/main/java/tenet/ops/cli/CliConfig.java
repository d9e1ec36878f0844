package tenet.ops.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.yaml.snakeyaml.error.YAMLException;

/** ~/.config/tenet/tenetctl.yaml: for now only {@code server: host:port}. */
public record CliConfig(Optional<String> server) {
  public static final CliConfig EMPTY = new CliConfig(Optional.empty());

  public static Path defaultPath() {
    return Path.of(System.getProperty("user.home"), ".config", "tenet", "tenetctl.yaml");
  }

  /** A missing default file is no configuration; a missing file the user named is an error. */
  public static CliConfig load(Path file, boolean named) {
    if (!Files.exists(file)) {
      if (named) {
        throw new UsageException("--config " + file + ": no such file");
      }
      return EMPTY;
    }
    Object tree;
    try {
      tree = YamlTrees.loader().load(Files.readString(file));
    } catch (IOException e) {
      throw new UsageException(file + ": cannot read: " + e.getMessage());
    } catch (YAMLException e) {
      throw new UsageException(file + ": " + e.getMessage());
    }
    if (tree == null) {
      return EMPTY;
    }
    if (!(tree instanceof Map<?, ?> map)) {
      throw new UsageException(file + ": expected a mapping such as `server: host:port`");
    }
    for (Object key : map.keySet()) {
      if (!"server".equals(key)) {
        throw new UsageException(file + ": unknown setting \"" + key + "\" (known: server)");
      }
    }
    Object server = map.get("server");
    if (server instanceof Map<?, ?> || server instanceof java.util.List<?>) {
      throw new UsageException(file + ": server must be host:port");
    }
    return new CliConfig(Optional.ofNullable(server).map(String::valueOf).filter(s -> !s.isBlank()));
  }
}
