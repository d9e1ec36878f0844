package tenet.compiler.specialize;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Rules sort as their ovs-ofctl lines do (what golden files and agents see), without formatting them. */
class OpenFlowRuleOrderTest {
  private static final String[] MATCHES = {"", "in_port=1", "in_port=10", "metadata=1,reg15=2", "metadata=1,reg15=20", "metadata=1"};
  private static final String[] ACTIONS = {"drop", "drop,drop", "output:1", "output:10", "resubmit(,38)"};

  @Test
  void sameOrderAsTheirOfctlLines() {
    SplittableRandom r = new SplittableRandom(7);
    for (int i = 0; i < 200_000; i++) {
      OpenFlowRule a = random(r);
      OpenFlowRule b = random(r);
      assertThat(Integer.signum(a.compareTo(b))).as("%s vs %s", a, b)
          .isEqualTo(Integer.signum(expected(a, b)));
    }
  }

  private static int expected(OpenFlowRule a, OpenFlowRule b) {
    int c = Integer.compare(a.table(), b.table());
    if (c == 0) {
      c = Integer.compare(b.priority(), a.priority());
    }
    return c != 0 ? c : a.toOfctl().compareTo(b.toOfctl());
  }

  private static OpenFlowRule random(SplittableRandom r) {
    long cookie = switch (r.nextInt(4)) {
      case 0 -> 1 + r.nextInt(3);
      case 1 -> r.nextLong(1L << 12);
      case 2 -> ((long) r.nextInt(300) << 32) | r.nextInt(1 << 8);
      default -> r.nextLong();
    };
    return new OpenFlowRule(cookie == 0 ? 1 : cookie, r.nextInt(2), r.nextInt(2), MATCHES[r.nextInt(MATCHES.length)],
        ACTIONS[r.nextInt(ACTIONS.length)]);
  }
}
