package dev.segments.ingest;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What is masked as an e-mail address or phone number, and what the contract's own values never are. No Spark. */
class PersonalDataPatternTest {

  @Test
  void eMailAddressesAndPhoneNumbersAreFoundWhereverTheyAreTyped() {
    for (String personal : List.of("jo.bloggs@example.com", "Male,Leeds,jo@mail.co.uk,x", "+44 7700 900123",
        "07700 900123", "(020) 7946 0018", "0161-496-0000", "+1.555.010.9999", "call 07700900123 after 6")) {
      assertTrue(PersonalDataPattern.looksPersonal(personal), personal);
    }
  }

  @Test
  void aCellOfMillionsOfNameCharactersIsReadInLinearTime() {
    // A hang guard, not a speed test: the e-mail regular expression this replaced took hours on such a cell.
    String names = "a.b-c_d".repeat(5_000_000 / 7);
    assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
      assertFalse(PersonalDataPattern.looksPersonal(names));
      assertFalse(PersonalDataPattern.looksPersonal(names + "@" + names));
      assertFalse(PersonalDataPattern.looksPersonal("@a.b".repeat(1_250_000)));
      assertFalse(PersonalDataPattern.looksPersonal("+0 1 2 3 4 5 6 7 x".repeat(250_000)));
      assertTrue(PersonalDataPattern.looksPersonal(names + " jo@example.com"));
    });
  }

  @Test
  void aDomainNeedsNonEmptyLabelsAndALetterEnding() {
    for (String value : List.of("a@b", "a@.com", "a@b..com", "@example.com", "a@b.c", "a@b.c1m", "x @b.com")) {
      assertFalse(PersonalDataPattern.looksPersonal(value), value);
    }
    for (String value : List.of("a@b.com", "a@b-c.d.co", "a@b@c.uk", "a@b.c..uk x@y.org", "1@2.io")) {
      assertTrue(PersonalDataPattern.looksPersonal(value), value);
    }
  }

  @Test
  void datesAmountsKeysAndCategoriesAreNot() {
    for (String value : List.of("14/04/2007", "3/17/2022", "2022-03-17", "44927", "£1,234,567.89", "281870.34",
        "1234567890.5", "HL00042", "P000001", "POL200003", "0.5", "-0.000123", "Bachelor's Degree", "Email",
        "Anytime", "Weekends", "01/02/2020")) {
      assertFalse(PersonalDataPattern.looksPersonal(value), value);
    }
  }
}
