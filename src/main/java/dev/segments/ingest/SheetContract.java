package dev.segments.ingest;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The contract of one sheet.
 *
 * @param role what the sheet is to the pipeline: {@code customers}, {@code products} or {@code sales}
 * @param name the sheet's name in the source: the tab name in Google Sheets, the file name (without {@code .csv}) locally
 * @param key the column that identifies a row; required and unique
 * @param columns every column the pipeline reads; other columns in the sheet are ignored
 * @param minRows a run stops when fewer of the sheet's rows pass the contract (an export that broke overnight)
 */
public record SheetContract(String role, String name, String key, List<ColumnRule> columns, long minRows) {

  public SheetContract {
    Objects.requireNonNull(role, "sheet role");
    Objects.requireNonNull(name, "sheet name of " + role);
    Objects.requireNonNull(key, "key column of " + role);
    columns = List.copyOf(columns);
    if (minRows < 0) {
      throw new IllegalArgumentException("sheet '" + name + "': min_rows must be at least 0, got " + minRows);
    }
    if (columns.stream().noneMatch(c -> c.name().equals(key))) {
      throw new IllegalArgumentException("sheet '" + name + "': key column '" + key + "' is not among its columns");
    }
  }

  public Optional<ColumnRule> column(String columnName) {
    return columns.stream().filter(c -> c.name().equals(columnName)).findFirst();
  }

  /** The column that must name a row of the sheet with the given role. */
  public ColumnRule columnReferencing(String otherRole) {
    return columns.stream()
        .filter(c -> otherRole.equals(c.references()))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException(
            "sheet '" + name + "' has no column that references " + otherRole));
  }
}
