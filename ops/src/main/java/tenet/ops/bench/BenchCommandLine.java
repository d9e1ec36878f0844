package tenet.ops.bench;

import picocli.CommandLine;
import picocli.CommandLine.Option;

/** How every bench reads its command line (picocli): help, and what is wrong with a bad one. */
final class BenchCommandLine {
  private BenchCommandLine() {}

  /** What a bench's arguments must satisfy beyond their types. */
  interface Checked {
    /** @throws CommandLine.ParameterException naming the argument and the reason */
    void check(CommandLine line);
  }

  /** {@code -h} / {@code --help}, for {@code @Mixin}. */
  static final class Help {
    @Option(names = {"-h", "--help"}, usageHelp = true, description = "This text.")
    boolean help;
  }

  /**
   * {@code argv} parsed into {@code args}; null when help was asked for (and printed). A bad
   * command line ends the process with status 2, after the reason and the usage on stderr.
   */
  static <T> T parse(T args, String[] argv) {
    CommandLine line = new CommandLine(args);
    try {
      line.parseArgs(argv);
      if (line.isUsageHelpRequested()) {
        line.usage(System.out);
        return null;
      }
      if (args instanceof Checked checked) {
        checked.check(line);
      }
      return args;
    } catch (CommandLine.ParameterException e) {
      System.err.println(line.getCommandName() + ": " + e.getMessage());
      line.usage(System.err);
      System.exit(2);
      return null;
    }
  }
}
