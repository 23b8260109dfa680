-- Portfolio queries over coquille's JSON Lines, for DuckDB (CLI or any binding).
-- Produce the inputs with, for each shard of SBOMs:
--   coquille analyze SHARD/ --quiet --output jsonl=results-N.jsonl --output components-jsonl=components-N.jsonl
-- then point the globs below at every shard's files (results-*.jsonl, components-*.jsonl).

-- name: chinese_engine
-- Which SBOMs depend on a Chinese-controlled engine: an online service it calls, or proprietary
-- code it runs, controlled from CN (open-source code stewarded in CN is not an engine).
SELECT id, verdict
FROM read_json_auto('results*.jsonl')
WHERE list_contains(engine_countries, 'CN')
ORDER BY id;

-- name: chinese_engine_components
-- The same question from the components: the service clients, services and proprietary
-- products behind it.
SELECT result, list(DISTINCT controller_name ORDER BY controller_name) AS controllers, count(*) AS components
FROM read_json_auto('components*.jsonl')
WHERE controller_country = 'CN'
  AND dependency IN ('service-client', 'service', 'proprietary', 'product')
GROUP BY result
ORDER BY result;

-- name: unknown_share
-- Unknown share per SBOM: components whose owner could not be established (counted, never
-- treated as local), most unknown first.
SELECT result,
       count(*) AS components,
       round(avg(CASE WHEN controller IS NULL THEN 1.0 ELSE 0.0 END), 3) AS unknown_share
FROM read_json_auto('components*.jsonl')
GROUP BY result
ORDER BY unknown_share DESC, result;
