package dev.segments.ingest;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.filter;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.when;

import dev.segments.contract.ContractException;
import dev.segments.contract.SheetCounts;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds raw sheets to the {@link DataContract}: types every cell, sends each row that breaks a rule to quarantine
 * with the reason, and stops the run when a sheet or required column is missing or too many rows are bad.
 *
 * <p>Rules, per row: a required cell must not be blank; numbers must be numbers ({@code 41} and {@code 41.0} are
 * whole numbers, {@code 41.5} is not; amounts may carry £ $ € and thousands separators) within the column's bounds,
 * and above zero where the contract says positive; dates are read by the rule of {@link DateResolver} and may not be
 * after the run date where the contract says so; a reference ({@code Product_ID} in sales) must name a key of a
 * <em>good</em> row of the referenced sheet, so a sale of a quarantined customer is quarantined too. Keys are
 * unique: the first row with a key (by row number) keeps it, whatever else is wrong with that row, and every later
 * row with the same key is quarantined with "duplicate key X, first seen at row N". A blank optional category reads
 * as {@code "unknown"}. A row that breaks several rules gets one quarantine row per rule and counts once.
 *
 * <p>Everything runs in Spark; the only rows that reach the driver are the counts and, when the run fails, the
 * three most broken rules. The checked sheets stay persisted for the life of the returned {@link IngestResult}.
 */
public final class ContractValidator {
  private static final Logger LOG = LoggerFactory.getLogger(ContractValidator.class);
  private static final String ROW = SheetSource.ROW_NUMBER;
  private static final String FIRST_ROW = "_first_row";
  private static final List<String> SOURCE_COLUMNS =
      List.of(ROW, SheetSource.RECORD_PROBLEM, SheetSource.RECORD_RULE);

  private ContractValidator() {}

  /**
   * @param rawSheets raw sheets by sheet name, as {@link SheetSource#read} returns them
   * @param runDate the run's as-of date: later dates are quarantined where the contract says so
   * @throws MissingSheetException when a contract sheet is not in {@code rawSheets}
   * @throws ContractException when a required column is missing or a sheet has too many bad rows
   */
  public static IngestResult validate(Map<String, Dataset<Row>> rawSheets, DataContract contract, LocalDate runDate) {
    Map<String, CheckedSheet> checkedByRole = new LinkedHashMap<>();
    for (SheetContract sheet : referencedFirst(contract.sheets())) {
      Dataset<Row> raw = rawSheets.get(sheet.name());
      if (raw == null) {
        throw new MissingSheetException(sheet.name(), "the sheets read (" + String.join(", ", rawSheets.keySet()) + ")");
      }
      checkedByRole.put(sheet.role(), check(sheet, raw, contract, runDate, checkedByRole));
    }

    List<CheckedSheet> inContractOrder = contract.sheets().stream().map(s -> checkedByRole.get(s.role())).toList();
    List<SheetCounts> counts = CheckedSheet.counts(inContractOrder);
    List<String> failures = new ArrayList<>();
    Dataset<Row> quarantine = null;
    for (int i = 0; i < inContractOrder.size(); i++) {
      SheetContract sheet = contract.sheets().get(i);
      CheckedSheet checked = inContractOrder.get(i);
      SheetCounts sheetCounts = counts.get(i);
      LOG.info("sheet '{}': {} rows read, {} kept, {} quarantined ({})", sheet.name(), sheetCounts.read(),
          sheetCounts.kept(), sheetCounts.quarantined(), percent(sheetCounts.quarantinedShare()));
      if (sheetCounts.quarantinedShare() > contract.maxQuarantineShare()) {
        failures.add("sheet '" + sheet.name() + "': " + percent(sheetCounts.quarantinedShare()) + " of its rows ("
            + sheetCounts.quarantined() + " of " + sheetCounts.read() + ") were quarantined, more than the allowed "
            + percent(contract.maxQuarantineShare()) + "; most common problems: " + checked.topRules(3));
      }
      quarantine = quarantine == null ? checked.quarantine() : quarantine.unionByName(checked.quarantine());
    }
    if (!failures.isEmpty()) {
      throw new ContractException(String.join("\n", failures));
    }
    // Nothing that looks like an e-mail address or phone number is quoted: CellChecker masked every cell it quoted,
    // and the keys and references the cross-row rules quote passed its check.
    // Rules build the reason and column with expressions Spark types as nullable; the table declares them required.
    Dataset<Row> typedQuarantine = quarantine.sparkSession().createDataFrame(quarantine.javaRDD(), Quarantine.SCHEMA);
    return new IngestResult(checkedByRole.get(DataContract.CUSTOMERS).kept(),
        checkedByRole.get(DataContract.PRODUCTS).kept(), checkedByRole.get(DataContract.SALES).kept(),
        typedQuarantine, counts);
  }

