package dev.segments.ingest;

import java.io.Serializable;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Reads every cell of a raw sheet by its column's type and checks the cell-level rules (required, number, whole
 * number, bounds, positive, date, not after the run date). Rules that look across rows (unique keys, references)
 * are Spark joins in {@link ContractValidator}.
 *
 * <p>Text cells are read as {@link TextCells#cleaned} says. One longer than {@link #MAX_TEXT_LENGTH} characters is a
 * violation, quoted by its start, and so is one holding a control character (a NUL byte), quoted with it replaced.
 * A text cell (a key, a reference, a category or a label) that looks like an e-mail address or a phone number
 * ({@link PersonalDataPattern}) is a violation too: personal data typed into the wrong column, or moved there by a
 * broken row, is never published. Each cell is looked at once, here, and a violation quotes the cell masked
 * ({@link PersonalDataPattern#MASK}) when it looks personal, so no later stage runs the pattern again. A record the
 * source could not read ({@link SheetSource#RECORD_PROBLEM}) breaks that one rule and no other; of its cells only
 * the key is kept (when it is not personal-looking), so a reference to it can say that its row was quarantined.
 *
 * <p>Input: the contract's columns as strings, in contract order, then {@link SheetSource#ROW_NUMBER},
 * {@link SheetSource#RECORD_PROBLEM} and {@link SheetSource#RECORD_RULE}. Output
 * ({@link #schema()}): the row number, one typed column per contract column (a date as days since 1970-01-01, made a
 * date later by Spark), then {@link #VIOLATIONS}: null for a clean row, else one struct per broken rule.
 */
final class CellChecker implements MapPartitionsFunction<Row, Row>, Serializable {
  private static final long serialVersionUID = 1L;

  /**
   * The longest key, reference, category or label kept. Longer is not a value someone typed but a paste or a broken
   * export; and every value of a clustered category travels inside the model to every task: one 5 MB City cell made
   * each task binary 5.4 MiB and the run 15 % slower.
   */
  static final int MAX_TEXT_LENGTH = 1_000;
  /** How much of an over-long value its quarantine row quotes. */
  private static final int QUOTED_PREFIX = 100;

  static final String VIOLATIONS = "_violations";
  /** The column named by a violation of the whole row (a record the source could not read). */
  static final String WHOLE_ROW = "(whole row)";
  static final StructType VIOLATION = new StructType()
      .add("column", DataTypes.StringType, false)
      .add("value", DataTypes.StringType, true)
      .add("reason", DataTypes.StringType, false)
      .add("rule", DataTypes.StringType, false);

  private final ColumnRule[] rules;
  private final int keyColumn;
  private final DateOrder[] ambiguousDateOrders;
  private final LocalDate runDate;
  private final long runDay;

  /**
   * @param keyColumn the position of the sheet's key among {@code rules}
   * @param ambiguousDateOrders per column, how its ambiguous dates are read (only DATE columns' entries are used)
   */
  CellChecker(List<ColumnRule> rules, int keyColumn, DateOrder[] ambiguousDateOrders, LocalDate runDate) {
    this.rules = rules.toArray(ColumnRule[]::new);
    this.keyColumn = keyColumn;
    this.ambiguousDateOrders = ambiguousDateOrders.clone();
    this.runDate = runDate;
    this.runDay = runDate.toEpochDay();
  }

  StructType schema() {
    StructType schema = new StructType().add(SheetSource.ROW_NUMBER, DataTypes.LongType, false);
    for (ColumnRule rule : rules) {
      schema = schema.add(rule.name(), parsedType(rule.type()), true);
    }
    return schema.add(VIOLATIONS, DataTypes.createArrayType(VIOLATION, false), true);
  }

  private static DataType parsedType(ColumnType type) {
    return switch (type) {
      case STRING, CATEGORY, LABEL -> DataTypes.StringType;
      case INTEGER, DATE -> DataTypes.IntegerType;
      case DECIMAL -> DataTypes.DoubleType;
    };
  }

  @Override
  public Iterator<Row> call(Iterator<Row> rows) {
    DateResolver[] resolvers = new DateResolver[rules.length];
    for (int c = 0; c < rules.length; c++) {
      if (rules[c].type() == ColumnType.DATE) {
        resolvers[c] = new DateResolver(ambiguousDateOrders[c]);
      }
    }
    return new Iterator<>() {
      @Override
      public boolean hasNext() {
        return rows.hasNext();
      }

      @Override
      public Row next() {
        return check(rows.next(), resolvers);
      }
    };
  }

  private Row check(Row raw, DateResolver[] resolvers) {
    Object[] out = new Object[rules.length + 2];
    out[0] = raw.getLong(rules.length);
    if (!raw.isNullAt(rules.length + 1)) {
      String key = raw.isNullAt(keyColumn) ? "" : TextCells.cleaned(raw.getString(keyColumn));
      if (!key.isEmpty() && !PersonalDataPattern.looksPersonal(key)) {
        out[keyColumn + 1] = key;
      }
      out[rules.length + 1] = new Row[] {RowFactory.create(WHOLE_ROW, null, raw.getString(rules.length + 1),
          raw.getString(rules.length + 2))};
      return RowFactory.create(out);
    }
    List<Row> violations = null;
    for (int c = 0; c < rules.length; c++) {
      ColumnRule rule = rules[c];
      String cell = raw.getString(c);
      String text = TextCells.cleaned(cell);
      QuarantineReason problem = null;
      String quoted = null;
      if (text == null || text.isEmpty()) {
        if (rule.required()) {
          problem = QuarantineReason.requiredButBlank(rule.name());
        } else if (rule.type() == ColumnType.CATEGORY) {
          out[c + 1] = "unknown";
        }
      } else {
        problem = switch (rule.type()) {
          case STRING, CATEGORY, LABEL -> {
            boolean personal = PersonalDataPattern.looksPersonal(text);
            // Free text (a STRING column that is neither key nor reference) may be long; names and ids may not.
            boolean bounded = rule.type() != ColumnType.STRING || c == keyColumn || rule.references() != null;
            if (bounded && text.length() > MAX_TEXT_LENGTH) {
              quoted = personal ? PersonalDataPattern.MASK
                  : TextCells.withoutControls(text.substring(0, QUOTED_PREFIX)) + "…";
              yield QuarantineReason.tooLong(rule.name(), text.length(), MAX_TEXT_LENGTH);
            }
            int control = TextCells.controlCharacter(text);
            if (control >= 0) {
              quoted = personal ? PersonalDataPattern.MASK : TextCells.withoutControls(text);
              yield QuarantineReason.controlCharacter(rule.name(), text.charAt(control), control + 1);
            }
            if (personal) {
              quoted = PersonalDataPattern.MASK;
              yield QuarantineReason.looksPersonal(rule.name());
            }
            out[c + 1] = text;
            yield null;
          }
          case INTEGER -> readInteger(rule, text, out, c + 1);
          case DECIMAL -> readDecimal(rule, text, out, c + 1);
          case DATE -> readDate(rule, resolvers[c], text, out, c + 1);
        };
      }
      if (problem != null) {
        if (violations == null) {
          violations = new ArrayList<>(2);
        }
        violations.add(RowFactory.create(rule.name(), quoted != null ? quoted : PersonalDataPattern.masked(cell),
            problem.reason(), problem.rule()));
      }
    }
    out[rules.length + 1] = violations == null ? null : violations.toArray(Row[]::new);
    return RowFactory.create(out);
  }

  private static QuarantineReason readInteger(ColumnRule rule, String text, Object[] out, int slot) {
    double value = DecimalParser.parse(text, false);
    if (Double.isNaN(value)) {
      return QuarantineReason.notANumber(rule.name());
    }
    if (value != Math.rint(value)) {
      return QuarantineReason.notAWholeNumber(rule.name());
    }
    QuarantineReason bounds = checkBounds(rule, value);
    if (bounds == null && (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE)) {
      return QuarantineReason.notAWholeNumber(rule.name());
    }
    if (bounds == null) {
      out[slot] = (int) value;
    }
    return bounds;
  }

  private static QuarantineReason readDecimal(ColumnRule rule, String text, Object[] out, int slot) {
    double value = DecimalParser.parse(text, true);
    if (Double.isNaN(value)) {
      return QuarantineReason.notANumber(rule.name());
    }
    QuarantineReason bounds = checkBounds(rule, value);
    if (bounds == null) {
      out[slot] = value;
    }
    return bounds;
  }

  private static QuarantineReason checkBounds(ColumnRule rule, double value) {
    if ((rule.min() != null && value < rule.min()) || (rule.max() != null && value > rule.max())) {
      return QuarantineReason.outOfBounds(rule);
    }
    if (rule.positive() && !(value > 0)) {
      return QuarantineReason.notPositive(rule.name());
    }
    return null;
  }

  private QuarantineReason readDate(ColumnRule rule, DateResolver resolver, String text, Object[] out, int slot) {
    if (!resolver.resolve(text)) {
      return QuarantineReason.unreadableDate(resolver.problem(), rule.name(), text);
    }
    if (rule.notAfterRunDate() && resolver.epochDay() > runDay) {
      return QuarantineReason.afterRunDate(rule.name(), text, runDate);
    }
    out[slot] = (int) resolver.epochDay();
    return null;
  }
}
