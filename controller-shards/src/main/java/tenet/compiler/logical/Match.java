package tenet.compiler.logical;

import java.util.ArrayList;
import java.util.List;

/**
 * A conjunction of field conditions in OpenFlow's vocabulary ({@code dl_src}, {@code nw_dst},
 * {@code reg14} …), already chassis-independent: logical ports appear as their port keys in
 * {@code reg14}/{@code reg15}. The specializer adds the datapath ({@code metadata}) and the table.
 */
public record Match(List<Condition> conditions) {
  public record Condition(String field, String value) {
    @Override
    public String toString() {
      return value.isEmpty() ? field : field + "=" + value;
    }
  }

  public static final Match ANY = new Match(List.of());

  public Match {
    conditions = List.copyOf(conditions);
  }

  public static Match of(String... fieldValuePairs) {
    if (fieldValuePairs.length % 2 != 0) {
      throw new IllegalArgumentException("fields and values come in pairs");
    }
    List<Condition> list = new ArrayList<>();
    for (int i = 0; i < fieldValuePairs.length; i += 2) {
      list.add(new Condition(fieldValuePairs[i], fieldValuePairs[i + 1]));
    }
    return new Match(list);
  }

  /** A protocol shorthand OpenFlow accepts alone ({@code arp}, {@code ip}, {@code ipv6}, {@code tcp} …). */
  public Match with(String protocol) {
    List<Condition> list = new ArrayList<>(conditions);
    list.add(new Condition(protocol, ""));
    return new Match(list);
  }

  public Match and(String field, String value) {
    List<Condition> list = new ArrayList<>(conditions);
    list.add(new Condition(field, value));
    return new Match(list);
  }

  /** Both conjunctions: this one's conditions, then {@code other}'s. */
  public Match and(Match other) {
    List<Condition> list = new ArrayList<>(conditions);
    list.addAll(other.conditions);
    return new Match(list);
  }

  @Override
  public String toString() {
    if (conditions.isEmpty()) {
      return "1";
    }
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < conditions.size(); i++) {
      Condition c = conditions.get(i);
      b.append(i == 0 ? "" : ",").append(c.field());
      if (!c.value().isEmpty()) {
        b.append('=').append(c.value());
      }
    }
    return b.toString();
  }
}
