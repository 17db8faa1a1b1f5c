package dev.segments.sink;

/** Another run holds the output folder's publish lock: this run stops before doing any work. */
public final class OutputInUseException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  OutputInUseException(String message) {
    super(message);
  }
}
