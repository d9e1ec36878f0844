package tenet.ops.bench;

/**
 * The command line of {@code tenet bench compile}. The OVN side (ops/lib/bench-compile-ovn.py)
 * takes its figures from the Tenet side's JSON line, so this is the one parser of both.
 */
record CompileBenchArgs(int ports, int chassis, int warmup, int increments, long seed, boolean ovn, int ovnIncrements,
    boolean help) {

  static final String USAGE = """
      usage: tenet bench compile [--ports N] [--chassis C] [--increments K] [--warmup W] [--seed S]
                                 [--ovn-increments R] [--no-ovn]
        --ports N             VM ports, a multiple of 40: N/40 tenants of 1 router and 4 switches of 10 ports
                              (default 4000)
        --chassis C           hypervisors; ports are bound to them in turn (default 100)
        --increments K        Tenet's measured one-port additions (default 200)
        --warmup W            unmeasured additions, each removed again, before them (default 500)
        --seed S              which switches get the added ports (default 1)
        --ovn-increments R    OVN's measured `lsp-add --wait=sb`s (default 5; ~30 s each at 100000 ports)
        --no-ovn              Tenet only, even when ovn-central is installed
        -h, --help            this text""";

  static final class UsageException extends Exception {
    private static final long serialVersionUID = 1L;

    UsageException(String message) {
      super(message);
    }
  }

  static CompileBenchArgs parse(String[] args) throws UsageException {
    int ports = 4000;
    int chassis = 100;
    int warmup = 500;
    int increments = 200;
    long seed = 1;
    boolean ovn = true;
    int ovnIncrements = 5;
    boolean help = false;
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      switch (a) {
        case "-h", "--help" -> help = true;
        case "--ports" -> ports = (int) number(args, ++i, a);
        case "--chassis" -> chassis = (int) number(args, ++i, a);
        case "--warmup" -> warmup = (int) number(args, ++i, a);
        case "--increments" -> increments = (int) number(args, ++i, a);
        case "--seed" -> seed = number(args, ++i, a);
        case "--ovn-increments" -> ovnIncrements = (int) number(args, ++i, a);
        case "--no-ovn" -> ovn = false;
        default -> throw new UsageException("unknown argument '" + a + "'");
      }
    }
    if (ports <= 0 || ports % CompileTopology.PORTS_PER_TENANT != 0) {
      throw new UsageException("--ports must be a positive multiple of " + CompileTopology.PORTS_PER_TENANT + ", not " + ports);
    }
    if (chassis <= 0 || increments <= 0 || ovnIncrements <= 0 || warmup < 0) {
      throw new UsageException("--chassis, --increments and --ovn-increments must be positive, --warmup not negative");
    }
    // OpenFlow numbers a bridge's ports 1..65279: more VMs than that cannot share one hypervisor.
    if ((ports + warmup + increments + chassis - 1) / chassis > 65_000) {
      throw new UsageException("more than 65000 ports per chassis: add chassis");
    }
    return new CompileBenchArgs(ports, chassis, warmup, increments, seed, ovn, ovnIncrements, help);
  }

  private static long number(String[] args, int i, String name) throws UsageException {
    if (i >= args.length) {
      throw new UsageException("argument '" + name + "' needs a number");
    }
    try {
      return Long.parseLong(args[i]);
    } catch (NumberFormatException e) {
      throw new UsageException("argument '" + name + "' needs a number, not '" + args[i] + "'");
    }
  }
}
