package tenet.ops.cli;

import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import java.util.Map;
import java.util.Set;
import tenet.api.v1.Resource;

/**
 * Fields the store fills in. A user never declares them, and comparing declared with stored
 * state must look past them. The protos mark them only in comments, hence the list.
 */
public final class OutputOnlyFields {
  private static final Set<String> NAMES = Set.of(
      "tenet.v1.Metadata.id",
      "tenet.v1.Metadata.revision",
      "tenet.v1.Metadata.create_revision",
      "tenet.v1.Metadata.create_time",
      "tenet.v1.Metadata.update_time",
      "tenet.v1.LogicalSwitch.tunnel_key",
      "tenet.v1.LogicalSwitchPort.port_key",
      "tenet.v1.LogicalRouter.tunnel_key",
      "tenet.v1.LogicalRouterPort.port_key",
      "tenet.v1.LogicalRouterPort.switch_port_key");

  private OutputOnlyFields() {}

  public static boolean isOutputOnly(FieldDescriptor field) {
    return NAMES.contains(field.getFullName());
  }

  /** The resource with every output-only field cleared, in the payload and its metadata. */
  public static Resource strip(Resource resource) {
    return (Resource) strip((Message) resource);
  }

  private static Message strip(Message message) {
    Message.Builder b = message.toBuilder();
    for (Map.Entry<FieldDescriptor, Object> e : message.getAllFields().entrySet()) {
      FieldDescriptor f = e.getKey();
      if (isOutputOnly(f)) {
        b.clearField(f);
      } else if (f.getJavaType() == FieldDescriptor.JavaType.MESSAGE && !f.isRepeated()) {
        b.setField(f, strip((Message) e.getValue()));
      }
    }
    return b.build();
  }
}
