package tenet.ops.cli;

import io.grpc.StatusRuntimeException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * tenetctl: the command line for operators and portal developers, a client of the northbound
 * API only. Global options are inherited, so they may come before or after the command.
 */
@Command(name = "tenetctl",
    mixinStandardHelpOptions = true,
    scope = ScopeType.INHERIT,
    version = "tenetctl 0.1.0",
    usageHelpAutoWidth = true,
    description = "Declare and inspect tenant networks through the Tenet northbound API.",
    footer = {"", "Kinds: %n  tenant, logical-switch (ls), logical-switch-port (lsp), logical-router (lr),"
        + "%n  logical-router-port (lrp), static-route, security-group (sg), nat-rule (nat),"
        + "%n  announced-prefix, chassis, port-binding",
        "", "Exit status: 0 success, 1 the server refused or could not be reached, 2 usage error."},
    subcommands = {
        CreateCommand.class, GetCommand.class, ListCommand.class, UpdateCommand.class,
        DeleteCommand.class, WatchCommand.class, ApplyCommand.class, ClusterCommand.class,
        SyncCommand.class})
public final class Tenetctl implements Runnable, AutoCloseable {
  @Option(names = "--server", paramLabel = "HOST:PORT", scope = ScopeType.INHERIT,
      description = "Controller northbound address (default: $TENET_SERVER, then the config file, then "
          + ServerAddress.DEFAULT + ").")
  String serverFlag;

  @Option(names = "--config", paramLabel = "FILE", scope = ScopeType.INHERIT,
      description = "Config file with `server: host:port` (default: ~/.config/tenet/tenetctl.yaml).")
  Path configFile;

  @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", scope = ScopeType.INHERIT, defaultValue = "table",
      description = "table, json or yaml (default: ${DEFAULT-VALUE}).")
  OutputFormat output;

  @Option(names = "--timeout", paramLabel = "SECONDS", scope = ScopeType.INHERIT, defaultValue = "30",
      description = "Deadline of each call in seconds (default: ${DEFAULT-VALUE}); a watch has none.")
  long timeoutSeconds;

  @Spec
  CommandSpec spec;

  static final String TENANT_HELP = "The object's tenant; not for chassis, and a tenant is its own.";
  private static final String LOGBACK_CONFIG = "logback.configurationFile";

  private final Map<String, String> env;
  private final PrintWriter out;
  private final PrintWriter err;
  private String server;
  private NorthboundClient client;

  Tenetctl(Map<String, String> env, PrintWriter out, PrintWriter err) {
    this.env = env;
    this.out = out;
    this.err = err;
  }

  public static void main(String[] args) {
    // Before anything logs: without a configuration logback prints DEBUG to stdout, into the
    // json or yaml a script is reading. -Dlogback.configurationFile still wins.
    if (System.getProperty(LOGBACK_CONFIG) == null) {
      System.setProperty(LOGBACK_CONFIG, "tenet/ops/cli/tenetctl-logback.xml");
    }
    PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
    PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
    System.exit(run(args, System.getenv(), out, err));
  }

  /** The whole command line, with the environment and streams passed in so tests can run it. */
  public static int run(String[] args, Map<String, String> env, PrintWriter out, PrintWriter err) {
    try (Tenetctl root = new Tenetctl(env, out, err)) {
      CommandLine cli = new CommandLine(root)
          .setCaseInsensitiveEnumValuesAllowed(true)
          .setOut(out)
          .setErr(err)
          .setParameterExceptionHandler((e, a) -> {
            err.println("error: " + e.getMessage());
            CommandLine.UnmatchedArgumentException.printSuggestions(e, err);
            err.println("Run '" + e.getCommandLine().getCommandSpec().qualifiedName() + " --help' for usage.");
            return CommandLine.ExitCode.USAGE;
          })
          .setExecutionExceptionHandler((e, cmd, parsed) -> {
            if (e instanceof UsageException) {
              err.println("error: " + e.getMessage());
              return CommandLine.ExitCode.USAGE;
            }
            if (e instanceof TxnRejected t) {
              err.println("error: " + ApiErrors.render(ApiErrors.status(t.status()), root.server(), t.fieldNames()));
              return 1;
            }
            if (e instanceof StatusRuntimeException) {
              err.println("error: " + ApiErrors.render(e, root.server()));
              return 1;
            }
            throw e;
          });
      return cli.execute(args);
    }
  }

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "give a command: create, get, list, update,"
        + " delete, watch, apply or cluster");
  }

  /** Resolved once, on first use, so a bad config file only matters when it is consulted. */
  String server() {
    if (server == null) {
      server = ServerAddress.resolve(serverFlag, env, () -> configFile != null
          ? CliConfig.load(configFile, true)
          : CliConfig.load(CliConfig.defaultPath(), false));
    }
    return server;
  }

  NorthboundClient client() {
    if (client == null) {
      if (timeoutSeconds <= 0) {
        throw new UsageException("--timeout must be a positive number of seconds");
      }
      client = new NorthboundClient(server(), Duration.ofSeconds(timeoutSeconds));
    }
    return client;
  }

  Printer printer() {
    return new Printer(out, output);
  }

  PrintWriter out() {
    return out;
  }

  PrintWriter err() {
    return err;
  }

  @Override
  public void close() {
    if (client != null) {
      client.close();
    }
  }
}
