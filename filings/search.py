"""Search tokens for the public registry: Chinese by single characters and bigrams, other text by word.

pg_trgm needs three characters and is not in the embedded PostgreSQL, yet one- and two-character
Chinese queries (腾讯, 推荐) are the common case. So a stored, generated ``tsvector`` holds every CJK
character and every pair of adjacent CJK characters, and every Latin/digit word, lower-cased; a GIN
index serves it. The SQL function (migration ``filings.0009``) and ``document_tokens`` below are the
same rules; a test checks that they agree.

A query becomes: one CJK character → that character; two or more → all their bigrams (AND); a word →
a prefix match (``deep:*``). Bigrams can match out of order, so the caller confirms the phrase on the
few rows of the page.
"""

from __future__ import annotations

import re

CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
CJK_RUN = re.compile(f"[{CJK}]+")
WORD = re.compile(r"[a-z0-9]+")
MAX_QUERY_TOKENS = 16

# The SQL twin of ``document_tokens``: IMMUTABLE, so a generated column may use it.
SQL_FUNCTION = r"""
CREATE OR REPLACE FUNCTION beian_search_tokens(VARIADIC parts text[]) RETURNS tsvector
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT coalesce(array_to_tsvector(array_agg(DISTINCT tok)), ''::tsvector) FROM (
    SELECT substr(m[1], i, n) AS tok
    FROM unnest(parts) AS p,
         regexp_matches(lower(coalesce(p, '')), '[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+', 'g') AS m,
         generate_series(1, char_length(m[1])) AS i, (VALUES (1), (2)) AS k(n)
    WHERE i + n - 1 <= char_length(m[1])
    UNION ALL
    SELECT w[1] FROM unnest(parts) AS p, regexp_matches(lower(coalesce(p, '')), '[a-z0-9]+', 'g') AS w
  ) AS s
$$;
"""


def document_tokens(*parts: str) -> set[str]:
    tokens: set[str] = set()
    for part in parts:
        lowered = (part or "").lower()
        for run in CJK_RUN.findall(lowered):
            tokens.update(run)
            tokens.update(run[i : i + 2] for i in range(len(run) - 1))
        tokens.update(WORD.findall(lowered))
    return tokens


def tsquery(text: str) -> str | None:
    """The tsquery for a user's search, or None when it holds nothing searchable.

    Lexemes are only CJK characters and [a-z0-9], so nothing needs quoting.
    """
    lowered = (text or "").lower()
    parts: list[str] = []
    for run in CJK_RUN.findall(lowered):
        parts.extend([run] if len(run) == 1 else [run[i : i + 2] for i in range(len(run) - 1)])
    parts.extend(f"{word}:*" for word in WORD.findall(lowered))
    unique = list(dict.fromkeys(parts))[:MAX_QUERY_TOKENS]
    return " & ".join(unique) if unique else None


def phrases(text: str) -> list[str]:
    """The runs a matching row must contain as written (bigrams alone may match out of order)."""
    lowered = (text or "").lower()
    return [run for run in CJK_RUN.findall(lowered) if len(run) > 2]
