"""Thresholds of copy detection: data (gongwen/data/similar.yaml), overridable per office."""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from pathlib import Path

import yaml

DEFAULTS = Path(__file__).resolve().parent.parent / "data" / "similar.yaml"


@dataclass(frozen=True)
class SimilarConfig:
    min_run: int = 13  # consecutive (normalised) characters a shared run needs
    min_share: float = 0.5  # part of a unit's characters covered by shared runs
    min_chars: int = 13  # units shorter than this (normalised) are not compared
    df_share: float = 0.2  # a run in at least this part of the materials is a stock phrase …
    df_min: int = 5  # … and in at least this many materials
    shingle: int = 9  # characters per MinHash shingle
    num_perm: int = 128  # MinHash permutations
    lsh_threshold: float = 0.2  # Jaccard estimate above which LSH proposes a candidate pair
    min_jaccard: float = 0.1  # candidates whose MinHash estimate is below this are not verified
    max_sources: int = 5  # a unit found copied from this many sources is not compared further
    max_candidates: int = 20  # candidates verified per unit at most (most similar first)
    stock_phrases: bool = True  # discount the shipped formula list (gongwen/data/stock_phrases.txt)

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
        if cfg.min_run < 1 or not 0 < cfg.min_share <= 1 or cfg.shingle < 1 or cfg.shingle > cfg.min_run:
            raise ValueError("雷同检测参数超出范围：min_run ≥ 1，0 < min_share ≤ 1，1 ≤ shingle ≤ min_run")
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
