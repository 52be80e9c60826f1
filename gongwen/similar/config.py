"""Thresholds of copy detection: data (gongwen/data/similar.yaml), overridable per office."""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from pathlib import Path

import yaml

DEFAULTS = Path(__file__).resolve().parent.parent / "data" / "similar.yaml"


@dataclass(frozen=True)
class SimilarConfig:
    min_run: int = 13  # consecutive (normalised) characters a shared run needs
    min_share: float = 0.5  # part of a unit's characters covered by shared runs (all its sources together)
    min_part: float = 0.2  # a source of a stitched unit covers at least this part of it
    min_chars: int = 13  # units shorter than this (normalised) are not compared
    max_family: int = 20  # a run in more units than this: each is verified against this many of them
    max_sources: int = 8  # a unit's report names at most this many sources (those adding coverage first)
    stock_phrases: bool = True  # discount the shipped formula list (gongwen/data/stock_phrases.txt)
    paraphrase: bool = True  # the 洗稿 level: problem points compared word by word
    para_share: float = 0.5  # part of a point's characters in sentences aligned with one source point
    para_sentence: float = 80.0  # rapidfuzz token_sort_ratio (0-100) of the sorted words at which two sentences align
    para_clause: int = 8  # points sharing clauses this long (after the variant table) are compared …
    para_clauses: int = 1  # … when they share at least this many
    para_words: int = 4  # sentences with fewer distinct words (after the variant table) are not aligned
    synonyms: str = ""  # a user's variant table, used besides gongwen/data/similar_variants.txt

    def with_values(self, values: dict | None) -> SimilarConfig:
        """This config with the known keys of `values` replaced (unknown keys are an error)."""
        if not values:
            return self
        known = {f.name: f.type for f in fields(self)}
        unknown = sorted(set(values) - set(known))
        if unknown:
            raise ValueError(f"未知的雷同检测参数：{'、'.join(unknown)}（可用：{'、'.join(known)}）")
        out = {}
        for key, value in values.items():
            default = getattr(self, key)
            try:
                out[key] = type(default)(value)
            except (TypeError, ValueError):
                raise ValueError(f"雷同检测参数 {key} 的值无效：{value!r}") from None
        cfg = replace(self, **out)
        if cfg.max_sources < 1:
            raise ValueError(f"雷同检测参数 max_sources 应至少为 1（每条报告列出的来源数），现为 {cfg.max_sources}")
        if (cfg.min_run < 1 or not 0 < cfg.min_share <= 1 or cfg.max_family < 1 or not 0 < cfg.min_part <= 1
                or not 0 < cfg.para_share <= 1
                or not 0 < cfg.para_sentence <= 100 or cfg.para_words < 2 or cfg.para_clause < 2
                or cfg.para_clauses < 1):
            raise ValueError("雷同检测参数超出范围：min_run ≥ 1，0 < min_share ≤ 1，0 < min_part ≤ 1，max_family ≥ 1，"
                             "0 < para_share ≤ 1，0 < para_sentence ≤ 100，para_words ≥ 2，para_clause ≥ 2，para_clauses ≥ 1")
        return cfg


def load_config(path: str | Path | None = None, overrides: dict | None = None) -> SimilarConfig:
    """The shipped defaults, then a YAML file of an office (same keys), then explicit overrides."""
    cfg = SimilarConfig().with_values(_read(DEFAULTS))
    if path is not None:
        cfg = cfg.with_values(_read(Path(path)))
    return cfg.with_values({k: v for k, v in (overrides or {}).items() if v is not None})


def _read(path: Path) -> dict:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise ValueError(f"{path}：不是有效的 YAML（{exc}）") from None
    if not isinstance(data, dict):
        raise ValueError(f"{path}：雷同检测配置应为“参数: 值”的映射")  # noqa: TRY004 - reported like any bad value
    return data.get("similar", data) if isinstance(data.get("similar", data), dict) else data
