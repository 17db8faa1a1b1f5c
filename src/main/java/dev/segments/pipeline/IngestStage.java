package dev.segments.pipeline;

import dev.segments.ingest.ContractValidator;
import dev.segments.ingest.DataContract;
import dev.segments.ingest.IngestResult;
import dev.segments.ingest.SheetContract;
import dev.segments.ingest.SheetSource;
import java.time.LocalDate;
import org.apache.spark.sql.SparkSession;

/**
 * The sheets in, before the features: every sheet of the contract read from the source and checked against the
 * contract. The night, {@code segment features --infer} and the scaling-quality bench all read through here, so they
 * see the same rows; the feature table is then {@link dev.segments.features.FeatureTableBuilder#build} of them.
 */
public final class IngestStage {
  private IngestStage() {}

  /** Every sheet of the contract, read and checked: the rows that pass every rule, and the quarantine. */
  public static IngestResult ingest(SparkSession spark, SheetSource source, DataContract contract, LocalDate asOf) {
    return ContractValidator.validate(source.read(spark, contract.sheets().stream().map(SheetContract::name)
        .toList()), contract, asOf);
  }
}
