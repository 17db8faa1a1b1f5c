-- How customers present in both the latest and the previous run date moved between segments.
WITH run_dates AS (
  SELECT run_date, ROW_NUMBER() OVER (ORDER BY run_date DESC) AS recency
  FROM (SELECT DISTINCT run_date FROM {{customer_segments}}) d
),
latest AS (
  SELECT c.run_date, c.customer_id, c.segment_id, c.segment_name
  FROM {{customer_segments}} c JOIN run_dates r ON c.run_date = r.run_date
  WHERE r.recency = 1
),
previous AS (
  SELECT c.run_date, c.customer_id, c.segment_id, c.segment_name
  FROM {{customer_segments}} c JOIN run_dates r ON c.run_date = r.run_date
  WHERE r.recency = 2
)
SELECT
  p.run_date AS from_run_date,
  l.run_date AS to_run_date,
  p.segment_id AS from_segment_id,
  p.segment_name AS from_segment_name,
  l.segment_id AS to_segment_id,
  l.segment_name AS to_segment_name,
  COUNT(*) AS customers
FROM previous p JOIN latest l ON p.customer_id = l.customer_id
GROUP BY p.run_date, l.run_date, p.segment_id, p.segment_name, l.segment_id, l.segment_name
