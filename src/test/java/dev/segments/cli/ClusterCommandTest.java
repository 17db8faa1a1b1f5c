package dev.segments.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.segments.LocalSpark;
import dev.segments.SamplePipelineRun;
import dev.segments.SharedDatasets;
import dev.segments.cluster.KPrototypesModel;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `segment cluster` on a table a user brings: the iFood marketing table (2,240 customers, tab-separated, mixed
 * columns, 24 blank incomes), as it is on disk.
 */
class ClusterCommandTest {
  private static final Pattern SIZES = Pattern.compile("k=4 .*sizes=\\[([0-9, ]+)]");

  @TempDir Path temp;

  private static Path marketing() {
    return SharedDatasets.folder("retail/customer_personality").resolve("marketing_campaign.csv");
  }

  @Test
  void clustersAUsersTableAndWritesAssignmentsAndAModelThatPredictsThem() {
    Path output = temp.resolve("clusters");
    SamplePipelineRun.Result result = SamplePipelineRun.execute("cluster", "--input", marketing().toString(),
        "--delimiter", "\\t", "--k", "4", "--numeric", "Year_Birth,Recency,MntWines,MntMeatProducts",
        "--categorical", "Education,Marital_Status", "--init", "cao", "--output", output.toString(),
        "--master", "local[2]");

    assertEquals(0, result.exitCode(), result.printed());
    Matcher sizes = SIZES.matcher(result.printed());
    assertTrue(sizes.find(), result.printed());
    long[] clusterSizes = Arrays.stream(sizes.group(1).split(", ")).mapToLong(Long::parseLong).toArray();
    assertEquals(2240, Arrays.stream(clusterSizes).sum(), "every customer in a cluster");
    assertTrue(Arrays.stream(clusterSizes).allMatch(size -> size > 0), result.printed());

    Dataset<Row> assignments = LocalSpark.session().read().parquet(output.resolve("assignments").toString());
    assertEquals(2240, assignments.count());
    KPrototypesModel model = KPrototypesModel.load(output.resolve("model").toString());
    Dataset<Row> again = model.setPredictionCol("again").setDistanceCol("again_distance").transform(assignments);
    assertEquals(0, again.filter(functions.col("again").notEqual(functions.col("prediction"))).count(),
        "the saved model assigns the written rows as the command did");
  }

  @Test
  void aColumnWithBlanksIsAUsageErrorThatNamesIt() {
    SamplePipelineRun.Result result = SamplePipelineRun.execute("cluster", "--input", marketing().toString(),
        "--delimiter", "\\t", "--k", "4", "--numeric", "Year_Birth,Income", "--categorical", "Education",
        "--master", "local[2]");

    assertEquals(SegmentCli.EXIT_USAGE, result.exitCode(), result.printed());
    assertTrue(result.printed().contains("Income") && result.printed().contains("null"), result.printed());
  }
}
