-- Every product sold in the latest run date, ranked by policies sold and by premium (ties share a rank).
WITH per_product AS (
  SELECT
    product_id,
    MAX(product_name) AS product_name,
    MAX(product_type) AS product_type,
    MAX(product_category) AS product_category,
    COUNT(*) AS policies,
    SUM(premium) AS total_premium
  FROM {{sales_joined}}
  GROUP BY product_id
)
SELECT
  per_product.*,
  RANK() OVER (ORDER BY policies DESC) AS rank_by_policies,
  RANK() OVER (ORDER BY total_premium DESC) AS rank_by_premium
FROM per_product
