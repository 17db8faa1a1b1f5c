-- Each customer's segment in the latest run date.
SELECT run_date, run_id, customer_id, segment_id, segment_name, distance, has_sales
FROM {{customer_segments}}
WHERE run_date = {{latest_run_date(customer_segments)}}
