package tenet.ops.cli;

/**
 * Something the user fixes in the command line or in a file they gave us; it exits 2, as
 * opposed to an answer from the server (1). The message is printed as is.
 */
public final class UsageException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public UsageException(String message) {
    super(message);
  }
}
