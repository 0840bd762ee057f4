"""The Splink model the hub uses to link encoded records: blocking rules and comparisons.

Everything here works on the encoder's output only (HMAC tokens and keyed Bloom filters), so the
hub compares records without ever seeing an identifier. Exact agreement is a token match; fuzzy
agreement of names and postcodes is the Dice coefficient of their Bloom filters, computed in
DuckDB SQL from bit counts: 2 * bit_count(a & b) / (bit_count(a) + bit_count(b)). The filters are
turned into DuckDB ``BIT`` strings and their bit counts precomputed once per record (columns
``<name>_bits`` and ``<name>_n``), so each compared pair costs one AND and one bit count.
"""

from __future__ import annotations

from typing import Any

# Bloom filter columns the model compares by Dice.
BLOOM_COLUMNS = ("bf_forename", "bf_surname", "bf_postcode")
# Dice thresholds become comparison levels, strongest first.
NAME_DICE_LEVELS = (0.85, 0.7, 0.5)
POSTCODE_DICE_LEVELS = (0.8,)

# Candidate pairs: any one rule is enough. Each pairs records agreeing on a few tokens, so that a
# typo, a nickname, a move or a swapped date breaks at most some of them.
PREDICTION_BLOCKING_RULES = (
    "l.tk_nhs_number = r.tk_nhs_number",
    "l.tk_dob = r.tk_dob AND l.tk_surname_soundex = r.tk_surname_soundex",
    "l.tk_dob = r.tk_dob AND l.tk_forename_soundex = r.tk_forename_soundex",
    "l.tk_dob_swapped = r.tk_dob AND l.tk_surname_soundex = r.tk_surname_soundex",
    "l.tk_postcode = r.tk_postcode AND l.tk_forename_initial = r.tk_forename_initial",
    "l.tk_forename_canonical = r.tk_forename_canonical AND l.tk_surname = r.tk_surname "
    "AND l.tk_dob_year = r.tk_dob_year",
)
# EM needs blocks where matches are common but the compared fields are not all fixed: on date of
# birth it learns the names, postcode and NHS number; on names it learns the date of birth.
TRAINING_BLOCKING_RULES = (
    "l.tk_dob = r.tk_dob",
    "l.tk_forename = r.tk_forename AND l.tk_surname = r.tk_surname",
)
# Near-certain rules for the prior (the share of pairs that match), with their assumed recall.
DETERMINISTIC_RULES = (
    "l.tk_nhs_number = r.tk_nhs_number AND l.tk_dob = r.tk_dob",
    "l.tk_forename = r.tk_forename AND l.tk_surname = r.tk_surname AND l.tk_dob = r.tk_dob",
)
DETERMINISTIC_RECALL = 0.9


def dice_sql(column: str) -> str:
    """SQL for the Dice coefficient of a Bloom filter column on the two sides of a pair."""
    bits, count = f"{column}_bits", f"{column}_n"
    return f"(2.0 * bit_count({bits}_l & {bits}_r) / nullif({count}_l + {count}_r, 0))"


def _null_level(*columns: str) -> dict[str, Any]:
    condition = " OR ".join(f"{c}_l IS NULL OR {c}_r IS NULL" for c in columns)
    return {"sql_condition": condition, "label_for_charts": "missing", "is_null_level": True}


def _level(condition: str, label: str, tf_column: str | None = None) -> dict[str, Any]:
    level: dict[str, Any] = {"sql_condition": condition, "label_for_charts": label}
    if tf_column is not None:
        level["tf_adjustment_column"] = tf_column
        level["tf_adjustment_weight"] = 1.0
    return level


_ELSE = {"sql_condition": "ELSE", "label_for_charts": "all other"}


def _name_comparison(role: str) -> dict[str, Any]:
    token, bloom = f"tk_{role}", f"bf_{role}"
    levels = [
        _null_level(token),
        _level(f"{token}_l = {token}_r", "exact", tf_column=token),
    ]
    if role == "forename":
        canonical = "tk_forename_canonical"
        levels.append(_level(f"{canonical}_l = {canonical}_r", "same canonical name"))
    else:
        # Forename and surname share a token kind, so a name entered the wrong way round shows.
        levels.append(_level(f"{token}_l = tk_forename_r", "swapped with forename"))
    for threshold in NAME_DICE_LEVELS:
        levels.append(_level(f"{dice_sql(bloom)} >= {threshold}", f"Dice >= {threshold}"))
    levels.append(_ELSE)
    return {"output_column_name": role, "comparison_levels": levels}


def _dob_comparison() -> dict[str, Any]:
    return {
        "output_column_name": "dob",
        "comparison_levels": [
            _null_level("tk_dob"),
            _level("tk_dob_l = tk_dob_r", "exact"),
            _level("tk_dob_swapped_l = tk_dob_r", "day and month swapped"),
            _level(
                "tk_dob_year_l = tk_dob_year_r AND tk_dob_month_l = tk_dob_month_r",
                "same year and month",
            ),
            _level(
                "tk_dob_month_l = tk_dob_month_r AND tk_dob_day_l = tk_dob_day_r",
                "same day and month",
            ),
            _ELSE,
        ],
    }


def _postcode_comparison() -> dict[str, Any]:
    levels = [
        _null_level("tk_postcode"),
        _level("tk_postcode_l = tk_postcode_r", "exact"),
    ]
    for threshold in POSTCODE_DICE_LEVELS:
        levels.append(_level(f"{dice_sql('bf_postcode')} >= {threshold}", f"Dice >= {threshold}"))
    levels += [
        _level("tk_postcode_sector_l = tk_postcode_sector_r", "same sector"),
        _level("tk_postcode_district_l = tk_postcode_district_r", "same district"),
        _ELSE,
    ]
    return {"output_column_name": "postcode", "comparison_levels": levels}


def _exact_comparison(name: str, column: str) -> dict[str, Any]:
    return {
        "output_column_name": name,
        "comparison_levels": [
            _null_level(column),
            _level(f"{column}_l = {column}_r", "exact"),
            _ELSE,
        ],
    }


def settings(*, link_type: str = "link_and_dedupe") -> dict[str, Any]:
    """The Splink settings dictionary for linking encoded records."""
    return {
        "link_type": link_type,
        "unique_id_column_name": "unique_id",
        "source_dataset_column_name": "source_dataset",
        "probability_two_random_records_match": 1e-4,
        "blocking_rules_to_generate_predictions": list(PREDICTION_BLOCKING_RULES),
        "comparisons": [
            _name_comparison("forename"),
            _name_comparison("surname"),
            _dob_comparison(),
            _exact_comparison("sex", "tk_sex"),
            _postcode_comparison(),
            _exact_comparison("nhs_number", "tk_nhs_number"),
        ],
        "retain_matching_columns": False,
        "retain_intermediate_calculation_columns": False,
        "additional_columns_to_retain": [],
        "em_convergence": 0.001,
        "max_iterations": 20,
    }
