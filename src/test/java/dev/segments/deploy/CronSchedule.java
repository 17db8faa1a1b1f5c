package dev.segments.deploy;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** POSIX cron as GitHub reads it: five fields, each a list of values, ranges and steps within its bounds. */
final class CronSchedule {

  private record Field(String name, int min, int max, List<String> names) {
  }

  private static final List<Field> FIELDS = List.of(
      new Field("minute", 0, 59, List.of()),
      new Field("hour", 0, 23, List.of()),
      new Field("day of month", 1, 31, List.of()),
      new Field("month", 1, 12,
          List.of("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC")),
      new Field("day of week", 0, 6, List.of("SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT")));

  private static final Pattern ITEM = Pattern.compile("(\\*|(\\w+)(?:-(\\w+))?)(?:/(\\d+))?");

  private CronSchedule() {
  }

  /** What is wrong with the expression; empty when GitHub would accept it. */
  static List<String> problems(String expression) {
    String[] parts = expression.trim().split("\\s+");
    if (parts.length != FIELDS.size()) {
      return List.of("cron '" + expression + "' has " + parts.length + " fields, expected 5");
    }
    List<String> problems = new ArrayList<>();
    for (int i = 0; i < parts.length; i++) {
      Field field = FIELDS.get(i);
      for (String item : parts[i].split(",", -1)) {
        String problem = itemProblem(field, item);
        if (problem != null) {
          problems.add("cron '" + expression + "' " + field.name() + ": " + problem);
        }
      }
    }
    return problems;
  }

  private static String itemProblem(Field field, String item) {
    Matcher m = ITEM.matcher(item);
    if (!m.matches()) {
      return "'" + item + "' is not a value, range or step";
    }
    if (m.group(4) != null && Integer.parseInt(m.group(4)) == 0) {
      return "step 0 in '" + item + "'";
    }
    if (m.group(2) == null) {
      return null;
    }
    Integer low = value(field, m.group(2));
    Integer high = m.group(3) == null ? low : value(field, m.group(3));
    if (low == null || high == null) {
      return "'" + item + "' is outside " + field.min() + "-" + field.max();
    }
    return low <= high ? null : "range '" + item + "' runs backwards";
  }

  private static Integer value(Field field, String token) {
    int named = field.names().indexOf(token.toUpperCase(Locale.ROOT));
    if (named >= 0) {
      return field.min() + named;
    }
    if (!token.chars().allMatch(Character::isDigit)) {
      return null;
    }
    int value = Integer.parseInt(token);
    return value >= field.min() && value <= field.max() ? value : null;
  }

  /** The UTC hour of a cron that fires once a day at a fixed minute and hour. */
  static int dailyHour(String expression) {
    String[] parts = expression.trim().split("\\s+");
    if (!problems(expression).isEmpty() || !parts[0].matches("\\d+") || !parts[1].matches("\\d+")
        || !(parts[2] + parts[3] + parts[4]).equals("***")) {
      throw new IllegalArgumentException("not a fixed daily cron: " + expression);
    }
    return Integer.parseInt(parts[1]);
  }

  static int dailyMinute(String expression) {
    dailyHour(expression);
    return Integer.parseInt(expression.trim().split("\\s+")[0]);
  }
}
