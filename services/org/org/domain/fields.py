"""Field checks of the org validators: the kit's text rules and id checks, and dates in org's year range."""

from __future__ import annotations

from datetime import date

from kinerja_kit.errors import Violations
from kinerja_kit.fields import checked, reference, text  # noqa: F401  (re-exported for the org validators)
from org.domain.values import MIN_YEAR, parse_iso_date


def optional_date(
    violations: Violations,
    path: str,
    label: str,
    value: str,
    *,
    today: date,
    required: bool = False,
    years_ahead: int = 1,
) -> date | None:
    """A YYYY-MM-DD date from 1940 up to `years_ahead` years on; empty allowed unless required."""
    value = value.strip()
    if not value:
        if required:
            violations.add(path, "REQUIRED", f"{label} wajib diisi.")
        return None
    parsed = parse_iso_date(value)
    last_year = today.year + years_ahead
    if parsed is None or not MIN_YEAR <= parsed.year <= last_year:
        violations.add(
            path,
            "INVALID_DATE",
            f"{label} harus tanggal yang valid (TTTT-BB-HH, tahun {MIN_YEAR}-{last_year}).",
        )
        return None
    return parsed
