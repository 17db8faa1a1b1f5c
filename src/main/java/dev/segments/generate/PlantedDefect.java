package dev.segments.generate;

/** A kind of bad row the generator plants, each breaking exactly one rule of the default data contract. */
public enum PlantedDefect {
  DUPLICATE_CUSTOMER_ID("customers", "a customer row repeating an earlier Customer_ID"),
  BLANK_CUSTOMER_ID("customers", "a customer row with a blank Customer_ID"),
  AGE_OUT_OF_RANGE("customers", "an Age under 16 or over 120"),
  AGE_NOT_A_NUMBER("customers", "an Age written in words"),
  INCOME_NOT_A_NUMBER("customers", "an Income of n/a"),
  DUPLICATE_POLICY_ID("sales", "a sales line repeating an earlier Policy_ID"),
  UNKNOWN_CUSTOMER("sales", "a Customer_ID that is in no customer row"),
  UNKNOWN_PRODUCT("sales", "a Product_ID that is in no product row"),
  QUARANTINED_CUSTOMER("sales", "a sale of a customer whose own row is bad"),
  BLANK_PREMIUM("sales", "a blank Premium"),
  PREMIUM_NOT_A_NUMBER("sales", "a Premium of TBC"),
  NEGATIVE_PREMIUM("sales", "a negative Premium"),
  FUTURE_DATE("sales", "a Purchase_Date years after the as-of date"),
  IMPOSSIBLE_DATE("sales", "a Purchase_Date of 30 February"),
  TWO_DIGIT_YEAR("sales", "a Purchase_Date with a two-digit year");

  private final String sheet;
  private final String description;

  PlantedDefect(String sheet, String description) {
    this.sheet = sheet;
    this.description = description;
  }

  /** The sheet the bad row is in. */
  public String sheet() {
    return sheet;
  }

  public String description() {
    return description;
  }
}
