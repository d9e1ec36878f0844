package tenet.ops.cli;

import tenet.api.Resources;
import tenet.api.v1.Kind;
import com.google.gson.JsonObject;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.yaml.snakeyaml.error.YAMLException;
import tenet.api.v1.Metadata;
import tenet.api.v1.ObjectRef;
import tenet.api.v1.Resource;
import tenet.api.v1.Tenant;

/**
 * Reads a topology file: YAML documents, each declaring one tenant and its objects, or (without
 * {@code tenant:}) infrastructure chassis. A list item is the resource's proto JSON with name and
 * labels lifted out of metadata. Anything not understood is an error naming where it is: a
 * misspelt field silently dropped would be applied as its default.
 */
public final class TopologyParser {
  private static final String TENANT = "tenant";
  private static final String DESCRIPTION = "description";
  private static final String LABELS = "labels";
  private static final String NAME = "name";

  private final String source;
  private final Map<ObjectRef, String> declaredAt = new HashMap<>();
  private final List<Resource> resources = new ArrayList<>();

  private TopologyParser(String source) {
    this.source = source;
  }

  public static List<Resource> parse(Path file) {
    String text;
    try {
      text = Files.readString(file);
    } catch (NoSuchFileException e) {
      throw new UsageException(file + ": no such file");
    } catch (IOException e) {
      throw new UsageException(file + ": cannot read: " + e.getMessage());
    }
    return parse(file.toString(), text);
  }

  /** The declared resources in file order; {@code source} names the file in messages. */
  public static List<Resource> parse(String source, String text) {
    TopologyParser parser = new TopologyParser(source);
    int number = 0;
    try {
      for (Object document : YamlTrees.loader().loadAll(text)) {
        number++;
        if (document != null) {
          parser.document(number, document);
        }
      }
    } catch (YAMLException e) {
      throw new UsageException(source + ": " + e.getMessage());
    }
    return List.copyOf(parser.resources);
  }

  private void document(int number, Object document) {
    String where = "document " + number;
    if (!(document instanceof Map<?, ?> map)) {
      throw error(where, "expected a mapping with tenant: and lists of objects, not " + describe(document));
    }
    Map<String, ResourceKind> lists = new LinkedHashMap<>();
    for (ResourceKind kind : ResourceKind.values()) {
      kind.topologyList().ifPresent(key -> lists.put(key, kind));
    }
    for (Object key : map.keySet()) {
      String k = String.valueOf(key);
      if (!k.equals(TENANT) && !k.equals(DESCRIPTION) && !k.equals(LABELS) && !lists.containsKey(k)) {
        throw error(where, "unknown field \"" + k + "\"");
      }
    }
    String tenant = scalar(map.get(TENANT), where, TENANT);
    if (tenant == null || tenant.isEmpty()) {
      for (String k : List.of(DESCRIPTION, LABELS)) {
        if (map.containsKey(k)) {
          throw error(where, "\"" + k + "\" describes a tenant: add tenant: to this document");
        }
      }
    } else {
      Tenant.Builder t = Tenant.newBuilder()
          .setMetadata(Metadata.newBuilder().setTenant(tenant).setName(tenant)
              .putAllLabels(labels(map.get(LABELS), where)));
      Optional.ofNullable(scalar(map.get(DESCRIPTION), where, DESCRIPTION)).ifPresent(t::setDescription);
      add(Resources.wrap(Kind.TENANT, t.build()), where);
    }
    for (Map.Entry<?, ?> e : map.entrySet()) {
      ResourceKind kind = lists.get(String.valueOf(e.getKey()));
      if (kind != null) {
        list(kind, String.valueOf(e.getKey()), e.getValue(), where, tenant == null ? "" : tenant);
      }
    }
  }

  private void list(ResourceKind kind, String key, Object value, String where, String tenant) {
    if (value == null) {
      return;
    }
    if (kind.tenantScoped() && tenant.isEmpty()) {
      throw error(where + ", " + key, kind.cliName() + " objects belong to a tenant: add tenant: to this document");
    }
    if (!kind.tenantScoped() && !tenant.isEmpty()) {
      throw error(where + ", " + key,
          kind.cliName() + " objects are infrastructure: declare them in a document without tenant:");
    }
    if (!(value instanceof List<?> items)) {
      throw error(where, "\"" + key + "\" must be a list, not " + describe(value));
    }
    for (int i = 0; i < items.size(); i++) {
      item(kind, items.get(i), where + ", " + key + "[" + i + "]", tenant);
    }
  }

