-- Policies, customers and premium by segment and product attribute; dimension names the attribute, value its value.
SELECT
  segment_id,
  segment_name,
  'product_type' AS dimension,
  product_type AS value,
  COUNT(*) AS policies,
  COUNT(DISTINCT customer_id) AS customers,
  SUM(premium) AS total_premium
FROM {{sales_joined}}
GROUP BY segment_id, segment_name, product_type
UNION ALL
SELECT
  segment_id,
  segment_name,
  'product_category' AS dimension,
  product_category AS value,
  COUNT(*) AS policies,
  COUNT(DISTINCT customer_id) AS customers,
  SUM(premium) AS total_premium
FROM {{sales_joined}}
GROUP BY segment_id, segment_name, product_category
