package dev.segments.sink;

import com.google.cloud.bigquery.Field;
import com.google.cloud.bigquery.FieldValue;
import com.google.cloud.bigquery.FieldValueList;
import com.google.cloud.bigquery.Schema;
import com.google.cloud.bigquery.StandardSQLTypeName;
import java.math.BigDecimal;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Spark column types as BigQuery column types, the same mapping the connector's {@code SchemaConverters} makes for
 * a load (so the tables we create take the connector's Parquet files), and BigQuery answers back as Spark rows.
 * Every column is NULLABLE: a column added on a later night has no values for earlier dates.
 */
final class BigQuerySchemas {
  private BigQuerySchemas() {}

  static Schema of(StructType schema) {
    return Schema.of(List.of(schema.fields()).stream()
        .map(f -> Field.newBuilder(f.name(), type(f)).setMode(Field.Mode.NULLABLE).build()).toList());
  }

  /** The schema with each field's description from {@code descriptions} (by name). */
  static Schema withDescriptions(Schema schema, Map<String, String> descriptions) {
    return Schema.of(schema.getFields().stream()
        .map(f -> f.toBuilder().setDescription(descriptions.get(f.getName())).build()).toList());
  }

  static List<String> names(Schema schema) {
    return schema.getFields().stream().map(Field::getName).toList();
  }

  static StandardSQLTypeName type(StructField field) {
    DataType type = field.dataType();
    if (type.equals(DataTypes.StringType)) {
      return StandardSQLTypeName.STRING;
    } else if (type.equals(DataTypes.IntegerType) || type.equals(DataTypes.LongType)
        || type.equals(DataTypes.ShortType) || type.equals(DataTypes.ByteType)) {
      return StandardSQLTypeName.INT64;
    } else if (type.equals(DataTypes.DoubleType) || type.equals(DataTypes.FloatType)) {
      return StandardSQLTypeName.FLOAT64;
    } else if (type.equals(DataTypes.BooleanType)) {
      return StandardSQLTypeName.BOOL;
    } else if (type.equals(DataTypes.DateType)) {
      return StandardSQLTypeName.DATE;
    } else if (type.equals(DataTypes.TimestampType)) {
      return StandardSQLTypeName.TIMESTAMP;
    } else if (type instanceof DecimalType decimal) {
      return decimal.precision() - decimal.scale() <= 29 && decimal.scale() <= 9
          ? StandardSQLTypeName.NUMERIC : StandardSQLTypeName.BIGNUMERIC;
    }
    throw new IllegalArgumentException("column " + field.name() + " has type " + type.simpleString()
        + ", which the BigQuery sink does not publish");
  }

  /** The Spark type a BigQuery column reads back as. */
  static DataType sparkType(Field field) {
    return switch (field.getType().getStandardType()) {
      case INT64 -> DataTypes.LongType;
      case FLOAT64 -> DataTypes.DoubleType;
      case BOOL -> DataTypes.BooleanType;
      case DATE -> DataTypes.DateType;
      case TIMESTAMP -> DataTypes.TimestampType;
      case NUMERIC -> DataTypes.createDecimalType(38, 9);
      case STRING -> DataTypes.StringType;
      default -> throw new IllegalArgumentException("BigQuery column " + field.getName() + " has type "
          + field.getType() + ", which the BigQuery sink does not read");
    };
  }

  static StructType sparkSchema(Schema schema) {
    StructType struct = new StructType();
    for (Field field : schema.getFields()) {
      struct = struct.add(field.getName(), sparkType(field), true);
    }
    return struct;
  }

  static Row row(Schema schema, FieldValueList values) {
    List<Object> cells = new ArrayList<>();
    for (Field field : schema.getFields()) {
      FieldValue value = values.get(field.getName());
      cells.add(value.isNull() ? null : switch (field.getType().getStandardType()) {
        case INT64 -> value.getLongValue();
        case FLOAT64 -> value.getDoubleValue();
        case BOOL -> value.getBooleanValue();
        case DATE -> Date.valueOf(LocalDate.parse(value.getStringValue()));
        case TIMESTAMP -> Timestamp.from(Instant.EPOCH.plusNanos(value.getTimestampValue() * 1000));
        case NUMERIC -> new BigDecimal(value.getStringValue());
        default -> value.getStringValue();
      });
    }
    return RowFactory.create(cells.toArray());
  }
}
