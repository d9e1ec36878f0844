package tenet.ops.cli;

import tenet.api.Resources;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Left-aligned columns separated by three spaces; the last column is not padded. */
public final class TableRenderer {
  private TableRenderer() {}

  public static String render(ResourceKind kind, List<tenet.api.v1.Resource> resources, Instant now) {
    List<TableColumns.Column> columns = new ArrayList<>(TableColumns.of(kind));
    columns.add(new TableColumns.Column("AGE", r -> Age.since(Resources.metadata(r).getCreateTime(), now)));
    List<List<String>> rows = new ArrayList<>();
    rows.add(columns.stream().map(TableColumns.Column::header).toList());
    for (var r : resources) {
      rows.add(columns.stream().map(c -> c.value().apply(r)).toList());
    }
    return align(rows);
  }

  public static String align(List<List<String>> rows) {
    int n = rows.get(0).size();
    int[] width = new int[n];
    for (List<String> row : rows) {
      for (int i = 0; i < n; i++) {
        width[i] = Math.max(width[i], row.get(i).length());
      }
    }
    StringBuilder out = new StringBuilder();
    for (List<String> row : rows) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < n; i++) {
        line.append(i == n - 1 ? row.get(i) : pad(row.get(i), width[i] + 3));
      }
      out.append(line.toString().stripTrailing()).append('\n');
    }
    return out.toString();
  }

  private static String pad(String s, int width) {
    return s + " ".repeat(width - s.length());
  }
}
