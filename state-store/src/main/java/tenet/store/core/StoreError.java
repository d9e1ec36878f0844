package tenet.store.core;

import java.util.List;
import tenet.store.model.ResourceKey;

/** Why a write or read was refused. A refused write changes nothing. */
public sealed interface StoreError {
  String message();

  record InvalidArgument(List<Violation> violations) implements StoreError {
    public InvalidArgument {
      violations = List.copyOf(violations);
    }

    @Override
    public String message() {
      return violations.size() == 1
          ? "invalid " + violations.get(0)
          : violations.size() + " invalid fields: " + String.join("; ",
              violations.stream().map(Violation::toString).toList());
    }
  }

  /** {@code key} does not exist; {@code context} says who wanted it, when not the caller directly. */
  record NotFound(ResourceKey key, String context) implements StoreError {
    @Override
    public String message() {
      return context.isEmpty() ? key + " does not exist" : context;
    }
  }

  record AlreadyExists(ResourceKey key) implements StoreError {
    @Override
    public String message() {
      return key + " already exists";
    }
  }

  /** The request is well formed but the current state forbids it (e.g. delete while referenced). */
  record FailedPrecondition(String type, String subject, String description) implements StoreError {
    @Override
    public String message() {
      return description;
    }
  }

  record RevisionConflict(ResourceKey key, long expected, long actual) implements StoreError {
    @Override
    public String message() {
      return key + " is at revision " + actual + ", not the expected " + expected
          + ": read it again and retry";
    }
  }

  /** A watch or page asked for history the store no longer keeps. */
  record Compacted(long requested, long oldestKept) implements StoreError {
    @Override
    public String message() {
      return "revision " + requested + " is compacted (oldest kept is " + oldestKept
          + "): list again and watch from the listed revision + 1";
    }
  }
}
