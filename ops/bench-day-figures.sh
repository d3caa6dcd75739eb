#!/usr/bin/env bash
# The wall's day figures read from the day-activity facts (one row per counted event and kind, counted per day by an
# index), beside the raw baseline the facts replaced: one counter row per day, kind and key, read as it stands.
# Both tables hold the same days in the same run, on the benchmark PostgreSQL (fsync on); each read is timed
# server-side, so the numbers are the database's work for one wall refresh.
#   bash ops/bench-day-figures.sh [contacts-per-day] [days] [reads]     defaults: 20000 30 200
set -euo pipefail
cd "$(dirname "$0")/.."
PER_DAY="${1:-20000}"
DAYS="${2:-30}"
READS="${3:-200}"
export FRONTDOOR_PG_PORT=25433 FRONTDOOR_PG_DURABLE=1
bash ops/postgres.sh start >/dev/null
PSQL="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)/psql"
export PGPASSWORD=frontdoor
"$PSQL" -h 127.0.0.1 -p 25433 -U frontdoor -d frontdoor -q -v ON_ERROR_STOP=1 -v per_day="$PER_DAY" -v days="$DAYS" -v reads="$READS" <<'SQL'
DROP SCHEMA IF EXISTS bench_day CASCADE;
CREATE SCHEMA bench_day;
SET search_path = bench_day;
-- The shapes FrontDoor keeps (src/FrontDoor.Server/ReadModels/ReadModelSchema.cs, migrations 4 and 8).
CREATE TABLE facts (position BIGINT NOT NULL, kind TEXT NOT NULL, day TEXT NOT NULL, key TEXT NOT NULL, PRIMARY KEY (position, kind));
CREATE INDEX facts_day ON facts (day, kind, key);
CREATE TABLE counters (day TEXT NOT NULL, kind TEXT NOT NULL, key TEXT NOT NULL, count BIGINT NOT NULL, PRIMARY KEY (day, kind, key));
-- A day's contacts: a channel and an hour each, a site for a third of them; three referrals for every four contacts.
INSERT INTO facts
SELECT c.n * 4 + k.o, k.kind, to_char(date '2026-11-01' + (c.n / :per_day), 'YYYY-MM-DD'),
       CASE k.kind WHEN 'contacts-channel' THEN (ARRAY['phone','web','lets-talk','welcoming-space'])[1 + c.n % 4]
                   WHEN 'contacts-site' THEN 'site-' || (c.n % 9)
                   ELSE lpad(((c.n * 7) % 24)::text, 2, '0') END
FROM generate_series(0, :per_day * :days - 1) AS c(n)
CROSS JOIN (VALUES (0, 'contacts-channel'), (1, 'contacts-hour'), (2, 'contacts-site'), (3, 'referrals-hour')) AS k(o, kind)
WHERE (k.kind <> 'contacts-site' OR c.n % 3 = 0) AND (k.kind <> 'referrals-hour' OR c.n % 4 <> 0);
INSERT INTO counters SELECT day, kind, key, count(*) FROM facts GROUP BY day, kind, key;
VACUUM ANALYZE facts;
VACUUM ANALYZE counters;
CREATE TEMP TABLE timings (what TEXT, ms DOUBLE PRECISION);
\o /dev/null
SELECT set_config('bench.days', :'days', false), set_config('bench.reads', :'reads', false);
\o
DO $$
DECLARE
  started TIMESTAMPTZ;
  target_day TEXT := to_char(date '2026-11-01' + (current_setting('bench.days')::int - 1), 'YYYY-MM-DD');
  r RECORD;
BEGIN
  FOR i IN 1 .. current_setting('bench.reads')::int LOOP
    started := clock_timestamp();
    FOR r IN SELECT f.kind, f.key, count(*) FROM bench_day.facts f WHERE f.day = target_day GROUP BY f.kind, f.key LOOP END LOOP;
    INSERT INTO timings VALUES ('facts (FrontDoor)', extract(epoch FROM clock_timestamp() - started) * 1000);
    started := clock_timestamp();
    FOR r IN SELECT c.kind, c.key, c.count FROM bench_day.counters c WHERE c.day = target_day LOOP END LOOP;
    INSERT INTO timings VALUES ('counters (baseline)', extract(epoch FROM clock_timestamp() - started) * 1000);
  END LOOP;
END $$;
\pset footer off
SELECT (SELECT count(*) FROM facts) AS fact_rows, (SELECT count(*) FROM facts WHERE day = (SELECT max(day) FROM facts)) AS facts_in_the_day,
       (SELECT count(*) FROM counters) AS counter_rows, :'per_day' AS contacts_per_day, :'days' AS days;
SELECT what, count(*) AS reads,
       round(percentile_cont(0.5) WITHIN GROUP (ORDER BY ms)::numeric, 3) AS p50_ms,
       round(percentile_cont(0.99) WITHIN GROUP (ORDER BY ms)::numeric, 3) AS p99_ms
FROM timings GROUP BY what ORDER BY what DESC;
SELECT pg_size_pretty(pg_total_relation_size('facts')) AS facts_on_disk, pg_size_pretty(pg_total_relation_size('counters')) AS counters_on_disk;
DROP SCHEMA bench_day CASCADE;
SQL
