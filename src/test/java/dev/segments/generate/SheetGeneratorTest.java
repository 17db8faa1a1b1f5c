package dev.segments.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Plain-Java checks of the generated files: no Spark. */
class SheetGeneratorTest {

  @TempDir
  Path folder;

  @Test
  void anotherSeedGivesOtherDataAndTheSameSeedTheSame() throws IOException {
    GeneratorOptions small = new GeneratorOptions(300, 600, 20, 7, 0.02, LocalDate.of(2025, 12, 15));
    SheetGenerator.generate(folder.resolve("a"), small);
    SheetGenerator.generate(folder.resolve("b"), small);
    SheetGenerator.generate(folder.resolve("c"), new GeneratorOptions(300, 600, 20, 8, 0.02, small.asOf()));
    byte[] a = Files.readAllBytes(folder.resolve("a/sales.csv"));
    assertTrue(Arrays.equals(a, Files.readAllBytes(folder.resolve("b/sales.csv"))));
    assertFalse(Arrays.equals(a, Files.readAllBytes(folder.resolve("c/sales.csv"))));
  }

  @Test
  void sizesThatCannotFitAreRefusedBeforeAnythingIsWritten() throws IOException {
    LocalDate asOf = LocalDate.of(2025, 12, 15);
    Path out = folder.resolve("big");
    IllegalArgumentException disk = assertThrows(IllegalArgumentException.class,
        () -> SheetGenerator.generate(out, new GeneratorOptions(100, 1_000_000_000_000L, 20, 1, 0, asOf)));
    assertTrue(disk.getMessage().startsWith("the files would take about 70000.0 GB and "), disk.getMessage());
    assertTrue(disk.getMessage().contains(" free; ask for fewer rows or write elsewhere"), disk.getMessage());
    IllegalArgumentException memory = assertThrows(IllegalArgumentException.class,
        () -> SheetGenerator.generate(out, new GeneratorOptions(100, 100, 2_000_000_000, 1, 0, asOf)));
    assertTrue(memory.getMessage().startsWith("100 customers and 2,000,000,000 products need about 600.0 GB of memory"),
        memory.getMessage());
    assertFalse(Files.exists(out));
  }

  @Test
  void aFileWhoseWritingFailsIsDeleted() throws IOException {
    Path fullDisk = Path.of("/dev/full");
    assumeTrue(Files.isWritable(fullDisk), "needs Linux's /dev/full, where every write fails with 'no space left'");
    Files.createSymbolicLink(folder.resolve("sales.csv"), fullDisk);
    assertThrows(IOException.class,
        () -> SheetGenerator.generate(folder, new GeneratorOptions(300, 100_000, 20, 1, 0, LocalDate.of(2025, 12, 15))));
    assertTrue(Files.exists(folder.resolve("customers.csv")));
    assertFalse(Files.exists(folder.resolve("sales.csv"), LinkOption.NOFOLLOW_LINKS));
  }

  @Test
  void headersFollowTheSeedLayout() throws IOException {
    SheetGenerator.generate(folder, new GeneratorOptions(50, 100, 25, 1, 0, LocalDate.of(2025, 12, 15)));
    assertEquals("Customer_ID,Age,Gender,City,Marital_Status,Education,Occupation,Income,Preferred_Language,"
        + "Preferred_Channel,Preferred_Time", Files.readAllLines(folder.resolve("customers.csv")).get(0));
    assertEquals("Policy_ID,Customer_ID,Product_ID,Purchase_Date,Premium,Coverage",
        Files.readAllLines(folder.resolve("sales.csv")).get(0));
    List<String> products = Files.readAllLines(folder.resolve("products.csv"));
    assertEquals("\"Product_ID\",\"Product_Name\",\"Product_Type\",\"Category\"", products.get(0));
    assertEquals(26, products.size());
    assertEquals("\"POL200024\",\"SecureLegacy 2\",\"Life\",\"Group\"", products.get(25));
  }

