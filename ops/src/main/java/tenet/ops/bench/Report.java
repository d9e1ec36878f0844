package tenet.ops.bench;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** The aligned tables, then, as the last line, one JSON object with every figure. */
final class Report {
  private final String mode;
  private final List<LoadDriver.Row> rows = new ArrayList<>();
  private final List<Failover.Result> failovers = new ArrayList<>();

  Report(String mode) {
    this.mode = mode;
  }

  synchronized void add(LoadDriver.Row row) {
    rows.add(row);
  }

  synchronized void add(Failover.Result result) {
    failovers.add(result);
  }

  private Optional<LoadDriver.Row> row(String system, int nodes, int clients) {
    return rows.stream().filter(r -> r.system().equals(system) && r.nodes() == nodes && r.clients() == clients).findFirst();
  }

  private Optional<Failover.Result> failover(String system) {
    return failovers.stream().filter(f -> f.system().equals(system)).findFirst();
  }

  synchronized void print(PrintStream out) {
    out.println(String.format(Locale.ROOT, "%-6s %5s %7s %10s %8s %8s %7s %13s %13s", "system", "nodes", "clients", "writes/s", "p50 ms", "p99 ms", "errors",
        "srv cpu us/w", "cli cpu us/w"));
    for (LoadDriver.Row r : rows) {
      out.println(String.format(Locale.ROOT, "%-6s %5d %7d %10.0f %8.2f %8.2f %7d %13.0f %13.0f",
          r.system(), r.nodes(), r.clients(), r.writesPerSecond(), r.p50Ms(), r.p99Ms(), r.errors(),
          r.serverCpuUsPerWrite(), r.clientCpuUsPerWrite()));
    }
    out.println();
    out.println(String.format(Locale.ROOT, "%-8s %5s %6s %9s %8s  %s", "failover", "nodes", "trials", "median ms", "max ms", "each trial, ms (kill -9 of the leader -> next acknowledged write)"));
    for (Failover.Result f : failovers) {
      StringBuilder each = new StringBuilder();
      for (double t : f.trialsMs()) {
        each.append(each.isEmpty() ? "" : " ").append(String.format(Locale.ROOT, "%.0f", t));
      }
      out.println(String.format(Locale.ROOT, "%-8s %5d %6d %9.0f %8.0f  %s%s", f.system(), f.nodes(), f.trialsMs().length,
          f.medianMs(), f.maxMs(), each, f.error() == null ? "" : "  (stopped: " + f.error().replace('\n', ' ') + ")"));
    }
    out.println();
    out.println(String.format(Locale.ROOT, "%-8s %5s %6s %9s %8s  %s", "rejoin", "nodes", "trials", "median ms", "max ms",
        "each trial, ms (restart of the killed node -> it answers naming a leader / has caught up)"));
    for (Failover.Result f : failovers) {
      double[] serving = f.rejoinMs();
      double[] caughtUp = f.caughtUpMs();
      StringBuilder each = new StringBuilder();
      for (int i = 0; i < serving.length; i++) {
        each.append(each.isEmpty() ? "" : " ").append(String.format(Locale.ROOT, "%.0f/%.0f", serving[i], caughtUp[i]));
      }
      out.println(String.format(Locale.ROOT, "%-8s %5d %6d %9.0f %8.0f  %s", f.system(), f.nodes(), serving.length,
          Failover.Result.median(serving), Arrays.stream(serving).max().orElse(Double.NaN), each));
    }
    out.println();
    out.println(json());
  }

  private static String numbers(double[] values) {
    List<String> each = new ArrayList<>();
    for (double v : values) {
      each.add(Json.number(v));
    }
    return "[" + String.join(",", each) + "]";
  }

  private String json() {
    Json j = new Json();
    j.field("mode", mode);
    double tenet = row("tenet", 3, 64).map(LoadDriver.Row::writesPerSecond).orElse(Double.NaN);
    double etcd = row("etcd", 3, 64).map(LoadDriver.Row::writesPerSecond).orElse(Double.NaN);
    j.field("tenet_writes_per_s", tenet);
    j.field("etcd_writes_per_s", etcd);
    j.field("ratio", tenet / etcd);
    j.field("p50_ms", row("tenet", 3, 64).map(LoadDriver.Row::p50Ms).orElse(Double.NaN));
    j.field("p99_ms", row("tenet", 3, 64).map(LoadDriver.Row::p99Ms).orElse(Double.NaN));
    j.field("failover_ms_median", failover("tenet").map(Failover.Result::medianMs).orElse(Double.NaN));
    j.field("failover_ms_max", failover("tenet").map(Failover.Result::maxMs).orElse(Double.NaN));
    j.field("etcd_failover_ms_median", failover("etcd").map(Failover.Result::medianMs).orElse(Double.NaN));
    j.field("etcd_failover_ms_max", failover("etcd").map(Failover.Result::maxMs).orElse(Double.NaN));
    j.field("rejoin_ms_median", failover("tenet").map(f -> Failover.Result.median(f.rejoinMs())).orElse(Double.NaN));
    j.field("rejoin_ms_max", failover("tenet").map(f -> Arrays.stream(f.rejoinMs()).max().orElse(Double.NaN))
        .orElse(Double.NaN));
    j.field("etcd_rejoin_ms_median", failover("etcd").map(f -> Failover.Result.median(f.rejoinMs())).orElse(Double.NaN));
    j.field("cores", Runtime.getRuntime().availableProcessors());
    j.field("java", System.getProperty("java.vm.vendor") + " " + System.getProperty("java.runtime.version"));
    List<String> rowJson = new ArrayList<>();
    for (LoadDriver.Row r : rows) {
      Json o = new Json();
      o.field("system", r.system());
      o.field("nodes", r.nodes());
      o.field("clients", r.clients());
      o.field("writes", r.writes());
      o.field("errors", r.errors());
      o.field("seconds", r.seconds());
      o.field("writes_per_s", r.writesPerSecond());
      o.field("p50_ms", r.p50Ms());
      o.field("p99_ms", r.p99Ms());
      o.field("server_cpu_us_per_write", r.serverCpuUsPerWrite());
      o.field("client_cpu_us_per_write", r.clientCpuUsPerWrite());
      if (r.firstError() != null) {
        o.field("first_error", r.firstError());
      }
      rowJson.add(o.toString());
    }
    j.raw("rows", "[" + String.join(",", rowJson) + "]");
    List<String> foJson = new ArrayList<>();
    for (Failover.Result f : failovers) {
      Json o = new Json();
      o.field("system", f.system());
      o.field("nodes", f.nodes());
      o.field("trials", f.trialsMs().length);
      o.field("median_ms", f.medianMs());
      o.field("max_ms", f.maxMs());
      List<String> each = new ArrayList<>();
      for (double t : f.trialsMs()) {
        each.add(Json.number(t));
      }
      o.raw("trials_ms", "[" + String.join(",", each) + "]");
      o.raw("rejoin_ms", numbers(f.rejoinMs()));
      o.raw("caught_up_ms", numbers(f.caughtUpMs()));
      if (f.error() != null) {
        o.field("error", f.error());
      }
      foJson.add(o.toString());
    }
    j.raw("failover", "[" + String.join(",", foJson) + "]");
    return j.toString();
  }
}
