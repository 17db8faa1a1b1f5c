package dev.segments.ingest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * A copy of the bundled sample sheets (data/sample) in a test's folder, to break on purpose the way real exports
 * break. Lines are numbered as in the file: the header is line 1.
 */
public final class SampleCopy {
  public static final Path SAMPLE = Path.of("data/sample");
  public static final List<String> SHEETS = List.of("customers", "products", "sales");

  private final Path folder;

  private SampleCopy(Path folder) {
    this.folder = folder;
  }

  public static SampleCopy into(Path folder) {
    try {
      Files.createDirectories(folder);
      for (String sheet : SHEETS) {
        Files.copy(SAMPLE.resolve(sheet + ".csv"), folder.resolve(sheet + ".csv"));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new SampleCopy(folder);
  }

  public Path folder() {
    return folder;
  }

  public Path file(String sheet) {
    return folder.resolve(sheet + ".csv");
  }

  public List<String> lines(String sheet) {
    try {
      return new ArrayList<>(Files.readAllLines(file(sheet), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Data lines of a sheet (every line but the header). */
  public long dataLines(String sheet) {
    return lines(sheet).size() - 1;
  }

  public SampleCopy write(String sheet, List<String> lines) {
    return write(sheet, lines, StandardCharsets.UTF_8);
  }

  public SampleCopy write(String sheet, List<String> lines, Charset charset) {
    try {
      Files.writeString(file(sheet), String.join("\n", lines) + "\n", charset);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return this;
  }

  /** Rewrites one line (1-based, header = 1). */
  public SampleCopy editLine(String sheet, int line, UnaryOperator<String> edit) {
    List<String> lines = lines(sheet);
    lines.set(line - 1, edit.apply(lines.get(line - 1)));
    return write(sheet, lines);
  }

  /**
   * Adds {@code Email} and {@code Phone} columns to the customers sheet, as a real export of staff's sheet has them:
   * a distinct address and number per customer, so a test can look for each one in every output.
   */
  public SampleCopy withContactColumns() {
    List<String> lines = lines("customers");
    lines.set(0, lines.get(0) + ",Email,Phone");
    for (int i = 1; i < lines.size(); i++) {
      lines.set(i, lines.get(i) + "," + email(i + 1) + "," + phone(i + 1));
    }
    return write("customers", lines);
  }

  /** The e-mail address {@link #withContactColumns} gave the customer on a line. */
  public static String email(int line) {
    return "customer" + line + "@example.org";
  }

  /** The phone number {@link #withContactColumns} gave the customer on a line. */
  public static String phone(int line) {
    return String.format("+44 7700 %06d", line);
  }
}
