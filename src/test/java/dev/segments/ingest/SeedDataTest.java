package dev.segments.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.segments.LocalSpark;
import dev.segments.SharedDatasets;
import dev.segments.contract.SheetCounts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Date;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

/** The users' real export, as delivered, through the default contract. */
class SeedDataTest {

  @Test
  void theRealExportPassesWithItsDayFirstDatesResolved() throws IOException {
    Path seed = SharedDatasets.folder("seed_project");
    DataContract contract = DataContract.defaultLayout();
    IngestResult result = ContractValidator.validate(
        new CsvSheetSource(seed).read(LocalSpark.session(), List.of("customers", "products", "sales")),
        contract, LocalDate.of(2025, 12, 15));

    for (SheetCounts counts : result.counts()) {
      assertEquals(dataLines(seed.resolve(counts.sheet() + ".csv")), counts.read(), counts.sheet());
      assertEquals(counts.read(), counts.kept() + counts.quarantined(), counts.sheet());
    }
    // Checked outside the project (Python csv module): no blank or unreadable cell, no duplicate key, every reference
    // resolves and every date is before 2025, so nothing in the export breaks the contract.
    assertEquals(0, result.rowsQuarantined());

    Map<String, Date> dates = result.sales()
        .filter("Policy_ID in ('P003457', 'P003458', 'P003459', 'P000008', 'P000010')")
        .collectAsList().stream()
        .collect(Collectors.toMap(r -> r.getAs("Policy_ID"), (Row r) -> r.getAs("Purchase_Date")));
    assertEquals(Map.of(
        "P003457", Date.valueOf("2007-04-14"), // 14/04/2007
        "P003458", Date.valueOf("2022-01-22"), // 22/01/2022
        "P003459", Date.valueOf("2021-09-16"), // 16/09/2021
        "P000008", Date.valueOf("2022-05-04"), // 5/4/2022, ambiguous: month-first like the majority
        "P000010", Date.valueOf("2022-03-17")), dates); // 3/17/2022
  }

  private static long dataLines(Path file) throws IOException {
    try (var lines = Files.lines(file)) {
      return lines.filter(line -> !line.isBlank()).count() - 1;
    }
  }
}
