package dev.segments.ingest;

import dev.segments.contract.ContractException;

/**
 * A file holds bytes its configured encoding cannot decode: reading on would turn names into {@code Malm\uFFFD},
 * merge distinct values and hide it, so the run stops naming the file and the line.
 */
public final class InputEncodingException extends ContractException {
  private static final long serialVersionUID = 1L;

  InputEncodingException(String file, long line, String encoding) {
    super("file " + file + ", line " + line + ": bytes that are not valid " + encoding + "; export the file as "
        + encoding + ", or set input_encoding to the file's encoding (e.g. ISO-8859-1 or windows-1252)");
  }
}
