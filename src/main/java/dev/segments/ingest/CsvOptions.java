package dev.segments.ingest;

import java.io.Serializable;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How CSV files are read: their character encoding (one for all files, and any sheet's own), and how many lines one
 * quoted cell may span before the row is taken for one with an unclosed quote (see {@link CsvRecords}).
 *
 * @param encoding the files' encoding; bytes it cannot decode stop the run naming the file and line
 * @param sheetEncodings by sheet name, the encoding of that sheet's file where it differs from {@code encoding} (a
 *     Latin-1 {@code customers.csv} beside UTF-8 {@code sales.csv})
 * @param maxCellLines the most lines one row may span; a row still inside quotes after that many is broken
 */
public record CsvOptions(String encoding, Map<String, String> sheetEncodings, int maxCellLines)
    implements Serializable {
  public static final String DEFAULT_ENCODING = "UTF-8";
  public static final int DEFAULT_MAX_CELL_LINES = 100;

  public CsvOptions {
    if (maxCellLines < 1) {
      throw new IllegalArgumentException("input_max_cell_lines must be at least 1, got " + maxCellLines);
    }
    encoding = readable("input_encoding", encoding);
    Map<String, String> checked = new LinkedHashMap<>();
    sheetEncodings.forEach((sheet, name) -> checked.put(sheet, readable("input_encodings." + sheet, name)));
    sheetEncodings = Map.copyOf(checked);
  }

  public CsvOptions(String encoding, int maxCellLines) {
    this(encoding, Map.of(), maxCellLines);
  }

  public static CsvOptions defaults() {
    return new CsvOptions(DEFAULT_ENCODING, DEFAULT_MAX_CELL_LINES);
  }

  /** The encoding of the sheet's file: its own, else the one for all files. */
  String encodingOf(String sheet) {
    return sheetEncodings.getOrDefault(sheet, encoding);
  }

  Charset charset(String sheet) {
    return Charset.forName(encodingOf(sheet));
  }

  /** The encoding's canonical name, when Java knows it and it reads ASCII bytes as ASCII. */
  private static String readable(String key, String encoding) {
    Charset charset;
    try {
      charset = Charset.forName(encoding);
    } catch (IllegalArgumentException e) { // IllegalCharsetNameException, UnsupportedCharsetException, null
      throw new IllegalArgumentException(key + " '" + encoding + "' is not an encoding this Java knows;"
          + " use e.g. UTF-8, ISO-8859-1 or windows-1252");
    }
    // Lines are split on the newline byte before decoding, which only ASCII-compatible encodings allow.
    if (!charset.canEncode() || !Arrays.equals("\n,\"".getBytes(charset), "\n,\"".getBytes(StandardCharsets.US_ASCII))) {
      throw new IllegalArgumentException(key + " '" + encoding + "' is not ASCII-compatible (UTF-16 and"
          + " UTF-32 are not read); export the file as UTF-8");
    }
    return charset.name();
  }
}
