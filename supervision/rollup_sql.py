"""The statement-level triggers that keep ``supervision_filingcount`` exact (see ``FilingCount``).

Each trigger aggregates the statement's transition tables (old rows −1, new rows +1) and upserts the
differences, so a statement changing thousands of filings (re-tiering, an import) costs one INSERT.
"""

DIFF = """
INSERT INTO supervision_filingcount (province_code, tier, status, algorithm_type, n)
SELECT province_code, coalesce(tier, 0), status, algorithm_type, sum(d) FROM ({rows}) AS changes
GROUP BY 1, 2, 3, 4 HAVING sum(d) <> 0
ON CONFLICT (province_code, tier, status, algorithm_type)
DO UPDATE SET n = supervision_filingcount.n + EXCLUDED.n;
"""
OLD = "SELECT province_code, tier, status, algorithm_type, -1 AS d FROM old_rows"
NEW = "SELECT province_code, tier, status, algorithm_type, 1 AS d FROM new_rows"


def _function(name: str, rows: str) -> str:
    return f"""
CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
{DIFF.format(rows=rows)}
  RETURN NULL;
END $$;
"""


# Built from the constants above only.
INSTALL = f"""
{_function("beian_filingcount_insert", NEW)}
{_function("beian_filingcount_update", OLD + " UNION ALL " + NEW)}
{_function("beian_filingcount_delete", OLD)}
CREATE TRIGGER beian_filingcount_insert AFTER INSERT ON filings_filing
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION beian_filingcount_insert();
CREATE TRIGGER beian_filingcount_update AFTER UPDATE ON filings_filing
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT
  EXECUTE FUNCTION beian_filingcount_update();
CREATE TRIGGER beian_filingcount_delete AFTER DELETE ON filings_filing
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION beian_filingcount_delete();
DELETE FROM supervision_filingcount;
INSERT INTO supervision_filingcount (province_code, tier, status, algorithm_type, n)
SELECT province_code, coalesce(tier, 0), status, algorithm_type, count(*) FROM filings_filing GROUP BY 1, 2, 3, 4;
"""  # noqa: S608

UNINSTALL = """
DROP TRIGGER IF EXISTS beian_filingcount_insert ON filings_filing;
DROP TRIGGER IF EXISTS beian_filingcount_update ON filings_filing;
DROP TRIGGER IF EXISTS beian_filingcount_delete ON filings_filing;
DROP FUNCTION IF EXISTS beian_filingcount_insert();
DROP FUNCTION IF EXISTS beian_filingcount_update();
DROP FUNCTION IF EXISTS beian_filingcount_delete();
"""
