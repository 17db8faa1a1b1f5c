package dev.segments.ingest;

import dev.segments.contract.ContractException;
import dev.segments.contract.SheetCounts;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Stops a run whose sheets kept too few rows to replace the published segments: fewer than a sheet's
 * {@link SheetContract#minRows()}, or more than {@link DataContract#maxRowDrop()} fewer than the previous run kept.
 * An export that broke overnight (a header-only sales tab, half a customer list) then fails the run with exit 3 and
 * yesterday's segments stay published.
 */
public final class RowCountCheck {
  private RowCountCheck() {}

  /**
   * @param counts this run's rows per sheet
   * @param previousKept rows the previous run kept, by sheet name, for the sheets where it is known
   * @throws ContractException naming every sheet that is short
   */
  public static void check(DataContract contract, List<SheetCounts> counts, Map<String, Long> previousKept) {
    List<String> problems = new ArrayList<>();
    for (SheetCounts sheet : counts) {
      SheetContract rules = contract.sheets().stream().filter(s -> s.name().equals(sheet.sheet())).findFirst()
          .orElseThrow();
      if (sheet.kept() < rules.minRows()) {
        problems.add("sheet '" + sheet.sheet() + "' kept " + sheet.kept() + (sheet.kept() == 1 ? " row" : " rows")
            + " (" + sheet.read() + " read), fewer"
            + " than its minimum of " + rules.minRows() + " (contract." + rules.role() + ".min_rows)");
        continue;
      }
      Long previous = previousKept.get(sheet.sheet());
      if (previous != null && previous > 0) {
        double drop = 1 - (double) sheet.kept() / previous;
        if (drop > contract.maxRowDrop()) {
          problems.add(String.format(Locale.ROOT, "sheet '%s' kept %d rows, %.1f%% fewer than the %d of the previous"
                  + " run; more than contract.max_row_drop (%.0f%%) allows. Check the export, or set"
                  + " contract.max_row_drop=1 for a run that should replace them", sheet.sheet(), sheet.kept(),
              drop * 100, previous, contract.maxRowDrop() * 100));
        }
      }
    }
    if (!problems.isEmpty()) {
      throw new ContractException(String.join("\n", problems) + "\nThe published outputs were left as they were.");
    }
  }
}