  private void item(ResourceKind kind, Object value, String where, String tenant) {
    if (!(value instanceof Map<?, ?> map)) {
      throw error(where, "expected a mapping of fields, not " + describe(value));
    }
    Descriptor type = kind.messageType();
    JsonObject body = new JsonObject();
    String name = null;
    Map<String, String> labels = Map.of();
    for (Map.Entry<?, ?> e : map.entrySet()) {
      String key = String.valueOf(e.getKey());
      if (key.equals(NAME)) {
        name = scalar(e.getValue(), where, NAME);
      } else if (key.equals(LABELS)) {
        labels = labels(e.getValue(), where);
      } else {
        FieldDescriptor field = ProtoFields.find(type, key)
            .filter(f -> !f.getName().equals("metadata"))
            .orElseThrow(() -> error(where, "unknown field \"" + key + "\""));
        field(field, e.getValue(), where);
        body.add(key, YamlTrees.toJson(e.getValue()));
      }
    }
    Message.Builder builder = kind.newPayloadBuilder();
    try {
      JsonFormat.parser().merge(body.toString(), builder);
    } catch (InvalidProtocolBufferException e) {
      throw error(where, e.getMessage());
    }
    if (kind == ResourceKind.PORT_BINDING && name == null) {
      // The store names a binding after its port; so does the file unless told otherwise.
      name = String.valueOf(builder.getField(type.findFieldByName("logical_port")));
    }
    if (name == null || name.isEmpty()) {
      throw error(where, "\"name\" is required");
    }
    builder.setField(type.findFieldByName("metadata"),
        Metadata.newBuilder().setTenant(tenant).setName(name).putAllLabels(labels).build());
    add(Resources.wrap(kind.kind(), builder.build()), where);
  }

  /** Checks the shape of one value against its field, recursing into messages. */
  private void field(FieldDescriptor field, Object value, String where) {
    String name = "\"" + field.getJsonName() + "\"";
    if (OutputOnlyFields.isOutputOnly(field)) {
      throw error(where, name + " is output only: the store assigns it");
    }
    if (value == null) {
      return;
    }
    if (field.isMapField()) {
      throw error(where, name + " cannot be declared in a topology file");
    }
    if (field.isRepeated()) {
      if (!(value instanceof List<?> list)) {
        throw error(where, name + " must be a list, not " + describe(value));
      }
      for (int i = 0; i < list.size(); i++) {
        element(field, list.get(i), where, field.getJsonName() + "[" + i + "]");
      }
    } else {
      element(field, value, where, field.getJsonName());
    }
  }

  private void element(FieldDescriptor field, Object value, String where, String path) {
    if (field.getJavaType() == FieldDescriptor.JavaType.MESSAGE) {
      if (!(value instanceof Map<?, ?> map)) {
        throw error(where, "\"" + path + "\" must be a mapping of fields, not " + describe(value));
      }
      String inner = where + "." + path;
      for (Map.Entry<?, ?> e : map.entrySet()) {
        String key = String.valueOf(e.getKey());
        FieldDescriptor f = ProtoFields.find(field.getMessageType(), key)
            .orElseThrow(() -> error(inner, "unknown field \"" + key + "\""));
        field(f, e.getValue(), inner);
      }
      return;
    }
    if (value instanceof Map<?, ?> || value instanceof List<?>) {
      throw error(where, "\"" + path + "\" must be a single value, not " + describe(value));
    }
    if (value != null) {
      ProtoFields.scalarProblem(field, String.valueOf(value)).ifPresent(p -> {
        throw error(where, p);
      });
    }
  }

  private Map<String, String> labels(Object value, String where) {
    if (value == null) {
      return Map.of();
    }
    if (!(value instanceof Map<?, ?> map)) {
      throw error(where, "\"labels\" must be a mapping of key: value, not " + describe(value));
    }
    Map<String, String> labels = new LinkedHashMap<>();
    for (Map.Entry<?, ?> e : map.entrySet()) {
      String key = String.valueOf(e.getKey());
      String v = scalar(e.getValue(), where, "labels." + key);
      labels.put(key, v == null ? "" : v);
    }
    return labels;
  }

  private String scalar(Object value, String where, String key) {
    if (value instanceof Map<?, ?> || value instanceof List<?>) {
      throw error(where, "\"" + key + "\" must be a single value, not " + describe(value));
    }
    return value == null ? null : String.valueOf(value);
  }

  private void add(Resource resource, String where) {
    ObjectRef ref = Resources.ref(resource);
    String earlier = declaredAt.putIfAbsent(ref, where);
    if (earlier != null) {
      throw error(where, ObjectRefs.describe(ref) + " is already declared (" + earlier + ")");
    }
    resources.add(resource);
  }

  private UsageException error(String where, String message) {
    return new UsageException(source + ": " + where + ": " + message);
  }

  private static String describe(Object value) {
    if (value instanceof Map<?, ?>) {
      return "a mapping";
    }
    if (value instanceof List<?>) {
      return "a list";
    }
    return value == null ? "nothing" : "\"" + value + "\"";
  }
}
