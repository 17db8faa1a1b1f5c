package dev.segments.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import dev.segments.LocalSpark;
import dev.segments.SamplePipelineRun;
import dev.segments.ingest.SampleCopy;
import dev.segments.sink.LocalWarehouse;
import dev.segments.sink.Warehouse;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What `segment run` does when it cannot or should not replace the published segments (issue 13): each failure
 * stops early with one line and its exit code, and leaves the outputs as they were. None of these runs clusters.
 */
class RunReliabilityTest {
  @TempDir Path temp;

  private static void assertOneLine(SamplePipelineRun.Result result) {
    assertFalse(result.printed().contains("\tat "), "no stack trace:\n" + result.printed());
    assertEquals(1, result.printed().strip().lines().count(), result.printed());
  }

  @Test
  void aMissingInputFolderIsBadUsage() {
    SamplePipelineRun.Result result = SamplePipelineRun.execute(
        SamplePipelineRun.args(temp.resolve("no-such-folder"), temp.resolve("out"), SamplePipelineRun.AS_OF));
    assertEquals(SegmentCli.EXIT_USAGE, result.exitCode(), result.printed());
    assertEquals("Config error: the input folder " + temp.resolve("no-such-folder") + " does not exist or is not a"
        + " folder (key input, flag --input)", result.printed().strip());
  }

  @Test
  void anOutputThatCannotBeWrittenStopsTheRunAtTheStart() throws IOException {
    Path file = Files.writeString(temp.resolve("a-file"), "not a folder");
    SamplePipelineRun.Result result = SamplePipelineRun.execute(
        SamplePipelineRun.args(SampleCopy.SAMPLE, file.resolve("out"), SamplePipelineRun.AS_OF));
    assertEquals(SegmentCli.EXIT_USAGE, result.exitCode(), result.printed());
    assertTrue(result.printed().startsWith("Output error: the output folder " + file.resolve("out")
        + " cannot be written"), result.printed());
    assertOneLine(result);
  }

  @Test
  void aReadOnlyOutputFolderStopsTheRunAtTheStart() throws IOException {
    Path out = Files.createDirectories(temp.resolve("read-only"));
    Files.setPosixFilePermissions(out, PosixFilePermissions.fromString("r-xr-xr-x"));
    try {
      assumeFalse(Files.isWritable(out), "the tests run as root, who may write to a read-only folder");
      SamplePipelineRun.Result result = SamplePipelineRun.execute(
          SamplePipelineRun.args(SampleCopy.SAMPLE, out, SamplePipelineRun.AS_OF));
      assertEquals(SegmentCli.EXIT_USAGE, result.exitCode(), result.printed());
      assertTrue(result.printed().startsWith("Output error: the output folder " + out + " cannot be written"),
          result.printed());
      assertOneLine(result);
    } finally {
      Files.setPosixFilePermissions(out, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
  }

  @Test
  void aSecondRunOnTheSameOutputIsRefusedAtOnce() {
    Path out = temp.resolve("out");
    try (Warehouse.Reservation first = new LocalWarehouse(out, LocalSpark.session()).reserve()) {
      SamplePipelineRun.Result second = SamplePipelineRun.execute(
          SamplePipelineRun.args(SampleCopy.SAMPLE, out, SamplePipelineRun.AS_OF));
      assertEquals(SegmentCli.EXIT_FAILURE, second.exitCode(), second.printed());
      assertEquals("Run refused: another run is using the output folder " + out + " (it holds .publish.lock);"
          + " wait for it to finish, or choose another folder with --output", second.printed().strip());
    }
  }

  @Test
  void aHeaderOnlySalesSheetStopsTheRunAndLeavesCurrentAlone() throws IOException {
    SampleCopy input = SampleCopy.into(temp.resolve("input"));
    input.write("sales", input.lines("sales").subList(0, 1));
    Path output = RunCommandTest.copyOfOutputs(SamplePipelineRun.output(), temp.resolve("out"));
    Map<String, String> before = RunCommandTest.snapshot(output);

    SamplePipelineRun.Result result = SamplePipelineRun.execute(
        SamplePipelineRun.args(input.folder(), output, "2025-12-16"));

    assertEquals(SegmentCli.EXIT_CONTRACT, result.exitCode(), result.printed());
    assertTrue(result.printed().contains("sheet 'sales' kept 0 rows (0 read), fewer than its minimum of 1"
        + " (contract.sales.min_rows)"), result.printed());
    assertEquals(before, RunCommandTest.snapshot(output), "current and every version are as they were");
  }

  @Test
  void aSalesSheetFarShorterThanThePreviousRunsStopsTheRun() throws IOException {
    SampleCopy input = SampleCopy.into(temp.resolve("input"));
    List<String> sales = input.lines("sales");
    input.write("sales", sales.subList(0, sales.size() * 3 / 10));
    Path output = RunCommandTest.copyOfOutputs(SamplePipelineRun.output(), temp.resolve("out"));
    Map<String, String> before = RunCommandTest.snapshot(output);

    SamplePipelineRun.Result result = SamplePipelineRun.execute(
        SamplePipelineRun.args(input.folder(), output, "2025-12-16"));

    assertEquals(SegmentCli.EXIT_CONTRACT, result.exitCode(), result.printed());
    assertTrue(result.printed().matches("(?s).*sheet 'sales' kept \\d+ rows, 7\\d\\.\\d% fewer than the \\d+ of the"
        + " previous run; more than contract.max_row_drop \\(50%\\) allows.*"), result.printed());
    assertEquals(before, RunCommandTest.snapshot(output));
  }

  @Test
  void oneCustomerOrCustomersAllAlikeAreAnInputError() throws IOException {
    SampleCopy input = SampleCopy.into(temp.resolve("one"));
    List<String> customers = input.lines("customers");
    String onlyCustomer = customers.get(1).split(",")[0];
    input.write("customers", customers.subList(0, 2));
    List<String> sales = new ArrayList<>(input.lines("sales").stream()
        .filter(line -> line.startsWith("Policy_ID") || line.split(",")[1].equals(onlyCustomer)).toList());
    input.write("sales", sales);
    SamplePipelineRun.Result one = SamplePipelineRun.execute(SamplePipelineRun.args(input.folder(),
        temp.resolve("out"), SamplePipelineRun.AS_OF, "--set", "contract.customers.min_rows=1"));
    assertEquals(SegmentCli.EXIT_CONTRACT, one.exitCode(), one.printed());
    assertEquals("Input error: the input has 1 customer; 2 segments need at least 2 customers that differ"
        + " (clustering.k_min or k)", one.printed().strip());

    List<String> alike = new ArrayList<>(List.of(customers.get(0)));
    for (int i = 0; i < 12; i++) {
      alike.add("TWIN" + i + customers.get(1).substring(customers.get(1).indexOf(',')));
    }
    input.write("customers", alike).write("sales", List.of(sales.get(0)));
    SamplePipelineRun.Result twins = SamplePipelineRun.execute(SamplePipelineRun.args(input.folder(),
        temp.resolve("out"), SamplePipelineRun.AS_OF, "--set", "contract.sales.min_rows=0"));
    assertEquals(SegmentCli.EXIT_CONTRACT, twins.exitCode(), twins.printed());
    assertEquals("Input error: the input has 12 customers but only 1 distinct in their features; 2 segments need at"
        + " least 2 customers that differ (clustering.k_min or k)", twins.printed().strip());
  }
}
