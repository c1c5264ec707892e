"""One options object: shipped defaults (``default_config.toml``), a user file on top."""
from __future__ import annotations

import copy
import tomllib
from pathlib import Path
from typing import Any

DEFAULT_PATH = Path(__file__).with_name("default_config.toml")


class Config(dict):
    """A nested dict of sections; ``config.get(section, key, default)``."""

    def get(self, section: str, key: str | None = None, default: Any = None) -> Any:  # type: ignore[override]
        sec = super().get(section, {})
        if key is None:
            return sec
        return sec.get(key, default) if isinstance(sec, dict) else default


def _merge(base: dict, over: dict) -> dict:
    for k, v in over.items():
        if isinstance(v, dict) and isinstance(base.get(k), dict):
            _merge(base[k], v)
        else:
            base[k] = v
    return base


def load_config(path: str | Path | None = None, overrides: dict | None = None) -> Config:
    with open(DEFAULT_PATH, "rb") as f:
        data = tomllib.load(f)
    if path:
        with open(path, "rb") as f:
            _merge(data, tomllib.load(f))
    if overrides:
        _merge(data, copy.deepcopy(overrides))
    return Config(data)
