package dev.segments.ingest;

/** How a sheet column's text is read and which Spark type it becomes after validation. */
public enum ColumnType {
  /** Free text kept as is (keys, references). Spark type: string. */
  STRING,
  /** A category; a blank cell becomes {@code "unknown"}. Spark type: string. */
  CATEGORY,
  /** Display text never used as a feature (product names). Spark type: string. */
  LABEL,
  /** A whole number, possibly written as {@code 41.0} by a spreadsheet. Spark type: int. */
  INTEGER,
  /** A decimal that may carry a currency sign or thousands separators. Spark type: double. */
  DECIMAL,
  /** A sheet serial number, ISO text or day/month text; see {@code DateResolver}. Spark type: date. */
  DATE
}
