package dev.segments.pipeline;

import dev.segments.SamplePipelineRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** A copy of the bundled sample with a shift planted in it, for the nights the gate must stop. */
final class PlantedShift {
  private PlantedShift() {}

  /**
   * The sample with the Income of three customers in ten (the 1st, 2nd and 3rd of every ten rows) tripled where it
   * is a plain number (the sample's planted bad values stay as they are); the sales and products sheets unchanged.
   */
  static Path incomesTripled(Path folder) throws IOException {
    Files.createDirectories(folder);
    for (String sheet : List.of("sales.csv", "products.csv")) {
      Files.copy(SamplePipelineRun.SAMPLE.resolve(sheet), folder.resolve(sheet));
    }
    List<String> lines = Files.readAllLines(SamplePipelineRun.SAMPLE.resolve("customers.csv"));
    int income = List.of(lines.get(0).split(",", -1)).indexOf("Income");
    List<String> shifted = new ArrayList<>(List.of(lines.get(0)));
    for (int i = 1; i < lines.size(); i++) {
      String[] cells = lines.get(i).split(",", -1);
      if ((i - 1) % 10 < 3 && cells[income].matches("\\d+(\\.\\d+)?")) {
        cells[income] = String.format(Locale.ROOT, "%.2f", Double.parseDouble(cells[income]) * 3);
      }
      shifted.add(String.join(",", cells));
    }
    Files.write(folder.resolve("customers.csv"), shifted);
    return folder;
  }
}
