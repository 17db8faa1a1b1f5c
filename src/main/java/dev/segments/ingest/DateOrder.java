package dev.segments.ingest;

/**
 * How slash-separated dates such as {@code 5/4/2022} are read when both the first and second parts could be the
 * month. A value whose first part is over 12 ({@code 14/04/2007}) or whose second part is over 12
 * ({@code 3/17/2022}) can be read one way only and is read that way whatever this says.
 */
public enum DateOrder {
  /** Take the order of the column's unambiguous values (the majority); with none, ambiguous values are quarantined. */
  AUTO,
  /** Month first, as in the United States: {@code 5/4/2022} is 4 May 2022. */
  MONTH_FIRST,
  /** Day first, as in the United Kingdom: {@code 5/4/2022} is 5 April 2022. */
  DAY_FIRST
}
