package tenet.ops.cli;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Applies {@code --set} to a resource payload through its descriptor, so every field of every
 * kind is settable without a flag per field. Values become proto JSON for JsonFormat: repeated
 * scalars take a comma list, messages take JSON. A set field is replaced, never appended to.
 */
public final class FieldAssignments {
  private FieldAssignments() {}

  public static void apply(Message.Builder payload, List<FieldAssignment> assignments) {
    for (FieldAssignment a : assignments) {
      apply(payload, a);
    }
  }

  private static void apply(Message.Builder payload, FieldAssignment a) {
    String[] path = a.path().split("\\.", -1);
    Message.Builder builder = payload;
    for (int i = 0; i < path.length; i++) {
      FieldDescriptor field = field(builder.getDescriptorForType(), path[i], a);
      if (i == path.length - 1) {
        set(builder, field, a);
      } else if (field.getJavaType() == FieldDescriptor.JavaType.MESSAGE && !field.isRepeated()) {
        builder = builder.getFieldBuilder(field);
      } else {
        throw new UsageException("--set " + a.path() + ": \"" + path[i] + "\" has no fields of its own");
      }
    }
  }

  private static FieldDescriptor field(Descriptor type, String name, FieldAssignment a) {
    FieldDescriptor field = ProtoFields.find(type, name).orElseThrow(() -> new UsageException(
        "--set " + a.path() + ": unknown field \"" + name + "\"; " + type.getName() + " has " + settable(type)));
    if (field.getName().equals("metadata")) {
      throw new UsageException("--set " + a.path() + ": the name is the argument, and tenant and labels have"
          + " their own options (--tenant, --label)");
    }
    if (OutputOnlyFields.isOutputOnly(field)) {
      throw new UsageException("--set " + a.path() + ": \"" + field.getJsonName() + "\" is output only: the store assigns it");
    }
    return field;
  }

  private static void set(Message.Builder builder, FieldDescriptor field, FieldAssignment a) {
    JsonObject json = new JsonObject();
    json.add(field.getJsonName(), value(field, a));
    builder.clearField(field);
    try {
      JsonFormat.parser().merge(json.toString(), builder);
    } catch (InvalidProtocolBufferException e) {
      throw new UsageException("--set " + a + ": " + e.getMessage());
    }
  }

  private static JsonElement value(FieldDescriptor field, FieldAssignment a) {
    String text = a.value();
    boolean message = field.getJavaType() == FieldDescriptor.JavaType.MESSAGE;
    if (field.isMapField()) {
      throw new UsageException("--set " + a.path() + ": map fields cannot be set this way");
    }
    if (message) {
      JsonElement json = json(a, field.isRepeated()
          ? "a JSON list of objects, e.g. '[{\"direction\":\"INGRESS\",\"action\":\"ALLOW\"}]'"
          : "a JSON object, or set its fields one by one as " + a.path() + ".<field>=value");
      if (field.isRepeated() && json.isJsonObject()) {
        JsonArray one = new JsonArray();
        one.add(json);
        return one;
      }
      return json;
    }
    if (!field.isRepeated()) {
      check(field, text, a);
      return new JsonPrimitive(text);
    }
    if (text.trim().startsWith("[")) {
      return json(a, "a JSON list");
    }
    JsonArray list = new JsonArray();
    if (!text.isBlank()) {
      for (String item : text.split(",", -1)) {
        check(field, item.trim(), a);
        list.add(item.trim());
      }
    }
    return list;
  }

  /** Only a list or an object: Gson would otherwise read a bare word as a string. */
  private static JsonElement json(FieldAssignment a, String expected) {
    JsonElement json;
    try {
      json = JsonParser.parseString(a.value());
    } catch (JsonParseException e) {
      json = null;
    }
    if (json == null || !(json.isJsonArray() || json.isJsonObject())) {
      throw new UsageException("--set " + a.path() + ": expected " + expected);
    }
    return json;
  }

  private static void check(FieldDescriptor field, String text, FieldAssignment a) {
    ProtoFields.scalarProblem(field, text).ifPresent(p -> {
      throw new UsageException("--set " + a.path() + ": " + p);
    });
  }

  private static String settable(Descriptor type) {
    return type.getFields().stream()
        .filter(f -> !f.getName().equals("metadata") && !OutputOnlyFields.isOutputOnly(f))
        .map(FieldDescriptor::getJsonName)
        .collect(Collectors.joining(", "));
  }
}
