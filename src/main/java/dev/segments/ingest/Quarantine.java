package dev.segments.ingest;

import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/** The shape of the quarantine table: one row per rule a sheet row broke. */
public final class Quarantine {
  private Quarantine() {}

  /**
   * sheet: the sheet's name; row: its row number as seen in the sheet (header is row 1); column: the offending
   * column; value: the cell as read (null when blank); reason: what rule it broke, in words a sales person reads;
   * rule: the reason without the cell's value, to count rows by rule.
   */
  public static final StructType SCHEMA = new StructType()
      .add("sheet", DataTypes.StringType, false)
      .add("row", DataTypes.LongType, false)
      .add("column", DataTypes.StringType, false)
      .add("value", DataTypes.StringType, true)
      .add("reason", DataTypes.StringType, false)
      .add("rule", DataTypes.StringType, false);
}
