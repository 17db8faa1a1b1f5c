package dev.segments.ingest;

import static dev.segments.ingest.ColumnType.CATEGORY;
import static dev.segments.ingest.ColumnType.DATE;
import static dev.segments.ingest.ColumnType.DECIMAL;
import static dev.segments.ingest.ColumnType.INTEGER;
import static dev.segments.ingest.ColumnType.LABEL;
import static dev.segments.ingest.ColumnType.STRING;

import java.util.List;
import java.util.Objects;

/**
 * The data contract of the three sheets: which columns each must have, their types and rules, and the sales
 * columns the pipeline gives a meaning to. Every name is configurable, so another business's layout fits by
 * configuration alone; {@link #defaultLayout()} is the insurer's policy book the project was built for.
 *
 * @param customers the customers sheet
 * @param products the products sheet
 * @param sales the sales sheet; it references customers and products
 * @param salesDate the sales column holding the purchase date
 * @param salesAmount the sales column holding the sale's amount (premium, order value)
 * @param dateOrder how ambiguous slash dates are read
 * @param maxQuarantineShare a run fails when more than this share of any sheet's rows is quarantined
 * @param maxRowDrop a run fails when a sheet keeps more than this share fewer rows than the previous run kept
 * @param personalColumns columns that hold personal data: never features, never logged, never in outputs
 */
public record DataContract(
    SheetContract customers,
    SheetContract products,
    SheetContract sales,
    String salesDate,
    String salesAmount,
    DateOrder dateOrder,
    double maxQuarantineShare,
    double maxRowDrop,
    List<String> personalColumns) {

  public static final String CUSTOMERS = "customers";
  public static final String PRODUCTS = "products";
  public static final String SALES = "sales";

  public DataContract {
    Objects.requireNonNull(customers, "customers sheet");
    Objects.requireNonNull(products, "products sheet");
    Objects.requireNonNull(sales, "sales sheet");
    Objects.requireNonNull(dateOrder, "date order");
    personalColumns = List.copyOf(personalColumns);
    if (!(maxQuarantineShare >= 0 && maxQuarantineShare <= 1)) {
      throw new IllegalArgumentException("max quarantine share must be within 0..1, got " + maxQuarantineShare);
    }
    if (!(maxRowDrop >= 0 && maxRowDrop <= 1)) {
      throw new IllegalArgumentException("max row drop must be within 0..1, got " + maxRowDrop);
    }
    requireColumn(sales, salesDate, DATE);
    requireColumn(sales, salesAmount, DECIMAL);
    sales.columnReferencing(CUSTOMERS);
    sales.columnReferencing(PRODUCTS);
  }

  private static void requireColumn(SheetContract sheet, String column, ColumnType type) {
    ColumnRule rule = sheet.column(column).orElseThrow(() -> new IllegalArgumentException(
        "sheet '" + sheet.name() + "' has no column '" + column + "'"));
    if (rule.type() != type) {
      throw new IllegalArgumentException(
          "column '" + column + "' of sheet '" + sheet.name() + "' must be of type " + type + ", not " + rule.type());
    }
  }

  public List<SheetContract> sheets() {
    return List.of(customers, products, sales);
  }

  public SheetContract sheet(String role) {
    return sheets().stream()
        .filter(s -> s.role().equals(role))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no sheet with role " + role));
  }

  /** The insurer's layout described in the README ("Data contract"); the bundled sample data follows it. */
  public static DataContract defaultLayout() {
    SheetContract customers = new SheetContract(CUSTOMERS, "customers", "Customer_ID", List.of(
        ColumnRule.of("Customer_ID", STRING).asRequired(),
        ColumnRule.of("Age", INTEGER).between(16.0, 120.0),
        ColumnRule.of("Income", DECIMAL).between(0.0, null),
        ColumnRule.of("Gender", CATEGORY),
        ColumnRule.of("City", CATEGORY),
        ColumnRule.of("Marital_Status", CATEGORY),
        ColumnRule.of("Education", CATEGORY),
        ColumnRule.of("Occupation", CATEGORY),
        ColumnRule.of("Preferred_Language", CATEGORY),
        ColumnRule.of("Preferred_Channel", CATEGORY),
        ColumnRule.of("Preferred_Time", CATEGORY)), 10);
    SheetContract products = new SheetContract(PRODUCTS, "products", "Product_ID", List.of(
        ColumnRule.of("Product_ID", STRING).asRequired(),
        ColumnRule.of("Product_Name", LABEL),
        ColumnRule.of("Product_Type", CATEGORY).asRequired(),
        ColumnRule.of("Category", CATEGORY).asRequired()), 1);
    SheetContract sales = new SheetContract(SALES, "sales", "Policy_ID", List.of(
        ColumnRule.of("Policy_ID", STRING).asRequired(),
        ColumnRule.of("Customer_ID", STRING).asRequired().referencing(CUSTOMERS),
        ColumnRule.of("Product_ID", STRING).asRequired().referencing(PRODUCTS),
        ColumnRule.of("Purchase_Date", DATE).asRequired().withNoDateAfterRun(),
        ColumnRule.of("Premium", DECIMAL).asRequired().asPositive(),
        ColumnRule.of("Coverage", DECIMAL).asPositive()), 1);
    return new DataContract(customers, products, sales, "Purchase_Date", "Premium", DateOrder.AUTO, 0.05, 0.5,
        List.of("Name", "Full_Name", "First_Name", "Last_Name", "Email", "E_mail", "Phone", "Mobile", "Address",
            "Postcode", "Post_Code"));
  }
}
