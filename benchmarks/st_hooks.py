"""Schemathesis hooks for onetlocal (SCHEMATHESIS_HOOKS=st_hooks with benchmarks/ on PYTHONPATH): used by
tests/test_fuzz.py (bounded) and benchmarks/fuzz.sh (long).

`schema_valid_accepted` replaces schemathesis' positive_data_acceptance (ST202), which counts every 4xx but
401/403/404/409/429 against a schema-valid request. The API answers 422 (as the hosted one does) for a
well-formed value that names nothing in this database: an unknown O*NET-SOC code such as 00-0000.00, an unknown
id, a section whose source was not imported. No schema can list what exists in a database, so that 422 is
accepted only with one of those messages; and for the rules across two parameters that OpenAPI cannot state
(`end` not below `start`, at most 2000 rows from `start` to `end`, two different taxonomies in a crosswalk, the
Interest Profiler's `answers` or all six scores, never both). Every other 422 for a schema-valid request (a bound, a
pattern, an enum the document failed to state)
still fails the run.
"""

from __future__ import annotations

import re

import schemathesis
from schemathesis.core.failures import Failure

#: What a 422 for a schema-valid request may say: the value is well formed but names nothing here.
NAMES_NOTHING = re.compile(
    r"^(unknown |(\S+ has )?no technology in |no occupation is rated |parameter '\w+': unknown id|"
    r"[^:]+: data not available in this build|no data available for this section|O\*NET-SOC code '[^']*' is not a |"
    r"task '[^']*' is not a task statement of |(item \d+: )?no OEWS staffing pattern for industry |"
    r"give either 'answers' or the six interest scores|must have required property 'answers' \(or all six|"
    r"missing interest score|"
    r"parameter 'end' must not be less than 'start'|at most \d+ rows per page|from and to are both )"
)


@schemathesis.check
def schema_valid_accepted(ctx, response, case):
    meta = case.meta
    if meta is None or not meta.generation.mode.is_positive or response.status_code < 400:
        return None
    if response.status_code in (401, 403, 404, 409, 429) or response.status_code >= 500:
        return None  # 5xx: not_a_server_error's business
    try:
        body = response.json()
    except Exception:
        body = None
    message = (body or {}).get("error") or (body or {}).get("Message") or "" if isinstance(body, dict) else ""
    if response.status_code == 422 and NAMES_NOTHING.match(message):
        return None
    raise Failure(
        operation=case.operation.label,
        title="Schema-valid request rejected",
        message=f"{response.status_code}: {message or response.text[:200]}",
    )
