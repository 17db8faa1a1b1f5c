-- The 100 customers with the highest total customer value (premium x tenure years) in the latest run date.
WITH per_customer AS (
  SELECT
    customer_id,
    segment_id,
    segment_name,
    COUNT(*) AS policies,
    SUM(premium) AS total_premium,
    SUM(customer_value) AS customer_value
  FROM {{sales_joined}}
  GROUP BY customer_id, segment_id, segment_name
),
ranked AS (
  SELECT
    per_customer.*,
    ROW_NUMBER() OVER (ORDER BY customer_value DESC, customer_id) AS value_rank
  FROM per_customer
)
SELECT *
FROM ranked
WHERE value_rank <= 100
