package tenet.ops.cli;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.rpc.BadRequest;
import com.google.rpc.Code;
import com.google.rpc.ErrorInfo;
import com.google.rpc.PreconditionFailure;
import com.google.rpc.ResourceInfo;
import com.google.rpc.Status;
import io.grpc.protobuf.StatusProto;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Turns a failed call into what the user should fix, from the google.rpc details the server
 * attaches (see northbound.proto). Falls back to the status message when details are missing,
 * so an older or foreign server still gives a readable line.
 */
public final class ApiErrors {
  private ApiErrors() {}

  public static String render(Throwable failure, String server) {
    return render(status(failure), server, UnaryOperator.identity());
  }

  /**
   * The rich status of a failure (one built from the plain gRPC status when the server sent no
   * details). Client-side failures ("io exception") keep the useful part, e.g. "Connection
   * refused", in the cause, so that is added to the message.
   */
  public static Status status(Throwable failure) {
    io.grpc.Status plain = io.grpc.Status.fromThrowable(failure);
    Status rich = StatusProto.fromThrowable(failure);
    Status.Builder status = rich != null ? rich.toBuilder() : Status.newBuilder()
        .setCode(plain.getCode().value())
        .setMessage(plain.getDescription() == null ? "" : plain.getDescription());
    Throwable cause = plain.getCause();
    while (cause != null && cause.getCause() != null) {
      cause = cause.getCause();
    }
    if (cause != null && cause.getMessage() != null && !status.getMessage().contains(cause.getMessage())) {
      status.setMessage(status.getMessage().isEmpty() ? cause.getMessage()
          : status.getMessage() + " (" + cause.getMessage() + ")");
    }
    return status.build();
  }

  /**
   * {@code fieldName} rewrites BadRequest field paths, e.g. a transaction's "ops[3].mac" into the
   * object that op was for.
   */
  public static String render(Status status, String server, UnaryOperator<String> fieldName) {
    String message = status.getMessage();
    Code code = Optional.ofNullable(Code.forNumber(status.getCode())).orElse(Code.UNKNOWN);
    List<String> lines = new ArrayList<>();
    switch (code) {
      case INVALID_ARGUMENT -> {
        Optional<BadRequest> bad = detail(status, BadRequest.class);
        if (bad.isEmpty() || bad.get().getFieldViolationsCount() == 0) {
          lines.add("invalid request: " + message);
        } else {
          lines.add("invalid request, nothing was changed:");
          for (BadRequest.FieldViolation v : bad.get().getFieldViolationsList()) {
            lines.add("  " + fieldName.apply(v.getField()) + ": " + v.getDescription());
          }
        }
      }
      case NOT_FOUND -> lines.add(detail(status, ResourceInfo.class)
          .map(info -> info.getDescription().isEmpty()
              ? object(info) + " does not exist (check the name and --tenant)"
              : kindNames(info.getDescription()))
          .orElse("not found: " + message));
      case ALREADY_EXISTS -> lines.add(detail(status, ResourceInfo.class)
          .map(info -> object(info) + " already exists: change it with `tenetctl update` or `tenetctl apply`")
          .orElse("already exists: " + message));
      case FAILED_PRECONDITION -> {
        Optional<PreconditionFailure> failure = detail(status, PreconditionFailure.class);
        if (failure.isEmpty() || failure.get().getViolationsCount() == 0) {
          lines.add("refused: " + message);
        } else {
          for (PreconditionFailure.Violation v : failure.get().getViolationsList()) {
            lines.add("refused: " + kindNames(v.getSubject()) + ": " + kindNames(v.getDescription()));
          }
        }
      }
      case ABORTED -> {
        Map<String, String> info = detail(status, ErrorInfo.class)
            .map(ErrorInfo::getMetadataMap).orElse(Map.of());
        if (info.containsKey("actual_revision") && info.containsKey("expected_revision")) {
          lines.add("revision conflict: " + kindNames(info.getOrDefault("object", "the object"))
              + " is at revision " + info.get("actual_revision") + ", not the expected "
              + info.get("expected_revision") + ": someone changed it; read it again and retry");
        } else {
          lines.add("revision conflict: " + message);
        }
      }
      case OUT_OF_RANGE -> {
        Map<String, String> info = detail(status, ErrorInfo.class)
            .filter(e -> e.getReason().equals("COMPACTED"))
            .map(ErrorInfo::getMetadataMap).orElse(null);
        if (info == null) {
          lines.add("out of range: " + message);
        } else {
          lines.add("revision " + info.getOrDefault("requested_revision", "?")
              + " is no longer kept (the oldest kept is " + info.getOrDefault("oldest_revision", "?") + ").");
          lines.add("List again (`tenetctl list <kind> -o yaml` shows the revision it read at), then watch"
              + " with --from-revision <that revision + 1>.");
        }
      }
      case UNAVAILABLE -> lines.add("cannot reach the server at " + server + " (is the controller running?)"
          + (message.isEmpty() ? "" : ": " + message));
      case DEADLINE_EXCEEDED -> lines.add("no answer from " + server + " in time (raise --timeout?)"
          + (message.isEmpty() ? "" : ": " + message));
      case UNAUTHENTICATED, PERMISSION_DENIED -> lines.add("not allowed by " + server + ": " + message);
      default -> lines.add(code.name().toLowerCase(Locale.ROOT).replace('_', ' ') + " from " + server
          + (message.isEmpty() ? "" : ": " + message));
    }
    return String.join("\n", lines);
  }

  private static String object(ResourceInfo info) {
    return kindNames(info.getResourceType() + " " + info.getResourceName());
  }

  /**
   * The server names objects "logical_switch_port acme/p1"; the CLI spells kinds with dashes.
   * Only a kind followed by a name is rewritten, so field names in the text stay as they are.
   */
  static String kindNames(String text) {
    String result = text;
    for (ResourceKind k : ResourceKind.values()) {
      result = result.replaceAll("\\b" + k.kind().name().toLowerCase(Locale.ROOT) + "(?= \\S)", k.cliName());
    }
    return result;
  }

  private static <T extends Message> Optional<T> detail(Status status, Class<T> type) {
    for (Any any : status.getDetailsList()) {
      if (any.is(type)) {
        try {
          return Optional.of(any.unpack(type));
        } catch (InvalidProtocolBufferException e) {
          return Optional.empty();
        }
      }
    }
    return Optional.empty();
  }
}
