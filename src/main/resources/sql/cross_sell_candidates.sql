-- The cross-sell list of the latest run date, one row per customer with a next best product (the product type with
-- the highest lift in their segment that they do not hold, above analysis.cross_sell_min_lift and _min_share), in
-- the order a sales team works down it: call_order 1 first (highest lift, then highest customer value).
WITH latest AS (
  SELECT *
  FROM {{customer_segments}}
  WHERE run_date = {{latest_run_date(customer_segments)}}
),
product_type_lifts AS (
  SELECT run_date, segment_id, value, lift, share_in_segment
  FROM {{segment_product_affinity}}
  WHERE attribute = 'product_type' AND run_date = {{latest_run_date(segment_product_affinity)}}
),
values_held AS (
  SELECT customer_id, SUM(customer_value) AS customer_value
  FROM {{sales_joined}}
  GROUP BY customer_id
),
candidates AS (
  SELECT
    c.run_date,
    c.run_id,
    c.customer_id,
    c.segment_id,
    c.segment_name,
    c.next_best_product,
    c.confidence,
    a.lift AS next_best_product_lift,
    a.share_in_segment AS next_best_product_share,
    COALESCE(v.customer_value, 0) AS customer_value,
    c.preferred_channel,
    c.preferred_time
  FROM latest c
  JOIN product_type_lifts a
    ON a.run_date = c.run_date AND a.segment_id = c.segment_id AND a.value = c.next_best_product
  LEFT JOIN values_held v ON v.customer_id = c.customer_id
)
SELECT
  ROW_NUMBER() OVER (ORDER BY next_best_product_lift DESC, customer_value DESC, customer_id) AS call_order,
  candidates.*
FROM candidates
ORDER BY call_order
