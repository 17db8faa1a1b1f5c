package dev.segments.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import org.junit.jupiter.api.Test;

class DateResolverTest {

  private static LocalDate read(DateOrder order, String text) {
    DateResolver resolver = new DateResolver(order);
    assertTrue(resolver.resolve(text), () -> text + " rejected: " + resolver.problem());
    return LocalDate.ofEpochDay(resolver.epochDay());
  }

  private static DateResolver.Problem problem(DateOrder order, String text) {
    DateResolver resolver = new DateResolver(order);
    assertFalse(resolver.resolve(text), text + " accepted");
    return resolver.problem();
  }

  @Test
  void readsIsoWithAndWithoutTime() {
    assertEquals(LocalDate.of(2022, 3, 17), read(DateOrder.AUTO, "2022-03-17"));
    assertEquals(LocalDate.of(2022, 3, 7), read(DateOrder.AUTO, "2022/3/7"));
    assertEquals(LocalDate.of(2022, 3, 17), read(DateOrder.AUTO, "2022-03-17T10:30:00Z"));
    assertEquals(LocalDate.of(2022, 3, 17), read(DateOrder.AUTO, "2022-03-17 10:30"));
    assertEquals(LocalDate.of(2022, 3, 17), read(DateOrder.AUTO, "2022-03-17T10:30:00.123+01:00"));
  }

  @Test
  void readsSheetSerialNumbers() {
    // 1899-12-30 is day 0 of a sheet; 2023-01-01 is 44927 days later (worked out with java.time, not the resolver).
    long serial = LocalDate.of(2023, 1, 1).toEpochDay() - LocalDate.of(1899, 12, 30).toEpochDay();
    assertEquals(44927, serial);
    assertEquals(LocalDate.of(2023, 1, 1), read(DateOrder.AUTO, "44927"));
    assertEquals(LocalDate.of(2023, 1, 1), read(DateOrder.AUTO, "44927.75"));
    assertEquals(DateResolver.Problem.OUT_OF_RANGE, problem(DateOrder.AUTO, "1"));
    assertEquals(LocalDate.of(1900, 1, 5), read(DateOrder.AUTO, "6"));
    assertEquals(DateResolver.Problem.OUT_OF_RANGE, problem(DateOrder.AUTO, "99999999"));
  }

  @Test
  void unambiguousSlashDatesIgnoreTheColumnOrder() {
    for (DateOrder order : DateOrder.values()) {
      assertEquals(LocalDate.of(2007, 4, 14), read(order, "14/04/2007"));
      assertEquals(LocalDate.of(2022, 3, 17), read(order, "3/17/2022"));
      assertEquals(LocalDate.of(2022, 1, 22), read(order, "22.01.2022"));
      assertEquals(LocalDate.of(2021, 9, 16), read(order, "16-09-2021"));
    }
  }

  @Test
  void ambiguousSlashDatesFollowTheColumnOrder() {
    assertEquals(LocalDate.of(2022, 5, 4), read(DateOrder.MONTH_FIRST, "5/4/2022"));
    assertEquals(LocalDate.of(2022, 4, 5), read(DateOrder.DAY_FIRST, "5/4/2022"));
    assertEquals(LocalDate.of(2022, 5, 5), read(DateOrder.AUTO, "5/5/2022"));
    assertEquals(DateResolver.Problem.AMBIGUOUS, problem(DateOrder.AUTO, "5/4/2022"));
  }

  @Test
  void votesOnlyForUnambiguousSlashDates() {
    assertEquals(DateOrder.DAY_FIRST, DateResolver.unambiguousOrder("14/04/2007"));
    assertEquals(DateOrder.MONTH_FIRST, DateResolver.unambiguousOrder("3/17/2022"));
    for (String text : new String[] {"5/4/2022", "14/15/2022", "2022-03-17", "44927", "3/17/22", "soon"}) {
      assertEquals(DateOrder.AUTO, DateResolver.unambiguousOrder(text), text);
    }
  }

  @Test
  void rejectsDaysThatDoNotExist() {
    assertEquals(DateResolver.Problem.NO_SUCH_DAY, problem(DateOrder.AUTO, "31/02/2022"));
    assertEquals(DateResolver.Problem.NO_SUCH_DAY, problem(DateOrder.MONTH_FIRST, "2/29/2023"));
    assertEquals(LocalDate.of(2024, 2, 29), read(DateOrder.MONTH_FIRST, "2/29/2024"));
    assertEquals(DateResolver.Problem.NO_SUCH_DAY, problem(DateOrder.AUTO, "14/15/2022"));
    assertEquals(DateResolver.Problem.NO_SUCH_DAY, problem(DateOrder.AUTO, "2022-13-01"));
    assertEquals(DateResolver.Problem.OUT_OF_RANGE, problem(DateOrder.AUTO, "1/13/1850"));
  }

  @Test
  void rejectsTwoDigitYearsAndText() {
    assertEquals(DateResolver.Problem.TWO_DIGIT_YEAR, problem(DateOrder.MONTH_FIRST, "5/4/22"));
    for (String text : new String[] {"soon", "3/17", "3/17/2022/1", "3-17/2022", "2022-03-17 noon", "123/4/2022",
        "3/17/202", "Mar 17 2022"}) {
      assertEquals(DateResolver.Problem.NOT_A_DATE, problem(DateOrder.MONTH_FIRST, text), text);
    }
  }
}
