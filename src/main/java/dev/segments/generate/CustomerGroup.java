package dev.segments.generate;

import java.util.List;
import java.util.Map;

/**
 * A kind of customer planted in the generated data, so that a segmentation has something real to find: the groups
 * differ in age, income, marital status, product mix, premium level and tenure.
 *
 * @param share share of customers in the group
 * @param policyWeight how many more policies a member holds than average (extra sales lines go by this weight)
 * @param tenureYears purchases lie this many years (min, max) before the as-of date
 * @param productTypes weight per Product_Type; productCategories weight per Category
 * @param preferredProductType the Product_Type the group holds more often than the other groups do (the highest lift
 *     that the weights above give): what a segmentation's cross-sell should find for the group
 */
record CustomerGroup(
    String name,
    double share,
    double policyWeight,
    int minAge,
    int maxAge,
    double minIncome,
    double maxIncome,
    WeightedChoice maritalStatus,
    WeightedChoice occupation,
    WeightedChoice education,
    WeightedChoice channel,
    WeightedChoice time,
    double minTenureYears,
    double maxTenureYears,
    Map<String, Double> productTypes,
    Map<String, Double> productCategories,
    double minPremium,
    double maxPremium,
    String preferredProductType) {

  static final List<CustomerGroup> PLANTED = List.of(
      new CustomerGroup("young urban starters", 0.26, 1.0, 18, 30, 14_000, 36_000,
          WeightedChoice.of("Single", 8, "Married", 1, "Separated", 0.3),
          WeightedChoice.of("Artist", 3, "Salesperson", 3, "Nurse", 2, "Teacher", 2, "Engineer", 2),
          WeightedChoice.of("Bachelor's Degree", 5, "Associate Degree", 3, "High School Diploma", 3),
          WeightedChoice.of("Text", 5, "Email", 4, "Phone", 1),
          WeightedChoice.of("Evening", 5, "Anytime", 2, "Weekends", 2, "Afternoon", 1),
          0.1, 3.5,
          Map.of("Health", 5.0, "Auto", 5.0, "Life", 0.5, "Property", 0.2),
          Map.of("Individual", 5.0, "Group", 2.0, "Family", 0.2, "Business", 0.2),
          600, 1_500, "Auto"),
      new CustomerGroup("loyal families", 0.26, 2.0, 32, 52, 40_000, 80_000,
          WeightedChoice.of("Married", 9, "Separated", 1),
          WeightedChoice.of("Teacher", 3, "Nurse", 3, "Engineer", 3, "Manager", 2),
          WeightedChoice.of("Bachelor's Degree", 4, "Master's Degree", 2, "Associate Degree", 2),
          WeightedChoice.of("Email", 4, "Phone", 3, "Mail", 2),
          WeightedChoice.of("Afternoon", 4, "Evening", 4, "Weekends", 1),
          5, 18,
          Map.of("Life", 6.0, "Health", 3.0, "Auto", 1.0, "Property", 0.5),
          Map.of("Family", 6.0, "Individual", 2.0, "Group", 1.0, "Business", 0.1),
          1_500, 4_000, "Life"),
      new CustomerGroup("affluent professionals", 0.16, 1.5, 33, 55, 90_000, 170_000,
          WeightedChoice.of("Single", 3, "Divorced", 4, "Married", 3),
          WeightedChoice.of("Lawyer", 4, "Doctor", 3, "Entrepreneur", 3, "Manager", 2),
          WeightedChoice.of("Master's Degree", 4, "Doctorate", 4, "Bachelor's Degree", 1),
          WeightedChoice.of("Email", 4, "In-Person Meeting", 3, "Phone", 2),
          WeightedChoice.of("Morning", 4, "Anytime", 3, "Afternoon", 1),
          1, 8,
          Map.of("Property", 6.0, "Life", 2.0, "Auto", 2.0, "Health", 1.0),
          Map.of("Business", 6.0, "Individual", 3.0, "Group", 0.5, "Family", 0.3),
          4_000, 10_000, "Property"),
      new CustomerGroup("settled retirees", 0.14, 1.5, 64, 84, 15_000, 40_000,
          WeightedChoice.of("Widowed", 5, "Married", 4, "Divorced", 1),
          WeightedChoice.of("Teacher", 2, "Nurse", 2, "Doctor", 1, "Manager", 2, "Engineer", 1),
          WeightedChoice.of("High School Diploma", 3, "Associate Degree", 2, "Bachelor's Degree", 2),
          WeightedChoice.of("Phone", 4, "Mail", 4, "In-Person Meeting", 2),
          WeightedChoice.of("Morning", 6, "Afternoon", 3, "Anytime", 1),
          10, 22,
          Map.of("Life", 6.0, "Health", 4.0, "Auto", 0.3, "Property", 0.3),
          Map.of("Individual", 6.0, "Family", 2.0, "Group", 0.3, "Business", 0.1),
          1_200, 3_500, "Life"),
      new CustomerGroup("group scheme members", 0.18, 1.0, 25, 60, 30_000, 60_000,
          WeightedChoice.of("Single", 3, "Married", 4, "Divorced", 2, "Separated", 1),
          WeightedChoice.of("Engineer", 3, "Salesperson", 3, "Nurse", 2, "Manager", 2),
          WeightedChoice.of("Bachelor's Degree", 3, "Associate Degree", 3, "Master's Degree", 1),
          WeightedChoice.of("Email", 5, "Text", 2, "Phone", 1),
          WeightedChoice.of("Afternoon", 3, "Morning", 3, "Evening", 2),
          1, 6,
          Map.of("Health", 5.0, "Life", 3.0, "Auto", 2.0, "Property", 0.3),
          Map.of("Group", 8.0, "Individual", 1.0, "Family", 0.5, "Business", 0.2),
          800, 2_000, "Health"));
}
