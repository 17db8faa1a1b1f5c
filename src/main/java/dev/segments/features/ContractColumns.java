package dev.segments.features;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.functions;

/** Refers to a sheet column by its contract name, which may hold spaces or dots ("Purchase Date", "Amt."). */
final class ContractColumns {
  private ContractColumns() {}

  static Column column(String name) {
    return functions.col(quoted(name));
  }

  static String quoted(String name) {
    return "`" + name.replace("`", "``") + "`";
  }
}