  @Test
  void plantedGroupsDifferInAgeIncomeAndPremium() throws IOException {
    SheetGenerator.generate(folder, new GeneratorOptions(2000, 2000, 20, 3, 0, LocalDate.of(2025, 12, 15)));
    // Every customer holds exactly the policy on the line of the same number, so the two files line up.
    List<String> customers = Files.readAllLines(folder.resolve("customers.csv"));
    List<String> sales = Files.readAllLines(folder.resolve("sales.csv"));
    Map<String, double[]> byMarital = new HashMap<>();
    for (int i = 1; i < customers.size(); i++) {
      String[] c = customers.get(i).split(",");
      String[] s = sales.get(i).split(",");
      assertEquals(c[0], s[1]);
      double[] sums = byMarital.computeIfAbsent(c[4], k -> new double[4]);
      sums[0] += Integer.parseInt(c[1]);
      sums[1] += Double.parseDouble(c[7]);
      sums[2] += s[4].startsWith("\"") ? 0 : Double.parseDouble(s[4]);
      sums[3]++;
    }
    double widowedAge = byMarital.get("Widowed")[0] / byMarital.get("Widowed")[3];
    double singleAge = byMarital.get("Single")[0] / byMarital.get("Single")[3];
    assertTrue(widowedAge > 60 && singleAge < 40, "ages: widowed " + widowedAge + ", single " + singleAge);
    double divorcedIncome = byMarital.get("Divorced")[1] / byMarital.get("Divorced")[3];
    double widowedIncome = byMarital.get("Widowed")[1] / byMarital.get("Widowed")[3];
    assertTrue(divorcedIncome > 2 * widowedIncome, "incomes: divorced " + divorcedIncome + ", widowed " + widowedIncome);
  }

  @Test
  void groupsFileNamesEveryGoodCustomersPlantedGroupAndImbalanceAndSkewChangeTheShape() throws IOException {
    LocalDate asOf = LocalDate.of(2025, 12, 15);
    SheetGenerator.generate(folder.resolve("plain"), new GeneratorOptions(2000, 2000, 20, 3, 0.02, asOf));
    assertFalse(Files.exists(folder.resolve("plain").resolve(SheetGenerator.GROUPS_FILE)));
    SheetGenerator.generate(folder.resolve("skewed"),
        new GeneratorOptions(2000, 2000, 20, 3, 0.02, asOf, 1.0, 3.0, true));

    List<String> groups = Files.readAllLines(folder.resolve("skewed").resolve(SheetGenerator.GROUPS_FILE));
    assertEquals("Customer_ID,group", groups.get(0));
    assertEquals(2001, groups.size(), "one line per good customer");
    Map<String, Integer> sizes = new HashMap<>();
    for (String line : groups.subList(1, groups.size())) {
      sizes.merge(line.split(",")[1], 1, Integer::sum);
    }
    assertEquals(CustomerGroup.PLANTED.size(), sizes.size());
    // Shares 0.26^3 : 0.14^3 = 6.4 : 1; the planted 0.26 : 0.14 would be under 2 : 1.
    assertTrue(sizes.get("loyal families") > 4 * sizes.get("settled retirees"), sizes.toString());

    // Every good customer of the groups file is in customers.csv (bad rows are not in it).
    List<String> customers = Files.readAllLines(folder.resolve("skewed").resolve("customers.csv"));
    java.util.Set<String> ids = new java.util.HashSet<>();
    customers.forEach(l -> ids.add(l.split(",", -1)[0]));
    groups.subList(1, groups.size()).forEach(l -> assertTrue(ids.contains(l.split(",")[0]), l));

    // Skew 1 gives heavy right tails: the largest income is far above the plain file's.
    assertTrue(maxIncome(folder.resolve("skewed")) > 2 * maxIncome(folder.resolve("plain")));
  }

  private static double maxIncome(Path dir) throws IOException {
    return Files.readAllLines(dir.resolve("customers.csv")).stream().skip(1).map(l -> l.split(",", -1)[7])
        .filter(v -> v.matches("[0-9.]+")).mapToDouble(Double::parseDouble).max().orElseThrow();
  }
}
