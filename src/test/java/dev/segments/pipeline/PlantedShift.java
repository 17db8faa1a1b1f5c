package dev.segments.pipeline;

import dev.segments.SamplePipelineRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.UnaryOperator;

/** Copies of the bundled sample a night later: one where nothing changed, one with a shift planted in it. */
final class PlantedShift {
  private static final DateTimeFormatter SAMPLE_DATE = DateTimeFormatter.ofPattern("M/d/uuuu");

  private PlantedShift() {}

  /**
   * The sample with the Income of half the customers (the first five of every ten rows) tripled where it is a plain
   * number (the sample's planted bad values stay as they are); the sales and products sheets unchanged. (A third of
   * the incomes tripled gives a PSI near 0.19 on the sample: a moderate shift, below alerts.max_psi.)
   */
  static Path incomesTripled(Path folder) throws IOException {
    return copy(folder, "customers.csv", lines -> {
      int income = List.of(lines.get(0).split(",", -1)).indexOf("Income");
      List<String> shifted = new ArrayList<>(List.of(lines.get(0)));
      for (int i = 1; i < lines.size(); i++) {
        String[] cells = lines.get(i).split(",", -1);
        if ((i - 1) % 10 < 5 && cells[income].matches("\\d+(\\.\\d+)?")) {
          cells[income] = String.format(Locale.ROOT, "%.2f", Double.parseDouble(cells[income]) * 3);
        }
        shifted.add(String.join(",", cells));
      }
      return shifted;
    });
  }

  /**
   * The sample as it would be exported a day later with no business change: every purchase date one day later, so
   * that with the next run date every customer's features (tenure, recency) are what they were.
   */
  static Path oneDayLater(Path folder) throws IOException {
    return copy(folder, "sales.csv", lines -> {
      int date = List.of(lines.get(0).split(",", -1)).indexOf("Purchase_Date");
      List<String> later = new ArrayList<>(List.of(lines.get(0)));
      for (String line : lines.subList(1, lines.size())) {
        // The date comes before any quoted cell (premiums such as "£1,287.11"), so the cells up to it split on commas.
        String[] cells = line.split(",", date + 2);
        try {
          cells[date] = LocalDate.parse(cells[date], SAMPLE_DATE).plusDays(1).format(SAMPLE_DATE);
        } catch (DateTimeParseException plantedBadDate) {
          // left as it is: quarantined on both nights
        }
        later.add(String.join(",", cells));
      }
      return later;
    });
  }

  /** The sample's three sheets in {@code folder}, with {@code sheet}'s lines rewritten. */
  private static Path copy(Path folder, String sheet, UnaryOperator<List<String>> rewrite) throws IOException {
    Files.createDirectories(folder);
    for (String other : List.of("customers.csv", "sales.csv", "products.csv")) {
      if (!other.equals(sheet)) {
        Files.copy(SamplePipelineRun.SAMPLE.resolve(other), folder.resolve(other));
      }
    }
    Files.write(folder.resolve(sheet), rewrite.apply(Files.readAllLines(SamplePipelineRun.SAMPLE.resolve(sheet))));
    return folder;
  }
}
