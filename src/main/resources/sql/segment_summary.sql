-- Segment profiles of the latest run date (a rerun of a date replaces it, so that is the latest run).
SELECT *
FROM {{segment_profiles}}
WHERE run_date = {{latest_run_date(segment_profiles)}}
