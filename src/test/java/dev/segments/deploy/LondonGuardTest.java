package dev.segments.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The nightly's two UTC crons and scripts/london-guard.sh together run once a night at 22:00 in London. */
class LondonGuardTest {

  private static final ZoneId LONDON = ZoneId.of("Europe/London");
  private static final List<String> CRONS = nightlyCrons();

  private static List<String> nightlyCrons() {
    JsonNode nightly = WorkflowLint.load(ScriptProcess.REPO_ROOT.resolve(".github/workflows/nightly.yml"));
    List<String> crons = new ArrayList<>();
    nightly.path("on").path("schedule").forEach(entry -> crons.add(entry.path("cron").asText()));
    return crons;
  }

  private static Instant firing(LocalDate utcDay, String cron) {
    return utcDay.atTime(CronSchedule.dailyHour(cron), CronSchedule.dailyMinute(cron)).toInstant(ZoneOffset.UTC);
  }

  private static boolean expectedRun(Instant firing) {
    return firing.atZone(LONDON).getHour() == 22;
  }

  private static ScriptProcess guard(String... args) {
    List<String> command = new ArrayList<>(List.of("bash", "scripts/london-guard.sh"));
    command.addAll(List.of(args));
    return ScriptProcess.run(command, Map.of());
  }

  @ParameterizedTest(name = "clocks change on {0}")
  @ValueSource(strings = {"2026-03-29", "2026-10-25", "2027-03-28", "2027-10-31"})
  void exactlyOneFiringRunsEachLondonDayAroundAClockChange(String changeDay) {
    LocalDate change = LocalDate.parse(changeDay);
    // The dates must really be clock changes, or this test proves nothing about them.
    ZonedDateTime morning = change.atStartOfDay(LONDON);
    assertNotEquals(LONDON.getRules().getOffset(morning.toInstant()),
        LONDON.getRules().getOffset(morning.plusHours(6).toInstant()), changeDay + " is not a clock change");

    for (LocalDate day = change.minusDays(1); !day.isAfter(change.plusDays(1)); day = day.plusDays(1)) {
      List<Instant> ran = new ArrayList<>();
      for (String cron : CRONS) {
        Instant firing = firing(day, cron);
        ScriptProcess onTime = guard(firing.toString());
        assertEquals(expectedRun(firing) ? 0 : 1, onTime.exitCode(), firing + ": " + onTime);
        assertEquals(Boolean.toString(expectedRun(firing)), onTime.outputValue("run"), firing + ": " + onTime);
        assertEquals(firing.atZone(LONDON).toLocalDate().toString(), onTime.outputValue("as_of"));

        // GitHub may start a scheduled run late; with --cron the guard judges the firing, not the start.
        ScriptProcess late = guard("--cron", cron, firing.plus(Duration.ofMinutes(95)).toString());
        assertEquals(onTime.exitCode(), late.exitCode(), firing + " started late: " + late);
        assertEquals(onTime.outputValue("as_of"), late.outputValue("as_of"), firing + " started late");
        if (onTime.exitCode() == 0) {
          ran.add(firing);
        }
      }
      assertEquals(1, ran.size(), day + " ran " + ran);
      assertEquals(LocalTime.of(22, 0), ran.get(0).atZone(LONDON).toLocalTime(), day + " ran " + ran);
      assertEquals(day, ran.get(0).atZone(LONDON).toLocalDate());
    }
  }

  @Test
  void theTwoCronsCoverEveryNightOfFiveYearsOnce() {
    assertEquals(2, CRONS.size(), "nightly crons " + CRONS);
    for (LocalDate day = LocalDate.of(2026, 1, 1); day.getYear() < 2031; day = day.plusDays(1)) {
      LocalDate utcDay = day;
      long at22 = CRONS.stream().map(cron -> firing(utcDay, cron)).filter(LondonGuardTest::expectedRun).count();
      assertEquals(1, at22, "firings at 22:00 London on " + day);
    }
  }

  @Test
  void aLateStartAfterMidnightStillRunsForTheEveningItWasDue() {
    ScriptProcess late = guard("--cron", "0 22 * * *", "2026-12-01T01:30:00Z");
    assertEquals(0, late.exitCode(), late.toString());
    assertEquals("2026-11-30", late.outputValue("as_of"));
    assertTrue(late.stderr().contains("22:00 GMT"), late.stderr());
  }

  @ParameterizedTest
  @ValueSource(strings = {"not-a-date", "--cron=0 21 * * *", "--bogus"})
  void badInputIsAUsageErrorNotASkip(String argument) {
    ScriptProcess result = guard(argument);
    assertEquals(2, result.exitCode(), result.toString());
    assertTrue(result.stderr().contains("london-guard"), result.stderr());
  }

  @Test
  void aCronWithoutAFixedHourIsRejected() {
    ScriptProcess result = guard("--cron", "0 */2 * * *", "2026-06-01T21:00:00Z");
    assertEquals(2, result.exitCode(), result.toString());
  }
}
