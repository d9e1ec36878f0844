package tenet.ops.cli;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@code --label k=v} sets a label, {@code --label k-} removes one (kubectl's spelling). */
public record LabelChanges(Map<String, String> set, Set<String> remove) {
  public static final LabelChanges NONE = new LabelChanges(Map.of(), Set.of());

  public LabelChanges {
    set = Map.copyOf(set);
    remove = Set.copyOf(remove);
  }

  public static LabelChanges parse(List<String> args) {
    Map<String, String> set = new LinkedHashMap<>();
    Set<String> remove = new LinkedHashSet<>();
    for (String arg : args == null ? List.<String>of() : args) {
      int eq = arg.indexOf('=');
      if (eq > 0) {
        set.put(arg.substring(0, eq), arg.substring(eq + 1));
      } else if (arg.endsWith("-") && arg.length() > 1) {
        remove.add(arg.substring(0, arg.length() - 1));
      } else {
        throw new UsageException("--label " + arg + ": expected key=value, or key- to remove a label");
      }
    }
    return new LabelChanges(set, remove);
  }

  public boolean isEmpty() {
    return set.isEmpty() && remove.isEmpty();
  }

  public Map<String, String> applyTo(Map<String, String> labels) {
    Map<String, String> result = new LinkedHashMap<>(labels);
    result.keySet().removeAll(remove);
    result.putAll(set);
    return result;
  }
}
