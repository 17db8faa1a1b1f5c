package dev.segments.generate;

import dev.segments.generate.ProductCatalogue.Product;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes sample sheets in the default layout: {@code customers.csv}, {@code products.csv} and {@code sales.csv},
 * with the seed business's headers (products fully quoted, as its export is). Customers come from the planted
 * {@link CustomerGroup}s; every customer of the first {@code sales} lines gets one policy, further lines go to
 * customers by their group's policy weight. Purchase dates are mostly {@code M/D/YYYY}, with a few unambiguous
 * {@code DD/MM/YYYY} ({@code 14/04/2007}) and ISO dates, and a few premiums written {@code £1,204.50}: all valid.
 *
 * <p>On top of the good rows, a share of bad rows ({@link GeneratorOptions#badShare()}) is spread evenly through the
 * customers and sales files, cycling through the {@link PlantedDefect} kinds; each breaks exactly one rule. Products
 * are all good: one bad product among twenty would already be 5 % of that sheet.
 *
 * <p>The same options give byte-identical files ({@link SplittableRandom} from the seed, no clock, no hash order).
 * Rows are streamed through a buffered writer: memory is a few bytes per customer, whatever the number of sales.
 */
public final class SheetGenerator {
  private static final Logger LOG = LoggerFactory.getLogger(SheetGenerator.class);

  static final String CUSTOMERS_HEADER = "Customer_ID,Age,Gender,City,Marital_Status,Education,Occupation,Income,"
      + "Preferred_Language,Preferred_Channel,Preferred_Time";
  static final String PRODUCTS_HEADER = "\"Product_ID\",\"Product_Name\",\"Product_Type\",\"Category\"";
  static final String SALES_HEADER = "Policy_ID,Customer_ID,Product_ID,Purchase_Date,Premium,Coverage";
  /** Each good customer's planted group (not a sheet: the pipeline never reads it), when asked for. */
  public static final String GROUPS_FILE = "customer_groups.csv";
  static final String GROUPS_HEADER = "Customer_ID,group";

  private static final WeightedChoice GENDER = WeightedChoice.uniform("Male", "Female");
  private static final WeightedChoice CITY = WeightedChoice.of("London", 720, "Manchester", 440, "Birmingham", 340,
      "Liverpool", 270, "Leeds", 200, "Glasgow", 170, "Bristol", 170, "Sheffield", 170, "Leicester", 140,
      "Edinburgh", 130, "Stoke-on-Trent", 80, "Portsmouth", 70, "Southampton", 70, "Coventry", 70, "Belfast", 70,
      "Nottingham", 70, "Newcastle upon Tyne", 70, "Cardiff", 65, "Bradford", 60, "Kingston upon Hull", 60);
  private static final WeightedChoice LANGUAGE = WeightedChoice.of("English", 2480, "French", 275, "Spanish", 205,
      "Panjabi", 170, "Chinese", 100, "Urdu", 60, "Portuguese", 60, "Arabic", 50, "Romanian", 40);
  private static final List<PlantedDefect> CUSTOMER_DEFECTS = List.of(PlantedDefect.DUPLICATE_CUSTOMER_ID,
      PlantedDefect.AGE_OUT_OF_RANGE, PlantedDefect.BLANK_CUSTOMER_ID, PlantedDefect.AGE_NOT_A_NUMBER,
      PlantedDefect.INCOME_NOT_A_NUMBER);
  private static final List<PlantedDefect> SALES_DEFECTS = List.of(PlantedDefect.DUPLICATE_POLICY_ID,
      PlantedDefect.UNKNOWN_PRODUCT, PlantedDefect.NEGATIVE_PREMIUM, PlantedDefect.FUTURE_DATE,
      PlantedDefect.QUARANTINED_CUSTOMER, PlantedDefect.BLANK_PREMIUM, PlantedDefect.UNKNOWN_CUSTOMER,
      PlantedDefect.IMPOSSIBLE_DATE, PlantedDefect.PREMIUM_NOT_A_NUMBER, PlantedDefect.TWO_DIGIT_YEAR);
  /** Bad customers whose sales are planted as {@link PlantedDefect#QUARANTINED_CUSTOMER}; a few are enough. */
  private static final int REMEMBERED_BAD_CUSTOMERS = 64;

  private final GeneratorOptions options;
  private final List<Product> products;
  private final CustomerGroup[] groups = CustomerGroup.PLANTED.toArray(CustomerGroup[]::new);
  private final WeightedChoice groupChoice;
  private final Map<PlantedDefect, Long> planted = new EnumMap<>(PlantedDefect.class);
  private final StringBuilder line = new StringBuilder(256);
  private char[] lineChars = new char[256];

  private byte[] groupOf;
  /** Each good customer's factor on income and premiums; null when {@link GeneratorOptions#skew()} is 0. */
  private float[] amountFactorOf;
  private double lastAmountFactor = 1;
  private int[] badCustomerNumbers;
  private int badCustomersKnown;

  private SheetGenerator(GeneratorOptions options) {
    this.options = options;
    this.products = ProductCatalogue.first(options.products());
    Object[] shares = new Object[groups.length * 2];
    for (int g = 0; g < groups.length; g++) {
      shares[2 * g] = String.valueOf(g);
      shares[2 * g + 1] = Math.pow(groups[g].share(), options.imbalance());
    }
    this.groupChoice = WeightedChoice.of(shares);
    for (PlantedDefect defect : PlantedDefect.values()) {
      planted.put(defect, 0L);
    }
  }

  /**
   * Writes the three sheets into {@code folder} (created if needed), replacing files of the same names. A file whose
   * writing fails (a full disk) is deleted, so no truncated sheet is left to be read as a whole one.
   *
   * @throws IllegalArgumentException when the files would not fit on the disk or the generator's tables in memory
   *     ({@link #requireRoom})
   */
  public static GenerationSummary generate(Path folder, GeneratorOptions options) throws IOException {
    requireRoom(folder, options);
    Files.createDirectories(folder);
    SheetGenerator generator = new SheetGenerator(options);
    SplittableRandom root = new SplittableRandom(options.seed());
    SplittableRandom customerRandom = root.split();
    SplittableRandom salesRandom = root.split();
    Map<String, Long> rows = new LinkedHashMap<>();
    rows.put("customers", whole(folder.resolve("customers.csv"), f -> generator.writeCustomers(f, customerRandom)));
    rows.put("products", whole(folder.resolve("products.csv"), generator::writeProducts));
    rows.put("sales", whole(folder.resolve("sales.csv"), f -> generator.writeSales(f, salesRandom)));
    if (options.writeGroups()) {
      whole(folder.resolve(GROUPS_FILE), f -> {
        generator.writeGroups(f);
        return 0L;
      });
    }
    GenerationSummary summary = new GenerationSummary(rows, generator.planted);
    LOG.info("wrote sample sheets to {}:\n{}", folder, summary.describe());
    return summary;
  }

  /** Upper estimates of the bytes one line of each file takes (the sample's lines average 92, 49 and 54). */
  private static final long CUSTOMER_LINE_BYTES = 120;
  private static final long PRODUCT_LINE_BYTES = 80;
  private static final long SALES_LINE_BYTES = 70;
  /** Upper estimates of the heap the generator holds per customer (group, factor, id) and per product (its record). */
  private static final long CUSTOMER_HEAP_BYTES = 16;
  private static final long PRODUCT_HEAP_BYTES = 300;

  /**
   * Refuses, before anything is written, sizes whose customer and product tables would not fit in the heap or whose
   * files would not fit in the free space of {@code folder}'s disk, naming the estimate and what there is.
   */
  public static void requireRoom(Path folder, GeneratorOptions options) throws IOException {
    double lines = 1 + options.badShare();
    double fileBytes = lines * options.customers() * CUSTOMER_LINE_BYTES + lines * options.sales() * SALES_LINE_BYTES
        + (double) options.products() * PRODUCT_LINE_BYTES
        + (options.writeGroups() ? (double) options.customers() * CUSTOMER_LINE_BYTES / 4 : 0);
    double heapBytes = lines * options.customers() * CUSTOMER_HEAP_BYTES
        + (double) options.products() * PRODUCT_HEAP_BYTES;
    long heap = Runtime.getRuntime().maxMemory();
    if (heapBytes > heap / 2.0) {
      throw new IllegalArgumentException(String.format(Locale.ROOT, "%,d customers and %,d products need about %s of"
          + " memory, more than half the heap (%s; SEGMENT_HEAP sets it); ask for fewer", options.customers(),
          options.products(), gigabytes(heapBytes), gigabytes(heap)));
    }
    Path existing = folder.toAbsolutePath();
    while (!Files.exists(existing)) {
      existing = existing.getParent();
    }
    long free = Files.getFileStore(existing).getUsableSpace();
    if (fileBytes > free) {
      throw new IllegalArgumentException(String.format(Locale.ROOT, "the files would take about %s and %s has %s"
          + " free; ask for fewer rows or write elsewhere", gigabytes(fileBytes), existing, gigabytes(free)));
    }
  }

  private static String gigabytes(double bytes) {
    return String.format(Locale.ROOT, "%.1f GB", bytes / 1e9);
  }

  private interface FileWrite {
    long write(Path file) throws IOException;
  }

  /** Writes one file; a failure deletes what it wrote, then goes on up. */
  private static long whole(Path file, FileWrite write) throws IOException {
    try {
      return write.write(file);
    } catch (IOException | RuntimeException | Error e) {
      try {
        Files.deleteIfExists(file);
      } catch (IOException cleanup) {
        e.addSuppressed(cleanup);
      }
      throw e;
    }
  }

  /** How many customer groups are planted. */
  public static int plantedGroups() {
    return CustomerGroup.PLANTED.size();
  }

  private void writeGroups(Path file) throws IOException {
    try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      out.write(GROUPS_HEADER);
      out.write('\n');
      for (int c = 0; c < groupOf.length; c++) {
        out.write(customerId(c + 1) + "," + groups[groupOf[c]].name() + "\n");
      }
    }
  }

  private long badRowsFor(long goodRows) {
    return Math.round(goodRows * options.badShare());
  }

  /** Where the j-th of {@code bad} bad rows goes among {@code total} lines: evenly spread, never first. */
  private static long badPosition(long j, long total, long bad) {
    return (j + 1) * total / (bad + 1);
  }

  private long writeCustomers(Path file, SplittableRandom random) throws IOException {
    int good = options.customers();
    long bad = badRowsFor(good);
    long total = good + bad;
    groupOf = new byte[good];
    amountFactorOf = options.skew() > 0 ? new float[good] : null;
    badCustomerNumbers = new int[REMEMBERED_BAD_CUSTOMERS];
    try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      out.write(CUSTOMERS_HEADER);
      out.write('\n');
      int goodWritten = 0;
      int badWritten = 0;
      for (long row = 0; row < total; row++) {
        line.setLength(0);
        int group = groupChoice.index(random);
        if (badWritten < bad && row == badPosition(badWritten, total, bad)) {
          PlantedDefect defect = CUSTOMER_DEFECTS.get(badWritten % CUSTOMER_DEFECTS.size());
          int freshNumber = good + 1 + badWritten;
          switch (defect) {
            case DUPLICATE_CUSTOMER_ID -> customer(customerId(goodWritten), group, null, null, random);
            case BLANK_CUSTOMER_ID -> customer("", group, null, null, random);
            case AGE_OUT_OF_RANGE -> customer(customerId(freshNumber), group,
                random.nextBoolean() ? "7" : "130", null, random);
            case AGE_NOT_A_NUMBER -> customer(customerId(freshNumber), group, "forty", null, random);
            case INCOME_NOT_A_NUMBER -> customer(customerId(freshNumber), group, null, "n/a", random);
            default -> throw new IllegalStateException(defect + " is not a customer defect");
          }
          if (defect != PlantedDefect.DUPLICATE_CUSTOMER_ID && defect != PlantedDefect.BLANK_CUSTOMER_ID
              && badCustomersKnown < REMEMBERED_BAD_CUSTOMERS) {
            badCustomerNumbers[badCustomersKnown++] = freshNumber;
          }
          planted.merge(defect, 1L, Long::sum);
          badWritten++;
        } else {
          groupOf[goodWritten] = (byte) group;
          goodWritten++;
          customer(customerId(goodWritten), group, null, null, random);
          if (amountFactorOf != null) {
            amountFactorOf[goodWritten - 1] = (float) lastAmountFactor;
          }
        }
        writeLine(out);
      }
    }
    return total;
  }

  private void customer(String id, int groupIndex, String ageText, String incomeText, SplittableRandom random) {
    CustomerGroup group = groups[groupIndex];
    line.append(id).append(',');
    int age = random.nextInt(group.minAge(), group.maxAge() + 1);
    if (ageText == null) {
      line.append(age);
    } else {
      line.append(ageText);
    }
    line.append(',').append(GENDER.pick(random))
        .append(',').append(CITY.pick(random))
        .append(',').append(group.maritalStatus().pick(random))
        .append(',').append(group.education().pick(random))
        .append(',').append(group.occupation().pick(random))
        .append(',');
    // No draw at skew 0, so the sample's files stay byte-identical.
    double skew = options.skew();
    lastAmountFactor = skew > 0 ? Math.exp(skew * random.nextGaussian() - skew * skew / 2) : 1;
    double income = random.nextDouble(group.minIncome(), group.maxIncome()) * lastAmountFactor;
    if (incomeText == null) {
      appendAmount(income, false);
    } else {
      line.append(incomeText);
    }
    line.append(',').append(LANGUAGE.pick(random))
        .append(',').append(group.channel().pick(random))
        .append(',');
    String time = group.time().pick(random);
    // A few customers never said when to call: a blank optional category, which is valid.
    if (random.nextDouble() >= 0.005) {
      line.append(time);
    }
  }

  private long writeProducts(Path file) throws IOException {
    try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      out.write(PRODUCTS_HEADER);
      out.write('\n');
      for (Product product : products) {
        out.write('"' + product.id() + "\",\"" + product.name() + "\",\"" + product.type() + "\",\""
            + product.category() + "\"\n");
      }
    }
    return products.size();
  }

  private long writeSales(Path file, SplittableRandom random) throws IOException {
    int customers = options.customers();
    long good = options.sales();
    long bad = badRowsFor(good);
    long total = good + bad;
    List<PlantedDefect> defects = new ArrayList<>(SALES_DEFECTS);
    if (badCustomersKnown == 0) {
      defects.remove(PlantedDefect.QUARANTINED_CUSTOMER);
    }
    int[][] members = membersByGroup();
    WeightedChoice policyHolderGroup = policyHolderGroups(members);
    WeightedChoice[] productByGroup = productChoices();
    long asOfDay = options.asOf().toEpochDay();

    try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      out.write(SALES_HEADER);
      out.write('\n');
      long goodWritten = 0;
      int badWritten = 0;
      for (long row = 0; row < total; row++) {
        line.setLength(0);
        int customer;
        if (goodWritten < customers) {
          customer = (int) goodWritten;
        } else {
          int[] group = members[policyHolderGroup.index(random)];
          customer = group[random.nextInt(group.length)];
        }
        CustomerGroup group = groups[groupOf[customer]];
        Product product = products.get(productByGroup[groupOf[customer]].index(random));
        double tenureYears = random.nextDouble(group.minTenureYears(), group.maxTenureYears());
        LocalDate date = LocalDate.ofEpochDay(asOfDay - (long) (tenureYears * 365.25));
        double premium = random.nextDouble(group.minPremium(), group.maxPremium())
            * (amountFactorOf == null ? 1 : amountFactorOf[customer]);
        double coverage = premium * random.nextDouble(60, 120);
        double formChoice = random.nextDouble();

        if (badWritten < bad && row == badPosition(badWritten, total, bad)) {
          PlantedDefect defect = defects.get(badWritten % defects.size());
          String policy = defect == PlantedDefect.DUPLICATE_POLICY_ID
              ? policyId(goodWritten) : policyId(good + 1 + badWritten);
          String customerId = switch (defect) {
            case UNKNOWN_CUSTOMER -> "ZZ" + padded(badWritten, 5);
            case QUARANTINED_CUSTOMER -> customerId(badCustomerNumbers[badWritten % badCustomersKnown]);
            default -> customerId(customer + 1);
          };
          line.append(policy).append(',').append(customerId).append(',')
              .append(defect == PlantedDefect.UNKNOWN_PRODUCT ? "POL9" + padded(badWritten, 5) : product.id())
              .append(',');
          switch (defect) {
            case FUTURE_DATE -> appendMonthFirst(LocalDate.ofEpochDay(asOfDay + random.nextInt(6 * 365, 9 * 365)));
            case IMPOSSIBLE_DATE -> line.append("2/30/").append(date.getYear());
            case TWO_DIGIT_YEAR -> line.append(date.getMonthValue()).append('/').append(date.getDayOfMonth())
                .append('/').append(padded(date.getYear() % 100, 2));
            default -> appendMonthFirst(date);
          }
          line.append(',');
          switch (defect) {
            case BLANK_PREMIUM -> { }
            case PREMIUM_NOT_A_NUMBER -> line.append("TBC");
            case NEGATIVE_PREMIUM -> {
              line.append('-');
              appendAmount(premium, false);
            }
            default -> appendAmount(premium, false);
          }
          planted.merge(defect, 1L, Long::sum);
          badWritten++;
        } else {
          goodWritten++;
          line.append(policyId(goodWritten)).append(',').append(customerId(customer + 1)).append(',')
              .append(product.id()).append(',');
          appendPurchaseDate(date, formChoice);
          line.append(',');
          if (formChoice > 0.99) {
            line.append("\"£");
            appendAmount(premium, true);
            line.append('"');
          } else {
            appendAmount(premium, false);
          }
        }
        line.append(',');
        appendAmount(coverage, false);
        writeLine(out);
      }
    }
    return total;
  }

  /** Mostly M/D/YYYY as the seed's sheet; about 1 in 200 ISO, and day-first where the day makes it unambiguous. */
  private void appendPurchaseDate(LocalDate date, double formChoice) {
    if (formChoice < 0.005) {
      line.append(date);
    } else if (formChoice < 0.015 && date.getDayOfMonth() > 12) {
      line.append(date.getDayOfMonth()).append('/').append(padded(date.getMonthValue(), 2)).append('/')
          .append(date.getYear());
    } else {
      appendMonthFirst(date);
    }
  }

  private void appendMonthFirst(LocalDate date) {
    line.append(date.getMonthValue()).append('/').append(date.getDayOfMonth()).append('/').append(date.getYear());
  }

  private int[][] membersByGroup() {
    int[] sizes = new int[groups.length];
    for (byte g : groupOf) {
      sizes[g]++;
    }
    int[][] members = new int[groups.length][];
    for (int g = 0; g < groups.length; g++) {
      members[g] = new int[sizes[g]];
    }
    int[] filled = new int[groups.length];
    for (int c = 0; c < groupOf.length; c++) {
      members[groupOf[c]][filled[groupOf[c]]++] = c;
    }
    return members;
  }

  /** Which group holds the next extra policy: its members' count times its policy weight. */
  private WeightedChoice policyHolderGroups(int[][] members) {
    Object[] weights = new Object[groups.length * 2];
    for (int g = 0; g < groups.length; g++) {
      weights[2 * g] = String.valueOf(g);
      weights[2 * g + 1] = members[g].length * groups[g].policyWeight();
    }
    return WeightedChoice.of(weights);
  }

  private WeightedChoice[] productChoices() {
    WeightedChoice[] choices = new WeightedChoice[groups.length];
    for (int g = 0; g < groups.length; g++) {
      Object[] weights = new Object[products.size() * 2];
      for (int p = 0; p < products.size(); p++) {
        Product product = products.get(p);
        weights[2 * p] = product.id();
        weights[2 * p + 1] = groups[g].productTypes().getOrDefault(product.type(), 0.1)
            * groups[g].productCategories().getOrDefault(product.category(), 0.1);
      }
      choices[g] = WeightedChoice.of(weights);
    }
    return choices;
  }

  /** Two decimals, optionally with thousands separators; no per-call objects, as this runs for every line. */
  private void appendAmount(double amount, boolean thousands) {
    long cents = Math.round(amount * 100);
    appendWhole(cents / 100, thousands);
    line.append('.');
    long fraction = cents % 100;
    if (fraction < 10) {
      line.append('0');
    }
    line.append(fraction);
  }

  private void appendWhole(long whole, boolean thousands) {
    if (!thousands || whole < 1000) {
      line.append(whole);
      return;
    }
    appendWhole(whole / 1000, true);
    line.append(',');
    long group = whole % 1000;
    if (group < 100) {
      line.append('0');
    }
    if (group < 10) {
      line.append('0');
    }
    line.append(group);
  }

  private void writeLine(Writer out) throws IOException {
    line.append('\n');
    if (lineChars.length < line.length()) {
      lineChars = new char[line.length() * 2];
    }
    line.getChars(0, line.length(), lineChars, 0);
    out.write(lineChars, 0, line.length());
  }

  private static String customerId(long number) {
    return "HL" + padded(number, 5);
  }

  private static String policyId(long number) {
    return "P" + padded(number, 6);
  }

  private static String padded(long number, int width) {
    String digits = Long.toString(number);
    return digits.length() >= width ? digits : "0".repeat(width - digits.length()) + digits;
  }
}
