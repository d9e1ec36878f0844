package tenet.ops.cli;

import tenet.api.Resources;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import tenet.api.v1.Metadata;
import tenet.api.v1.ObjectRef;
import tenet.api.v1.Resource;

/**
 * Declared objects against stored ones: create what is missing, update what differs, leave the
 * rest. Pure: the reader is the only way it sees the store, so it runs against a map in tests and
 * against linearizable Gets in `apply`. A declared object is the whole desired object: a field
 * or label it leaves out is desired at its default. Never plans a delete.
 */
public final class ApplyPlanner {
  private ApplyPlanner() {}

  public static ApplyPlan plan(List<Resource> declared, Function<ObjectRef, Optional<Resource>> reader) {
    // Kind numbers run from what is referred to towards what refers (switch before port,
    // chassis before binding): a natural order for the transaction and for reading the result.
    List<Resource> ordered = declared.stream()
        .sorted(Comparator.comparingInt(r -> ResourceKind.of(r).kind().getNumber()))
        .toList();
    List<ApplyPlan.Step> steps = new ArrayList<>();
    for (Resource want : ordered) {
      ObjectRef ref = Resources.ref(want);
      Optional<Resource> stored = reader.apply(ref);
      if (stored.isEmpty()) {
        steps.add(new ApplyPlan.Step(ref, ApplyPlan.Action.CREATE, want, 0, List.of()));
        continue;
      }
      Resource have = stored.get();
      List<String> changed = differences(OutputOnlyFields.strip(want), OutputOnlyFields.strip(have));
      long revision = Resources.metadata(have).getRevision();
      steps.add(changed.isEmpty()
          ? new ApplyPlan.Step(ref, ApplyPlan.Action.UNCHANGED, have, revision, List.of())
          : new ApplyPlan.Step(ref, ApplyPlan.Action.UPDATE, updated(want, have), revision, changed));
    }
    return new ApplyPlan(steps);
  }

  /**
   * JSON names of the payload fields that differ, then "labels" if they do. Of metadata only
   * labels can differ: tenant and name are the identity, the rest is output only.
   */
  static List<String> differences(Resource want, Resource have) {
    Message a = Resources.payload(want);
    Message b = Resources.payload(have);
    List<String> changed = new ArrayList<>();
    for (FieldDescriptor f : a.getDescriptorForType().getFields()) {
      if (!f.getName().equals("metadata") && !a.getField(f).equals(b.getField(f))) {
        changed.add(f.getJsonName());
      }
    }
    if (!Resources.metadata(want).getLabelsMap().equals(Resources.metadata(have).getLabelsMap())) {
      changed.add("labels");
    }
    return changed;
  }

  /**
   * The declared object carrying the stored metadata and store-assigned keys, so the update
   * sends back what the store owns unchanged and only the declared part differs.
   */
  private static Resource updated(Resource want, Resource have) {
    Message.Builder payload = Resources.payload(want).toBuilder();
    Message stored = Resources.payload(have);
    for (FieldDescriptor f : stored.getDescriptorForType().getFields()) {
      if (OutputOnlyFields.isOutputOnly(f)) {
        payload.setField(f, stored.getField(f));
      }
    }
    Metadata metadata = Resources.metadata(have).toBuilder()
        .clearLabels().putAllLabels(Resources.metadata(want).getLabelsMap())
        .build();
    return Resources.withMetadata(Resources.wrap(Resources.kind(want), payload.build()), metadata);
  }
}
