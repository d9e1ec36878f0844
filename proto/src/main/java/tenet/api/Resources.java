package tenet.api;

import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import tenet.api.v1.Kind;
import tenet.api.v1.ObjectRef;
import tenet.api.v1.Metadata;
import tenet.api.v1.Resource;

/**
 * Generic access to the {@link Resource} envelope, for the store and for clients alike. The oneof field numbers of Resource equal
 * the {@link Kind} numbers, so kind and payload map onto each other without a table.
 */
public final class Resources {
  private Resources() {}

  public static Kind kind(Resource resource) {
    return Kind.forNumber(resource.getKindCase().getNumber());
  }

  /** Kind-specific message inside the envelope; null when the envelope is empty. */
  public static Message payload(Resource resource) {
    FieldDescriptor field = payloadField(kind(resource));
    return field == null ? null : (Message) resource.getField(field);
  }

  public static Metadata metadata(Resource resource) {
    Message payload = payload(resource);
    return payload == null ? Metadata.getDefaultInstance()
        : (Metadata) payload.getField(metadataField(payload));
  }

  /** The object's identity as the API names it. */
  /** Metadata naming an object: its tenant and name (the store fills in the rest). */
  public static Metadata metadata(String tenant, String name) {
    return Metadata.newBuilder().setTenant(tenant).setName(name).build();
  }

  /** The transaction operation creating {@code resource}. */
  public static tenet.api.v1.TxnOp createOp(Resource resource) {
    return tenet.api.v1.TxnOp.newBuilder().setCreate(tenet.api.v1.CreateRequest.newBuilder().setResource(resource)).build();
  }

  public static ObjectRef ref(Resource resource) {
    Metadata m = metadata(resource);
    return ObjectRef.newBuilder().setKind(kind(resource)).setTenant(m.getTenant()).setName(m.getName()).build();
  }

  public static Resource withMetadata(Resource resource, Metadata metadata) {
    Message payload = payload(resource);
    Message updated = payload.toBuilder().setField(metadataField(payload), metadata).build();
    return wrap(kind(resource), updated);
  }

  public static Resource wrap(Kind kind, Message payload) {
    return Resource.newBuilder().setField(payloadField(kind), payload).build();
  }

  /** The snake_case name users see in field paths, e.g. "logical_switch_port". */
  public static String fieldName(Kind kind) {
    FieldDescriptor field = payloadField(kind);
    return field == null ? "resource" : field.getName();
  }

  private static FieldDescriptor payloadField(Kind kind) {
    if (kind == null || kind == Kind.KIND_UNSPECIFIED || kind == Kind.UNRECOGNIZED) {
      return null;
    }
    return Resource.getDescriptor().findFieldByNumber(kind.getNumber());
  }

  private static FieldDescriptor metadataField(Message payload) {
    return payload.getDescriptorForType().findFieldByName("metadata");
  }
}
