package tenet.store.ratis;

import com.google.rpc.Status;

/** A store call that ended in a status other than OK; the status is what the client sees. */
public final class StoreStatusException extends RuntimeException {
  private final transient Status status;

  public StoreStatusException(Status status) {
    super(status.getMessage(), null, false, false);
    this.status = status;
  }

  public Status status() {
    return status;
  }
}
