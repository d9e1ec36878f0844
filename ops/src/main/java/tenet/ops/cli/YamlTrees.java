package tenet.ops.cli;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageOrBuilder;
import com.google.protobuf.util.JsonFormat;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.representer.Representer;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * YAML in and out through proto JSON: YAML trees become Gson trees that JsonFormat reads, and
 * JsonFormat output becomes YAML, so no field is converted by hand.
 */
public final class YamlTrees {
  private YamlTrees() {}

  /**
   * A loader that reads every plain scalar as a string (only empty and null stay null), so the
   * proto schema decides types, not YAML 1.1 guessing: an unquoted MAC like 02:00:00:00:00:01
   * would otherwise become a base-60 integer, and "no" a boolean.
   */
  public static Yaml loader() {
    LoaderOptions options = new LoaderOptions();
    options.setAllowDuplicateKeys(false);
    Resolver stringsOnly = new Resolver() {
      @Override
      protected void addImplicitResolvers() {
        addImplicitResolver(Tag.NULL, NULL, "~nN\0", 10);
        addImplicitResolver(Tag.NULL, EMPTY, null, 10);
      }
    };
    DumperOptions dump = new DumperOptions();
    return new Yaml(new SafeConstructor(options), new Representer(dump), dump, options, stringsOnly);
  }

  /** The Gson tree of a loaded YAML value (maps, lists, scalars). */
  public static JsonElement toJson(Object yaml) {
    if (yaml == null) {
      return JsonNull.INSTANCE;
    }
    if (yaml instanceof Map<?, ?> map) {
      JsonObject o = new JsonObject();
      map.forEach((k, v) -> o.add(String.valueOf(k), toJson(v)));
      return o;
    }
    if (yaml instanceof List<?> list) {
      JsonArray a = new JsonArray();
      list.forEach(v -> a.add(toJson(v)));
      return a;
    }
    if (yaml instanceof Number n) {
      return new JsonPrimitive(n);
    }
    if (yaml instanceof Boolean b) {
      return new JsonPrimitive(b);
    }
    return new JsonPrimitive(String.valueOf(yaml));
  }

  /** Plain Java maps, lists and scalars of a Gson tree, for snakeyaml to dump. */
  public static Object fromJson(JsonElement json) {
    if (json == null || json.isJsonNull()) {
      return null;
    }
    if (json.isJsonObject()) {
      Map<String, Object> map = new LinkedHashMap<>();
      json.getAsJsonObject().entrySet().forEach(e -> map.put(e.getKey(), fromJson(e.getValue())));
      return map;
    }
    if (json.isJsonArray()) {
      List<Object> list = new ArrayList<>();
      json.getAsJsonArray().forEach(e -> list.add(fromJson(e)));
      return list;
    }
    JsonPrimitive p = json.getAsJsonPrimitive();
    if (p.isBoolean()) {
      return p.getAsBoolean();
    }
    if (p.isNumber()) {
      // Gson's lazily parsed numbers are not something snakeyaml knows how to write.
      BigDecimal d = p.getAsBigDecimal();
      return d.scale() <= 0 ? (Object) d.toBigIntegerExact() : (Object) d.doubleValue();
    }
    return p.getAsString();
  }

  public static JsonElement protoToJson(MessageOrBuilder message) {
    try {
      return JsonParser.parseString(JsonFormat.printer().print(message));
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("cannot print " + message.getDescriptorForType().getFullName(), e);
    }
  }

  /** Block-style YAML of a proto message, as `-o yaml` prints it. */
  public static String protoToYaml(MessageOrBuilder message) {
    return dump(fromJson(protoToJson(message)));
  }

  public static String dump(Object tree) {
    DumperOptions options = new DumperOptions();
    options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
    options.setIndicatorIndent(2);
    options.setIndentWithIndicator(true);
    return new Yaml(options).dump(tree);
  }
}
