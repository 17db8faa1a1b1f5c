package dev.segments.ingest;

import java.io.Serializable;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * How CSV files are read: their character encoding, and how many lines one quoted cell may span before the row is
 * taken for one with an unclosed quote (see {@link CsvRecords}).
 *
 * @param encoding the files' encoding; bytes it cannot decode stop the run naming the file and line
 * @param maxCellLines the most lines one row may span; a row still inside quotes after that many is broken
 */
public record CsvOptions(String encoding, int maxCellLines) implements Serializable {
  public static final String DEFAULT_ENCODING = "UTF-8";
  public static final int DEFAULT_MAX_CELL_LINES = 100;

  public CsvOptions {
    if (maxCellLines < 1) {
      throw new IllegalArgumentException("input_max_cell_lines must be at least 1, got " + maxCellLines);
    }
    Charset charset;
    try {
      charset = Charset.forName(encoding);
    } catch (IllegalArgumentException e) { // IllegalCharsetNameException, UnsupportedCharsetException, null
      throw new IllegalArgumentException("input_encoding '" + encoding + "' is not an encoding this Java knows;"
          + " use e.g. UTF-8, ISO-8859-1 or windows-1252");
    }
    // Lines are split on the newline byte before decoding, which only ASCII-compatible encodings allow.
    if (!charset.canEncode() || !Arrays.equals("\n,\"".getBytes(charset), "\n,\"".getBytes(StandardCharsets.US_ASCII))) {
      throw new IllegalArgumentException("input_encoding '" + encoding + "' is not ASCII-compatible (UTF-16 and"
          + " UTF-32 are not read); export the file as UTF-8");
    }
    encoding = charset.name();
  }

  public static CsvOptions defaults() {
    return new CsvOptions(DEFAULT_ENCODING, DEFAULT_MAX_CELL_LINES);
  }

  Charset charset() {
    return Charset.forName(encoding);
  }
}
