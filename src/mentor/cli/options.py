"""What every command shares: the settings built from MENTOR_* variables and the common flags,
and the argparse types that refuse bad values with exit 2 (an empty file name, a number out of
range). Not here: any command."""

from __future__ import annotations

import argparse
from pathlib import Path

from mentor.config import Settings, load_settings

SETTING_FLAGS = ("index_dir", "home", "corpus_dir", "embed", "rerank", "llm")


def settings_from(args: argparse.Namespace) -> Settings:
    """MENTOR_* variables, overridden by the flags given (validated: a bad value is a
    ConfigError naming the flag or the variable)."""
    return load_settings(**{f: getattr(args, f, None) for f in SETTING_FLAGS})


def common_flags() -> argparse.ArgumentParser:
    """The flags every command takes (a parent parser)."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--index-dir", type=Path, help="index folder (MENTOR_INDEX_DIR)")
    common.add_argument("--home", type=Path, help="user data folder (MENTOR_HOME)")
    common.add_argument("--corpus-dir", type=Path, help="corpus folder (MENTOR_CORPUS_DIR)")
    common.add_argument("--embed", help="auto | lsa | sentence-transformers:<id or path> (MENTOR_EMBED)")
    common.add_argument("--rerank", help="none | cross-encoder:<id or path> (MENTOR_RERANK)")
    return common


def int_between(low: int, high: int):
    """An argparse type: an integer from low to high, refused (exit 2) otherwise."""

    def parse(text: str) -> int:
        value = int(text)  # a ValueError: argparse says "invalid int value"
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"must be between {low} and {high} (got {value})")
        return value

    parse.__name__ = "int"
    return parse


def file_arg(text: str) -> Path:
    """An argparse type for a file name: an empty one is refused (Path('') would be '.')."""
    if not text.strip():
        raise argparse.ArgumentTypeError("the file name is empty")
    return Path(text)
