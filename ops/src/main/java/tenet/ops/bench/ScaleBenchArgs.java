package tenet.ops.bench;

import java.time.Duration;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The command line of {@code tenet bench scale}. The OVN side (ops/lib/bench-compile-ovn.py)
 * takes its figures from the Tenet side's JSON line, so this is the one parser of both.
 */
@Command(name = "tenet bench scale", description = {
    "3 tenet-controller processes and C simulated agents (real southbound streams, no OVS), the topology of bench"
        + " compile written through the API: converge, one-port additions, failover; then OVN's northd on the same"
        + " topology. Ends with one JSON line."})
final class ScaleBenchArgs implements BenchCommandLine.Checked {
  /**
   * The largest N whose MACs stay apart: the loaded ports' run up to 100 * N, the failover's
   * ports' start at 0xE00000 (ScaleTopology), the added ports' at 0xF00000.
   */
  static final int MAX_PORTS = 140_000;
  /** A VIF's ofport is its conntrack zone, 1..32767 (docs/pipeline.md): no more ports per chassis. */
  static final int MAX_PORTS_PER_CHASSIS = 32_767;

  @Mixin
  BenchCommandLine.Help help;

  @Option(names = "--ports", paramLabel = "N", defaultValue = "4000", description =
      "VM ports, a multiple of 40: N/40 tenants of 1 router and 4 switches of 10 ports (default ${DEFAULT-VALUE}).")
  private int ports;

  @Option(names = "--chassis", paramLabel = "C", defaultValue = "100", description =
      "Simulated hypervisors, at most N; port i is plugged in on chassis i mod C (default ${DEFAULT-VALUE}).")
  private int chassis;

  @Option(names = "--samples", paramLabel = "K", defaultValue = "200", description =
      "Measured one-port additions (default ${DEFAULT-VALUE}).")
  private int samples;

  @Option(names = "--warmup", paramLabel = "W", defaultValue = "50", description =
      "Unmeasured one-port additions before them (default ${DEFAULT-VALUE}).")
  private int warmup;

  @Option(names = "--seed", paramLabel = "S", defaultValue = "1", description =
      "Which switches get the added ports (default ${DEFAULT-VALUE}).")
  private long seed;

  @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "600", description =
      "How long the bulk load may take to converge, and the failover to reach every chassis (default ${DEFAULT-VALUE}).")
  private int timeoutSeconds;

  @Option(names = "--ovn-increments", paramLabel = "R", defaultValue = "5", description =
      "OVN's measured `lsp-add --wait=sb`s (default ${DEFAULT-VALUE}; ~30 s each at 100000 ports).")
  private int ovnIncrements;

  @Option(names = "--no-ovn", description = "Tenet only, even when ovn-central is installed.")
  private boolean noOvn;

  @Option(names = "--keep", description = "Keep the controllers' directories (logs, data) and say where.")
  private boolean keep;

  @Option(names = "--verbose", description = "One line per port added: where, and each of its times.")
  private boolean verbose;

  @Override
  public void check(CommandLine line) {
    if (ports <= 0 || ports % CompileTopology.PORTS_PER_TENANT != 0 || ports > MAX_PORTS) {
      throw new CommandLine.ParameterException(line, "--ports must be a positive multiple of "
          + CompileTopology.PORTS_PER_TENANT + " up to " + MAX_PORTS + ", not " + ports);
    }
    // A chassis without a port needs no datapath: nothing would ever change there.
    if (chassis <= 0 || chassis > ports) {
      throw new CommandLine.ParameterException(line, "--chassis must be 1.." + ports + " (--ports), not " + chassis);
    }
    if (samples <= 0) {
      throw new CommandLine.ParameterException(line, "--samples must be positive, not " + samples);
    }
    if (warmup < 0) {
      throw new CommandLine.ParameterException(line, "--warmup must not be negative, not " + warmup);
    }
    if (timeoutSeconds <= 0) {
      throw new CommandLine.ParameterException(line, "--timeout must be positive, not " + timeoutSeconds);
    }
    if (ovnIncrements <= 0) {
      throw new CommandLine.ParameterException(line, "--ovn-increments must be positive, not " + ovnIncrements);
    }
    if ((ports + warmup + samples + chassis - 1) / chassis > MAX_PORTS_PER_CHASSIS) {
      throw new CommandLine.ParameterException(line,
          "more than " + MAX_PORTS_PER_CHASSIS + " ports per chassis (their ofports are conntrack zones): add --chassis");
    }
    int addable = new ScaleTopology(ports, chassis).addable();
    if (warmup + samples > addable) {
      throw new CommandLine.ParameterException(line,
          "--warmup + --samples: at most " + addable + " ports can be added to " + ports / 10 + " switches");
    }
  }

  int ports() {
    return ports;
  }

  int chassis() {
    return chassis;
  }

  int samples() {
    return samples;
  }

  int warmup() {
    return warmup;
  }

  long seed() {
    return seed;
  }

  Duration timeout() {
    return Duration.ofSeconds(timeoutSeconds);
  }

  boolean ovn() {
    return !noOvn;
  }

  int ovnIncrements() {
    return ovnIncrements;
  }

  boolean keep() {
    return keep;
  }

  boolean verbose() {
    return verbose;
  }
}
