package tenet.ops.cli;

import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import tenet.api.v1.Metadata;
import tenet.api.v1.ObjectRef;
import tenet.api.v1.Resource;

/** Generic access to the {@link Resource} oneof, so commands need no switch over kinds. */
public final class Envelope {
  private Envelope() {}

  public static Message payload(Resource resource) {
    return (Message) resource.getField(ResourceKind.of(resource).envelopeField());
  }

  public static Metadata metadata(Resource resource) {
    Message payload = payload(resource);
    return (Metadata) payload.getField(metadataField(payload));
  }

  public static Resource wrap(ResourceKind kind, Message payload) {
    return Resource.newBuilder().setField(kind.envelopeField(), payload).build();
  }

  public static Resource withMetadata(Resource resource, Metadata metadata) {
    Message payload = payload(resource);
    return wrap(ResourceKind.of(resource), payload.toBuilder().setField(metadataField(payload), metadata).build());
  }

  public static ObjectRef ref(Resource resource) {
    Metadata m = metadata(resource);
    return ObjectRef.newBuilder()
        .setKind(ResourceKind.of(resource).kind())
        .setTenant(m.getTenant())
        .setName(m.getName())
        .build();
  }

  static FieldDescriptor metadataField(Message payload) {
    return payload.getDescriptorForType().findFieldByName("metadata");
  }
}
