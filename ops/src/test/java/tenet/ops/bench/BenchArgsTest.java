package tenet.ops.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class BenchArgsTest {
  private static <T extends BenchCommandLine.Checked> T parse(T args, String... argv) {
    CommandLine line = new CommandLine(args);
    line.parseArgs(argv);
    args.check(line);
    return args;
  }

  @Test
  void agentNeedsFlowsAndTakesRounds() {
    AgentBenchArgs args = parse(new AgentBenchArgs(), "--flows", "100000");
    assertThat(args.flows).isEqualTo(100_000);
    assertThat(args.rounds).isEqualTo(5);
    assertThat(parse(new AgentBenchArgs(), "--flows=10", "--rounds=1").rounds).isEqualTo(1);
    assertThatThrownBy(() -> parse(new AgentBenchArgs())).hasMessageContaining("--flows");
    assertThatThrownBy(() -> parse(new AgentBenchArgs(), "--flows", "0")).hasMessage("--flows must be 1..1000000, got 0");
    assertThatThrownBy(() -> parse(new AgentBenchArgs(), "--flows", "1", "--rounds", "51"))
        .hasMessage("--rounds must be 1..50, got 51");
  }

  @Test
  void compileChecksTheTopologyItCanBuild() {
    CompileBenchArgs args = parse(new CompileBenchArgs(), "--ports", "400", "--chassis", "10", "--no-ovn");
    assertThat(args.ports()).isEqualTo(400);
    assertThat(args.chassis()).isEqualTo(10);
    assertThat(args.ovn()).isFalse();
    assertThat(args.increments()).isEqualTo(200);
    assertThat(parse(new CompileBenchArgs()).ovn()).isTrue();
    assertThatThrownBy(() -> parse(new CompileBenchArgs(), "--ports", "41")).hasMessageContaining("multiple of 40");
    assertThatThrownBy(() -> parse(new CompileBenchArgs(), "--ports", "x")).hasMessageContaining("'--ports'");
    assertThatThrownBy(() -> parse(new CompileBenchArgs(), "--ports", "4000000", "--chassis", "1"))
        .hasMessageContaining("more than 65000 ports per chassis");
  }

  @Test
  void scaleChecksTheTopologyAndNamesTheArgument() {
    ScaleBenchArgs args = parse(new ScaleBenchArgs(), "--ports", "2000", "--chassis", "50", "--no-ovn", "--keep");
    assertThat(args.ports()).isEqualTo(2000);
    assertThat(args.chassis()).isEqualTo(50);
    assertThat(args.samples()).isEqualTo(200);
    assertThat(args.warmup()).isEqualTo(50);
    assertThat(args.timeout()).hasSeconds(600);
    assertThat(args.ovn()).isFalse();
    assertThat(args.keep()).isTrue();
    ScaleBenchArgs defaults = parse(new ScaleBenchArgs());
    assertThat(defaults.ports()).isEqualTo(4000);
    assertThat(defaults.chassis()).isEqualTo(100);
    assertThat(defaults.ovn()).isTrue();
    assertThatThrownBy(() -> parse(new ScaleBenchArgs(), "--ports", "30"))
        .hasMessage("--ports must be a positive multiple of 40 up to 140000, not 30");
    assertThatThrownBy(() -> parse(new ScaleBenchArgs(), "--ports", "200000", "--chassis", "10"))
        .hasMessageContaining("--ports must be");
    assertThatThrownBy(() -> parse(new ScaleBenchArgs(), "--ports", "40", "--chassis", "41"))
        .hasMessage("--chassis must be 1..40 (--ports), not 41");
    assertThatThrownBy(() -> parse(new ScaleBenchArgs(), "--samples", "0")).hasMessage("--samples must be positive, not 0");
    assertThatThrownBy(() -> parse(new ScaleBenchArgs(), "--warmup", "-1"))
        .hasMessage("--warmup must not be negative, not -1");
    assertThatThrownBy(() -> parse(new ScaleBenchArgs(), "--timeout", "0")).hasMessage("--timeout must be positive, not 0");
    assertThatThrownBy(() -> parse(new ScaleBenchArgs(), "--ports", "80000", "--chassis", "2"))
        .hasMessageContaining("more than 32767 ports per chassis");
    assertThatThrownBy(() -> parse(new ScaleBenchArgs(), "--ports", "40", "--chassis", "4", "--samples", "600"))
        .hasMessage("--warmup + --samples: at most 620 ports can be added to 4 switches");
    assertThatThrownBy(() -> parse(new ScaleBenchArgs(), "--chassis", "x")).hasMessageContaining("'--chassis'");
  }

  @Test
  void storeTakesQuickAndEtcd() {
    StoreBenchArgs args = new StoreBenchArgs();
    new CommandLine(args).parseArgs("--quick", "--etcd", "/opt/etcd");
    assertThat(args.etcd()).isEqualTo(Path.of("/opt/etcd"));
    assertThat(args.plan().mode()).isEqualTo("quick");
    StoreBenchArgs defaults = new StoreBenchArgs();
    new CommandLine(defaults).parseArgs();
    assertThat(defaults.etcd()).isEqualTo(Path.of("/usr/bin/etcd"));
    assertThat(defaults.plan().mode()).isEqualTo("full");
    assertThatThrownBy(() -> new CommandLine(new StoreBenchArgs()).parseArgs("--bogus"))
        .hasMessageContaining("'--bogus'");
    assertThat(defaults.systems()).containsExactly("tenet", "etcd");
    assertThat(defaults.nodes()).containsExactly(1, 3);
    StoreBenchArgs some = new StoreBenchArgs();
    CommandLine line = new CommandLine(some);
    line.parseArgs("--system", "tenet", "--nodes", "3");
    assertThat(some.systems()).containsExactly("tenet");
    assertThat(some.nodes()).containsExactly(3);
    StoreBenchArgs bad = new StoreBenchArgs();
    CommandLine badLine = new CommandLine(bad);
    badLine.parseArgs("--nodes", "2");
    assertThatThrownBy(() -> bad.check(badLine)).hasMessageContaining("--nodes: 1 or 3, not 2");
  }
}
