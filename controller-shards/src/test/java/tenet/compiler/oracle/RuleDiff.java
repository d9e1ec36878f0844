package tenet.compiler.oracle;

import java.util.Set;
import java.util.TreeSet;
import tenet.compiler.specialize.OpenFlowRule;

/**
 * How a chassis' rules differ from what they must be: the rules {@code missing} from them and
 * the {@code extra} ones, each sorted as ovs-ofctl lists them.
 */
public record RuleDiff(Set<OpenFlowRule> missing, Set<OpenFlowRule> extra) {
  /** Shown of each side; the counts say how many more there are. */
  private static final int SHOWN = 12;

  public static RuleDiff between(Set<OpenFlowRule> expected, Set<OpenFlowRule> actual) {
    Set<OpenFlowRule> missing = new TreeSet<>();
    for (OpenFlowRule r : expected) {
      if (!actual.contains(r)) {
        missing.add(r);
      }
    }
    Set<OpenFlowRule> extra = new TreeSet<>();
    for (OpenFlowRule r : actual) {
      if (!expected.contains(r)) {
        extra.add(r);
      }
    }
    return new RuleDiff(missing, extra);
  }

  public boolean isEmpty() {
    return missing.isEmpty() && extra.isEmpty();
  }

  @Override
  public String toString() {
    StringBuilder b = new StringBuilder().append(missing.size()).append(" missing, ").append(extra.size()).append(" extra");
    list(b, "- ", missing);
    list(b, "+ ", extra);
    return b.toString();
  }

  private static void list(StringBuilder b, String sign, Set<OpenFlowRule> rules) {
    int n = 0;
    for (OpenFlowRule r : rules) {
      if (n++ == SHOWN) {
        b.append("\n  ").append(sign).append("... ").append(rules.size() - SHOWN).append(" more");
        break;
      }
      b.append("\n  ").append(sign).append(r.toOfctl());
    }
  }
}
