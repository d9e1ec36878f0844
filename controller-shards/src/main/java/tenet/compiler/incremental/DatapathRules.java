package tenet.compiler.incremental;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import tenet.compiler.specialize.OpenFlowRule;

/**
 * One datapath's rules from its logical flows: {@code all} of them, sorted; those every chassis
 * that needs the datapath gets ({@code shared}); and, by VM port, those only the port's chassis
 * gets ({@code local}: OpenFlowRule#localPort), which go into that chassis' slice.
 */
record DatapathRules(List<OpenFlowRule> all, List<OpenFlowRule> shared, Map<Integer, List<OpenFlowRule>> local) {
  static final DatapathRules NONE = new DatapathRules(List.of(), List.of(), Map.of());

  static DatapathRules of(List<OpenFlowRule> sorted) {
    List<OpenFlowRule> shared = new ArrayList<>(sorted.size());
    Map<Integer, List<OpenFlowRule>> local = new TreeMap<>();
    for (OpenFlowRule rule : sorted) {
      if (rule.localPort() == 0) {
        shared.add(rule);
      } else {
        local.computeIfAbsent(rule.localPort(), p -> new ArrayList<>()).add(rule);
      }
    }
    local.replaceAll((port, rules) -> List.copyOf(rules));
    return new DatapathRules(List.copyOf(sorted), List.copyOf(shared), Map.copyOf(local));
  }

  /** The VM ports whose own rules differ between {@code before} and this. */
  Set<Integer> portsChangedSince(DatapathRules before) {
    Set<Integer> out = new HashSet<>();
    local.forEach((port, rules) -> {
      if (!rules.equals(before.local.get(port))) {
        out.add(port);
      }
    });
    before.local.keySet().forEach(port -> {
      if (!local.containsKey(port)) {
        out.add(port);
      }
    });
    return out;
  }
}
