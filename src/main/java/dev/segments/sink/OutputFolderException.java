package dev.segments.sink;

/** The output folder cannot be written (read-only, a file in its place, no permission): found before the run works. */
public final class OutputFolderException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  OutputFolderException(String message) {
    super(message);
  }
}
