package tenet.ops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Any;
import com.google.rpc.BadRequest;
import com.google.rpc.Code;
import com.google.rpc.ErrorInfo;
import com.google.rpc.PreconditionFailure;
import com.google.rpc.ResourceInfo;
import com.google.rpc.Status;
import io.grpc.protobuf.StatusProto;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import tenet.api.v1.Kind;
import tenet.api.v1.ObjectRef;

class ApiErrorsTest {
  private static final String SERVER = "10.1.2.3:7400";

  private static String render(Status status) {
    return ApiErrors.render(status, SERVER, UnaryOperator.identity());
  }

  @Test
  void invalidArgumentListsEachFieldViolation() {
    Status s = Status.newBuilder().setCode(Code.INVALID_ARGUMENT_VALUE).setMessage("2 invalid fields")
        .addDetails(Any.pack(BadRequest.newBuilder()
            .addFieldViolations(BadRequest.FieldViolation.newBuilder()
                .setField("logical_switch.subnets[0]").setDescription("'10.0.0.0/33' is not a prefix"))
            .addFieldViolations(BadRequest.FieldViolation.newBuilder()
                .setField("logical_switch.mtu").setDescription("must be 0 (default 1500) or 576 to 9000, got 10"))
            .build()))
        .build();

    assertThat(render(s)).isEqualTo("""
        invalid request, nothing was changed:
          logical_switch.subnets[0]: '10.0.0.0/33' is not a prefix
          logical_switch.mtu: must be 0 (default 1500) or 576 to 9000, got 10""");
  }

  @Test
  void transactionFieldsNameTheirObjects() {
    Status s = Status.newBuilder().setCode(Code.INVALID_ARGUMENT_VALUE)
        .addDetails(Any.pack(BadRequest.newBuilder()
            .addFieldViolations(BadRequest.FieldViolation.newBuilder()
                .setField("ops[1].logical_switch_port.mac").setDescription("is required"))
            .addFieldViolations(BadRequest.FieldViolation.newBuilder()
                .setField("ops[0]").setDescription("touches it twice"))
            .build()))
        .build();
    var rejected = new TxnRejected(StatusProto.toStatusRuntimeException(s), List.of(
        ObjectRef.newBuilder().setKind(Kind.TENANT).setTenant("acme").setName("acme").build(),
        ObjectRef.newBuilder().setKind(Kind.LOGICAL_SWITCH_PORT).setTenant("acme").setName("web-1").build()));

    assertThat(ApiErrors.render(ApiErrors.status(rejected.status()), SERVER, rejected.fieldNames())).isEqualTo("""
        invalid request, nothing was changed:
          logical-switch-port acme/web-1: logical_switch_port.mac: is required
          tenant acme: touches it twice""");
  }

  @Test
  void notFoundNamesTheObject() {
    Status s = Status.newBuilder().setCode(Code.NOT_FOUND_VALUE).setMessage("logical_switch acme/web does not exist")
        .addDetails(Any.pack(ResourceInfo.newBuilder().setResourceType("logical_switch").setResourceName("acme/web")
            .setOwner("acme").build()))
        .build();
    assertThat(render(s)).isEqualTo("logical-switch acme/web does not exist (check the name and --tenant)");
  }

  @Test
  void notFoundReferenceSaysWhoWantedIt() {
    Status s = Status.newBuilder().setCode(Code.NOT_FOUND_VALUE)
        .addDetails(Any.pack(ResourceInfo.newBuilder().setResourceType("logical_switch").setResourceName("acme/web")
            .setDescription("logical_switch_port acme/p1 refers to logical_switch acme/web (logical_switch),"
                + " which does not exist").build()))
        .build();
    assertThat(render(s)).isEqualTo("logical-switch-port acme/p1 refers to logical-switch acme/web"
        + " (logical_switch), which does not exist");
  }

  @Test
  void alreadyExists() {
    Status s = Status.newBuilder().setCode(Code.ALREADY_EXISTS_VALUE)
        .addDetails(Any.pack(ResourceInfo.newBuilder().setResourceType("chassis").setResourceName("hv1").build()))
        .build();
    assertThat(render(s)).isEqualTo("chassis hv1 already exists: change it with `tenetctl update` or `tenetctl apply`");
  }

  @Test
  void failedPreconditionGivesSubjectAndDescription() {
    Status s = Status.newBuilder().setCode(Code.FAILED_PRECONDITION_VALUE)
        .addDetails(Any.pack(PreconditionFailure.newBuilder().addViolations(PreconditionFailure.Violation.newBuilder()
            .setType("REFERENCED").setSubject("logical_switch acme/web")
            .setDescription("cannot delete logical_switch acme/web: logical_switch_port acme/p1 still refers to it"))
            .build()))
        .build();
    assertThat(render(s)).isEqualTo("refused: logical-switch acme/web: cannot delete logical-switch acme/web:"
        + " logical-switch-port acme/p1 still refers to it");
  }

  @Test
  void abortedIsARevisionConflict() {
    Status s = Status.newBuilder().setCode(Code.ABORTED_VALUE)
        .addDetails(Any.pack(ErrorInfo.newBuilder().setReason("REVISION_CONFLICT").setDomain("tenet.dev")
            .putMetadata("object", "logical_switch acme/web")
            .putMetadata("expected_revision", "5").putMetadata("actual_revision", "8").build()))
        .build();
    assertThat(render(s)).isEqualTo("revision conflict: logical-switch acme/web is at revision 8, not the expected 5:"
        + " someone changed it; read it again and retry");
  }

  @Test
  void compactedWatchSaysToRelist() {
    Status s = Status.newBuilder().setCode(Code.OUT_OF_RANGE_VALUE)
        .addDetails(Any.pack(ErrorInfo.newBuilder().setReason("COMPACTED")
            .putMetadata("requested_revision", "3").putMetadata("oldest_revision", "120").build()))
        .build();
    assertThat(render(s)).isEqualTo("""
        revision 3 is no longer kept (the oldest kept is 120).
        List again (`tenetctl list <kind> -o yaml` shows the revision it read at), then watch with\
         --from-revision <that revision + 1>.""");
  }

  @Test
  void unavailableNamesTheServer() {
    var e = io.grpc.Status.UNAVAILABLE.withDescription("io exception")
        .withCause(new java.net.ConnectException("Connection refused")).asRuntimeException();
    assertThat(ApiErrors.render(e, SERVER)).isEqualTo(
        "cannot reach the server at 10.1.2.3:7400 (is the controller running?): io exception (Connection refused)");
  }

  @Test
  void withoutDetailsTheMessageStillComesThrough() {
    assertThat(render(Status.newBuilder().setCode(Code.INVALID_ARGUMENT_VALUE).setMessage("bad").build()))
        .isEqualTo("invalid request: bad");
    assertThat(render(Status.newBuilder().setCode(Code.ABORTED_VALUE).setMessage("try again").build()))
        .isEqualTo("revision conflict: try again");
    assertThat(render(Status.newBuilder().setCode(Code.INTERNAL_VALUE).setMessage("boom").build()))
        .isEqualTo("internal from 10.1.2.3:7400: boom");
    assertThat(ApiErrors.render(io.grpc.Status.DEADLINE_EXCEEDED.asRuntimeException(), SERVER))
        .startsWith("no answer from 10.1.2.3:7400 in time (raise --timeout?)");
  }
}
