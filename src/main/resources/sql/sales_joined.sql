-- Sales lines of the latest run date with the dashboards' derived columns. tenure_years counts from purchase to the
-- run date (365.25-day years, 2 decimals); tenure_group and customer_value use that rounded value.
WITH latest AS (
  SELECT
    s.*,
    CASE
      WHEN s.age IS NULL THEN 'unknown'
      WHEN s.age < 25 THEN '<25'
      WHEN s.age < 35 THEN '25-34'
      WHEN s.age < 45 THEN '35-44'
      WHEN s.age < 55 THEN '45-54'
      WHEN s.age < 65 THEN '55-64'
      ELSE '65+'
    END AS age_group,
    ROUND({{days_between(s.purchase_date, s.run_date)}} / 365.25, 2) AS tenure_years
  FROM {{sales_enriched}} s
  WHERE s.run_date = {{latest_run_date(sales_enriched)}}
)
SELECT
  latest.*,
  CASE
    WHEN tenure_years < 1 THEN '<1y'
    WHEN tenure_years < 3 THEN '1-3y'
    WHEN tenure_years < 5 THEN '3-5y'
    WHEN tenure_years < 10 THEN '5-10y'
    ELSE '10y+'
  END AS tenure_group,
  premium * tenure_years AS customer_value
FROM latest
