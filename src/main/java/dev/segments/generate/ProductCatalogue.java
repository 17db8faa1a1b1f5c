package dev.segments.generate;

import java.util.ArrayList;
import java.util.List;

/** The insurer's products: twenty like the seed business's, repeated with a version number when more are asked. */
final class ProductCatalogue {
  record Product(String id, String name, String type, String category) {}

  private static final String[][] BASE = {
      {"WellBeing Cover", "Health", "Group"},
      {"MediAssist", "Health", "Group"},
      {"FamilyLife Plus", "Life", "Group"},
      {"LifeShield", "Life", "Group"},
      {"SecureLegacy", "Life", "Group"},
      {"DriveSure", "Auto", "Group"},
      {"TradeSecure", "Property", "Business"},
      {"AssetShield", "Property", "Business"},
      {"OfficeProtect", "Property", "Business"},
      {"MotorShield", "Auto", "Business"},
      {"TruePromise", "Life", "Individual"},
      {"HealthBridge", "Health", "Individual"},
      {"PrimeHealth", "Health", "Individual"},
      {"EverGuard Life", "Life", "Individual"},
      {"QuickCover Auto", "Auto", "Individual"},
      {"VitalCare Family", "Health", "Family"},
      {"TruePromise Family", "Life", "Family"},
      {"LifeShield Family", "Life", "Family"},
      {"SuperGold Life Family", "Life", "Family"},
      {"HomeSafe", "Property", "Individual"}};

  private ProductCatalogue() {}

  static List<Product> first(int count) {
    List<Product> products = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      String[] base = BASE[i % BASE.length];
      String name = i < BASE.length ? base[0] : base[0] + " " + (i / BASE.length + 1);
      products.add(new Product("POL" + (200000 + i), name, base[1], base[2]));
    }
    return products;
  }
}
