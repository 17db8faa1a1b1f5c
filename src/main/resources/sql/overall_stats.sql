-- One row for the latest run date. avg_age counts each customer once; avg_coverage skips sales without coverage.
WITH per_customer AS (
  SELECT customer_id, MAX(age) AS age
  FROM {{sales_joined}}
  GROUP BY customer_id
),
customer_totals AS (
  SELECT COUNT(*) AS customers, AVG(age) AS avg_age
  FROM per_customer
),
sale_totals AS (
  SELECT
    MAX(run_date) AS run_date,
    COUNT(*) AS policies,
    SUM(premium) AS total_premium,
    AVG(premium) AS avg_premium,
    AVG(coverage) AS avg_coverage,
    AVG(tenure_years) AS avg_tenure_years
  FROM {{sales_joined}}
)
SELECT
  s.run_date,
  c.customers,
  s.policies,
  s.total_premium,
  s.avg_premium,
  s.avg_coverage,
  c.avg_age,
  s.avg_tenure_years
FROM sale_totals s CROSS JOIN customer_totals c