  private static CheckedSheet check(SheetContract sheet, Dataset<Row> raw, DataContract contract, LocalDate runDate,
      Map<String, CheckedSheet> checkedByRole) {
    List<ColumnRule> rules = withoutPersonalData(sheet, contract.personalColumns());
    List<String> columns = Arrays.asList(raw.columns());
    List<String> headers = columns.stream().filter(c -> !SOURCE_COLUMNS.contains(c)).toList();
    HeaderMatch.requireReadableAndUnique(sheet.name(), headers);
    Map<String, Optional<String>> headerOf = HeaderMatch.resolve(sheet, headers);
    List<Column> named = new ArrayList<>();
    for (ColumnRule rule : rules) {
      named.add(headerOf.get(rule.name()).map(h -> raw.col(quoted(h))).orElse(lit(null).cast("string")).as(rule.name()));
    }
    named.add(raw.col(ROW));
    for (String problem : List.of(SheetSource.RECORD_PROBLEM, SheetSource.RECORD_RULE)) {
      named.add(columns.contains(problem) ? raw.col(problem) : lit(null).cast("string").as(problem));
    }
    Dataset<Row> text = raw.select(named.toArray(Column[]::new));

    DateOrder[] dateOrders = new DateOrder[rules.size()];
    for (int c = 0; c < rules.size(); c++) {
      if (rules.get(c).type() == ColumnType.DATE) {
        dateOrders[c] = contract.dateOrder() == DateOrder.AUTO
            ? DateOrderVote.decide(sheet.name(), text, rules.get(c).name())
            : contract.dateOrder();
      }
    }
    CellChecker cells = new CellChecker(rules, rules.indexOf(sheet.column(sheet.key()).orElseThrow()), dateOrders, runDate);
    Dataset<Row> typed = text.mapPartitions(cells, Encoders.row(cells.schema()));

    Column key = column(sheet.key());
    Dataset<Row> joined = typed.withColumn(FIRST_ROW, min(col(ROW)).over(Window.partitionBy(key)));
    List<Column> crossRow = new ArrayList<>();
    crossRow.add(when(key.isNotNull().and(col(ROW).gt(col(FIRST_ROW))), violation(sheet.key(), key,
        QuarantineReason.duplicateKey(key, col(FIRST_ROW)), lit(QuarantineReason.duplicateKeyRule(sheet.key())))));
    for (ColumnRule rule : rules) {
      if (rule.references() == null) {
        continue;
      }
      CheckedSheet target = checkedByRole.get(rule.references());
      String targetName = target.sheet().name();
      String refKey = "_key_of_" + rule.references();
      String refValid = "_valid_in_" + rule.references();
      String refRow = "_quarantined_row_in_" + rule.references();
      joined = joined.join(target.keyStatus().toDF(refKey, refValid, refRow), column(rule.name()).equalTo(col(refKey)),
          "left");
      Column value = column(rule.name());
      String unknown = QuarantineReason.unknownReference(rule.name(), targetName);
      crossRow.add(when(value.isNotNull().and(col(refValid).isNull()), violation(rule.name(), value, lit(unknown), lit(unknown)))
          .when(value.isNotNull().and(not(col(refValid))), violation(rule.name(), value,
              QuarantineReason.quarantinedReference(rule.name(), value, targetName, col(refRow)),
              lit(QuarantineReason.quarantinedReferenceRule(rule.name(), targetName)))));
    }
    Column more = filter(array(crossRow.toArray(Column[]::new)), Column::isNotNull);
    Column all = when(col(CellChecker.VIOLATIONS).isNull(), more).otherwise(concat(col(CellChecker.VIOLATIONS), more));

    List<Column> kept = new ArrayList<>();
    kept.add(col(ROW));
    rules.forEach(rule -> kept.add(column(rule.name())));
    kept.add(all.as(CellChecker.VIOLATIONS));
    Dataset<Row> assessed = joined.select(kept.toArray(Column[]::new)).persist(StorageLevel.MEMORY_AND_DISK());
    return new CheckedSheet(sheet, rules, assessed);
  }

  private static Column violation(String column, Column value, Column reason, Column rule) {
    return struct(lit(column).as("column"), value.cast("string").as("value"), reason.as("reason"), rule.as("rule"));
  }

  /** Personal data is never read, even when a contract names it by mistake; keys and references must not be personal. */
  private static List<ColumnRule> withoutPersonalData(SheetContract sheet, List<String> personalColumns) {
    Set<String> personal = new HashSet<>();
    personalColumns.forEach(c -> personal.add(c.toLowerCase(Locale.ROOT)));
    List<ColumnRule> kept = new ArrayList<>();
    for (ColumnRule rule : sheet.columns()) {
      boolean isPersonal = personal.contains(rule.name().toLowerCase(Locale.ROOT));
      if (isPersonal && (rule.name().equals(sheet.key()) || rule.references() != null)) {
        throw new ContractException("sheet '" + sheet.name() + "': column '" + rule.name()
            + "' is listed as personal data but is a key or reference; it cannot be both");
      }
      if (isPersonal) {
        LOG.warn("sheet '{}': column '{}' is listed as personal data and is not read", sheet.name(), rule.name());
      } else {
        kept.add(rule);
      }
    }
    return kept;
  }

  /** The sheets in an order where every sheet comes after the sheets it references. */
  private static List<SheetContract> referencedFirst(List<SheetContract> sheets) {
    List<SheetContract> ordered = new ArrayList<>();
    Set<String> done = new HashSet<>();
    while (ordered.size() < sheets.size()) {
      int before = ordered.size();
      for (SheetContract sheet : sheets) {
        boolean ready = sheet.columns().stream()
            .allMatch(c -> c.references() == null || done.contains(c.references()));
        if (!done.contains(sheet.role()) && ready) {
          ordered.add(sheet);
          done.add(sheet.role());
        }
      }
      if (ordered.size() == before) {
        throw new ContractException("the contract's sheets reference each other in a cycle, or name a sheet the"
            + " contract lacks: check each column's 'references'");
      }
    }
    return ordered;
  }

  static Column column(String name) {
    return col(quoted(name));
  }

  static String quoted(String name) {
    return "`" + name.replace("`", "``") + "`";
  }

  private static String percent(double share) {
    return String.format(Locale.ROOT, "%.2f%%", share * 100);
  }
}
