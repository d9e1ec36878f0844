package tenet.ops.cli;

import tenet.api.Resources;
import com.google.gson.JsonObject;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageOrBuilder;
import com.google.protobuf.util.JsonFormat;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.List;
import tenet.api.v1.Event;
import tenet.api.v1.ListResponse;
import tenet.api.v1.Resource;

/** Writes results in the chosen output format; json and yaml are the proto JSON mapping. */
public final class Printer {
  private final PrintWriter out;
  private final OutputFormat format;

  public Printer(PrintWriter out, OutputFormat format) {
    this.out = out;
    this.format = format;
  }

  public OutputFormat format() {
    return format;
  }

  public void resource(Resource resource) {
    switch (format) {
      case TABLE -> out.print(TableRenderer.render(ResourceKind.of(resource), List.of(resource), Instant.now()));
      case JSON, YAML -> message(resource);
    }
    out.flush();
  }

  /** A table of the items; json and yaml keep the list's revision, which a watch follows on from. */
  public void list(ResourceKind kind, ListResponse list) {
    switch (format) {
      case TABLE -> out.print(TableRenderer.render(kind, list.getItemsList(), Instant.now()));
      case JSON, YAML -> message(list);
    }
    out.flush();
  }

  /**
   * After a write: a line saying what happened for people; the resulting message ({@code result})
   * for scripts.
   */
  public void changed(String line, MessageOrBuilder result) {
    switch (format) {
      case TABLE -> out.println(line);
      case JSON, YAML -> message(result);
    }
    out.flush();
  }

  /** One watch event: a line, a compact JSON line, or a YAML document. */
  public void event(long revision, Event event) {
    Resource r = event.getResource();
    switch (format) {
      case TABLE -> out.println(eventLine(revision, event));
      case JSON -> {
        JsonObject line = new JsonObject();
        line.addProperty("revision", revision);
        line.addProperty("type", event.getType().name());
        line.add("resource", YamlTrees.protoToJson(r));
        out.println(line);
      }
      case YAML -> {
        JsonObject doc = new JsonObject();
        doc.addProperty("revision", revision);
        doc.addProperty("type", event.getType().name());
        doc.add("resource", YamlTrees.protoToJson(r));
        out.print("---\n" + YamlTrees.dump(YamlTrees.fromJson(doc)));
      }
    }
    out.flush();
  }

  public void line(String text) {
    out.println(text);
    out.flush();
  }

  private void message(MessageOrBuilder message) {
    if (format == OutputFormat.YAML) {
      out.print(YamlTrees.protoToYaml(message));
      return;
    }
    try {
      out.println(JsonFormat.printer().print(message));
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("cannot print " + message.getDescriptorForType().getFullName(), e);
    }
  }

  /** "12       PUT    logical-switch      acme/web": fixed widths, since a watch never ends to align by. */
  static String eventLine(long revision, Event event) {
    Resource r = event.getResource();
    return String.format("%-8d %-6s %-19s %s", revision, event.getType().name(),
        ResourceKind.of(r).cliName(), ObjectRefs.path(Resources.ref(r)));
  }
}
