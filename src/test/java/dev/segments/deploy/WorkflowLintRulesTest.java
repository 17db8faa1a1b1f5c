package dev.segments.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The lint catches each mistake it claims to, so a clean result on our workflows means something. */
class WorkflowLintRulesTest {

  private static final String GOOD = """
      on: push
      jobs:
        build:
          runs-on: ubuntu-24.04
          steps:
            - uses: actions/checkout@v4
            - id: first
              run: echo "x=1" >> "$GITHUB_OUTPUT"
            - if: steps.first.outputs.x == '1' && always()
              run: echo "${{ steps.first.outputs.x }} ${{ github.sha }} ${{ format('{0}', vars.A) }}"
      """;

  private static List<String> problems(String yaml) {
    return WorkflowLint.problems(WorkflowLint.parse(yaml));
  }

  private static void assertFlagged(String yaml, String expectedFragment) {
    List<String> problems = problems(yaml);
    assertTrue(problems.stream().anyMatch(p -> p.contains(expectedFragment)),
        "expected a problem containing '" + expectedFragment + "', got " + problems);
  }

  @Test
  void aCorrectWorkflowHasNoProblems() {
    assertEquals(List.of(), problems(GOOD));
  }

  @Test
  void missingTriggersJobsRunnerAndSteps() {
    assertFlagged(GOOD.replace("on: push", "name: x"), "no 'on' triggers");
    assertFlagged("on: push\njobs: {}\n", "no jobs");
    assertFlagged(GOOD.replace("runs-on: ubuntu-24.04", "timeout-minutes: 5"), "has no runs-on");
    assertFlagged("on: push\njobs:\n  a:\n    runs-on: x\n    steps: []\n", "has no steps");
  }

  @Test
  void aStepNeedsExactlyOneOfUsesAndRun() {
    assertFlagged(GOOD.replace("- uses: actions/checkout@v4", "- uses: actions/checkout@v4\n        run: ls"),
        "exactly one of");
    assertFlagged(GOOD.replace("- uses: actions/checkout@v4", "- name: nothing"), "exactly one of");
  }

  @ParameterizedTest
  @ValueSource(strings = {"actions/checkout@main", "actions/checkout", "actions/checkout@latest"})
  void unpinnedActionsAreFlagged(String action) {
    assertFlagged(GOOD.replace("actions/checkout@v4", action), "not pinned");
  }

  @ParameterizedTest
  @ValueSource(strings = {"actions/checkout@v4.2.1", "actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683",
      "github/codeql-action/init@v3", "./.github/actions/local"})
  void pinnedActionsPass(String action) {
    assertEquals(List.of(), problems(GOOD.replace("actions/checkout@v4", action)));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "${{ secret.TOKEN }}|unknown context 'secret'",
      "${{ steps.later.outputs.x }}|step 'later'",
      "${{ steps.first.outputs.x }} ${{ needs.other.outputs.y }}|needs.other",
      "${{ toJson(github) }}|unknown function 'toJson'",
      "${{ github.sha|unclosed"})
  void badExpressionsAreFlagged(String expression, String expectedFragment) {
    assertFlagged(GOOD.replace("${{ github.sha }}", expression), expectedFragment);
  }

  @Test
  void aStepCannotReadItsOwnOrALaterStepsOutputs() {
    assertFlagged(GOOD.replace("- id: first\n        run:", "- id: first\n        if: steps.first.outputs.x\n        run:"),
        "step 'first'");
    assertFlagged(GOOD.replace("- if: steps.first", "- if: steps.second"), "step 'second'");
  }

  @Test
  void theStepsContextIsNotAvailableAtJobLevel() {
    assertFlagged(GOOD.replace("runs-on: ubuntu-24.04", "runs-on: ubuntu-24.04\n    if: steps.first.outputs.x"),
        "not available");
  }

  @Test
  void quotedTextIsNotMistakenForAContext() {
    assertEquals(List.of(), problems(GOOD.replace("${{ github.sha }}", "${{ github.ref == 'refs/heads/nope.x' }}")));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "0 21 * * *|",
      "*/15 9-17 * * MON-FRI|",
      "0 0 1,15 JAN,jul 0|",
      "0 21 * *|has 4 fields",
      "60 21 * * *|outside 0-59",
      "0 24 * * *|outside 0-23",
      "0 21 0 * *|outside 1-31",
      "0 21 * 13 *|outside 1-12",
      "0 21 * * 7|outside 0-6",
      "0 21-3 * * *|runs backwards",
      "*/0 * * * *|step 0",
      "0 21 * * ?|not a value"})
  void cronExpressionsAreChecked(String cron, String expectedFragment) {
    List<String> problems = CronSchedule.problems(cron);
    if (expectedFragment == null) {
      assertEquals(List.of(), problems);
    } else {
      assertTrue(problems.stream().anyMatch(p -> p.contains(expectedFragment)), cron + " -> " + problems);
    }
    String workflow = "on:\n  schedule:\n    - cron: \"" + cron + "\"\n" + GOOD.substring(GOOD.indexOf("jobs:"));
    assertEquals(expectedFragment == null, problems(workflow).isEmpty(), cron + " -> " + problems(workflow));
  }
}
