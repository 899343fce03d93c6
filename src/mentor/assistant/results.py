"""What a tool call leaves behind: the `ToolResult` (the text a model reads, the data the offline
composer and the evaluation use, the passages it numbered) and the recorded `ToolCall`.

Not here: the tools (`tools.py`, `proposing.py`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class ToolResult:
    text: str  # what the model reads
    data: Any = None  # what the offline composer and the UI use
    sources: list[int] = field(default_factory=list)  # numbers in the SourceBook


@dataclass
class ToolCall:
    name: str
    args: dict
    result: ToolResult
