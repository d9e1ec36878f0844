package tenet.store.rpc;

import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import java.util.concurrent.CompletionException;
import tenet.store.ratis.StoreStatusException;

/** Turns whatever a store call failed with into the gRPC status the client receives. */
public final class GrpcStatuses {
  private GrpcStatuses() {}

  public static StatusRuntimeException of(Throwable failure) {
    Throwable t = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
    if (t instanceof StoreStatusException s) {
      return StatusProto.toStatusRuntimeException(s.status());
    }
    if (t instanceof StatusRuntimeException s) {
      return s;
    }
    if (t instanceof IllegalArgumentException) {
      return io.grpc.Status.INVALID_ARGUMENT.withDescription(t.getMessage()).asRuntimeException();
    }
    return io.grpc.Status.INTERNAL.withDescription(String.valueOf(t.getMessage())).withCause(t).asRuntimeException();
  }

  public static StatusRuntimeException of(com.google.rpc.Status status) {
    return StatusProto.toStatusRuntimeException(status);
  }
}
