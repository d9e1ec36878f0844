package tenet.ops.cli;

import java.util.Map;
import java.util.function.Supplier;

/** Which controller to talk to: --server, then $TENET_SERVER, then the config file, then local. */
public final class ServerAddress {
  public static final String ENV = "TENET_SERVER";
  public static final String DEFAULT = "127.0.0.1:7400";

  private ServerAddress() {}

  public static String resolve(String flag, Map<String, String> env, Supplier<CliConfig> config) {
    if (flag != null && !flag.isBlank()) {
      return flag;
    }
    String fromEnv = env.get(ENV);
    if (fromEnv != null && !fromEnv.isBlank()) {
      return fromEnv;
    }
    return config.get().server().orElse(DEFAULT);
  }
}
