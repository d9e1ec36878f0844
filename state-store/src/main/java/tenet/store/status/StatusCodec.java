package tenet.store.status;

import com.google.protobuf.Any;
import com.google.rpc.BadRequest;
import com.google.rpc.Code;
import com.google.rpc.ErrorInfo;
import com.google.rpc.PreconditionFailure;
import com.google.rpc.ResourceInfo;
import com.google.rpc.Status;
import tenet.store.core.StoreError;
import tenet.store.core.Violation;
import tenet.store.model.ResourceKey;

/**
 * Store errors as {@code google.rpc.Status} with the standard detail messages, the form they
 * take on the wire to clients and inside Ratis replies.
 */
public final class StatusCodec {
  public static final String DOMAIN = "tenet.dev";

  private StatusCodec() {}

  public static Status toStatus(StoreError error) {
    Status.Builder s = Status.newBuilder().setMessage(error.message());
    switch (error) {
      case StoreError.InvalidArgument e -> {
        BadRequest.Builder bad = BadRequest.newBuilder();
        for (Violation v : e.violations()) {
          bad.addFieldViolations(BadRequest.FieldViolation.newBuilder()
              .setField(v.field()).setDescription(v.description()));
        }
        s.setCode(Code.INVALID_ARGUMENT_VALUE).addDetails(Any.pack(bad.build()));
      }
      case StoreError.NotFound e -> s.setCode(Code.NOT_FOUND_VALUE).addDetails(Any.pack(info(e.key(), e.context())));
      case StoreError.AlreadyExists e -> s.setCode(Code.ALREADY_EXISTS_VALUE).addDetails(Any.pack(info(e.key(), "")));
      case StoreError.FailedPrecondition e -> s.setCode(Code.FAILED_PRECONDITION_VALUE)
          .addDetails(Any.pack(PreconditionFailure.newBuilder().addViolations(PreconditionFailure.Violation.newBuilder()
              .setType(e.type()).setSubject(e.subject()).setDescription(e.description())).build()));
      case StoreError.RevisionConflict e -> s.setCode(Code.ABORTED_VALUE)
          .addDetails(Any.pack(ErrorInfo.newBuilder().setReason("REVISION_CONFLICT").setDomain(DOMAIN)
              .putMetadata("object", e.key().toString())
              .putMetadata("expected_revision", Long.toString(e.expected()))
              .putMetadata("actual_revision", Long.toString(e.actual())).build()))
          .addDetails(Any.pack(info(e.key(), "")));
      case StoreError.Compacted e -> s.setCode(Code.OUT_OF_RANGE_VALUE)
          .addDetails(Any.pack(ErrorInfo.newBuilder().setReason("COMPACTED").setDomain(DOMAIN)
              .putMetadata("requested_revision", Long.toString(e.requested()))
              .putMetadata("oldest_revision", Long.toString(e.oldestKept())).build()));
    }
    return s.build();
  }

  private static ResourceInfo info(ResourceKey key, String description) {
    return ResourceInfo.newBuilder()
        .setResourceType(key.kind().name().toLowerCase(java.util.Locale.ROOT))
        .setResourceName(key.tenant().isEmpty() || key.kind() == tenet.api.v1.Kind.TENANT
            ? key.name() : key.tenant() + "/" + key.name())
        .setOwner(key.tenant())
        .setDescription(description)
        .build();
  }
}
