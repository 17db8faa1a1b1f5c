-- Premium and policies by segment and month of purchase, for the latest run date.
SELECT
  segment_id,
  segment_name,
  {{month_start(purchase_date)}} AS purchase_month,
  COUNT(*) AS policies,
  SUM(premium) AS total_premium
FROM {{sales_joined}}
GROUP BY segment_id, segment_name, {{month_start(purchase_date)}}
