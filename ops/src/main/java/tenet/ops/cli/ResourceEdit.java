package tenet.ops.cli;

import tenet.api.Resources;
import com.google.protobuf.Message;
import java.util.List;
import tenet.api.v1.Metadata;
import tenet.api.v1.ObjectRef;
import tenet.api.v1.Resource;

/** What `create` and `update` change: --set fields and --label changes. */
public record ResourceEdit(List<FieldAssignment> sets, LabelChanges labels) {
  public ResourceEdit {
    sets = List.copyOf(sets);
  }

  public static ResourceEdit parse(List<String> sets, List<String> labels) {
    return new ResourceEdit(
        sets == null ? List.of() : sets.stream().map(FieldAssignment::parse).toList(),
        LabelChanges.parse(labels));
  }

  public boolean isEmpty() {
    return sets.isEmpty() && labels.isEmpty();
  }

  /** A new object named by {@code ref}, with the edit applied. */
  public Resource create(ObjectRef ref) {
    if (!labels.remove().isEmpty()) {
      throw new UsageException("--label " + labels.remove().iterator().next()
          + "-: a new object has no labels to remove");
    }
    ResourceKind kind = ResourceKind.of(ref.getKind());
    Message.Builder payload = kind.newPayloadBuilder();
    payload.setField(payload.getDescriptorForType().findFieldByName("metadata"),
        Metadata.newBuilder().setTenant(ref.getTenant()).setName(ref.getName()).build());
    if (kind == ResourceKind.PORT_BINDING) {
      // A binding is named after the port it binds, so the name says which port unless --set says.
      payload.setField(payload.getDescriptorForType().findFieldByName("logical_port"), ref.getName());
    }
    return applyTo(Resources.wrap(kind.kind(), payload.build()));
  }

  public Resource applyTo(Resource current) {
    Message.Builder payload = Resources.payload(current).toBuilder();
    FieldAssignments.apply(payload, sets);
    Resource edited = Resources.wrap(Resources.kind(current), payload.build());
    Metadata m = Resources.metadata(edited);
    return Resources.withMetadata(edited, m.toBuilder()
        .clearLabels().putAllLabels(labels.applyTo(m.getLabelsMap())).build());
  }
}
