"""Load a YAML data file into a pydantic model; errors name the file and the field."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from .errors import ConfigError

M = TypeVar("M", bound=BaseModel)


def load_model(path: Path, model: type[M], hint: str) -> M:
    """`model` validated from the YAML at `path`; ConfigError naming the file and the field, with `hint`."""
    try:
        return model.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc}", "check ADVISOR_KNOWLEDGE_DIR") from exc
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path}: not valid YAML: {exc}", "fix the syntax") from exc
    except ValidationError as exc:
        err = exc.errors()[0]
        raise ConfigError(f"{path}: field '{'.'.join(map(str, err['loc'])) or '(top level)'}': {err['msg']}",
                          hint) from exc


def check_patterns(patterns: list[str]) -> list[str]:
    """The patterns, unchanged, when every one compiles; ValueError naming the bad one otherwise."""
    for p in patterns:
        try:
            re.compile(p)
        except re.error as exc:
            raise ValueError(f"pattern {p!r} is not a valid regular expression: {exc}") from exc
    return patterns
