"""The topic bridge: curriculum topics named in a query, so that a learner's words reach passages
written in the roadmaps' words.

A learner asks "how do I save my trained model to a file?"; the roadmap says "Model Persistence:
Pickle, Joblib", and no word is shared. The curriculum lists "save model" among the aliases of
that topic, so the query names it, and retrieval adds the topic's names (its title and aliases)
to the dense query (`retrieve`). Names are matched on stemmed words in any order ("save my
trained model" has "save" and "model"). A matched name weighs by how rare it is in the passages
(its idf): "machine learning" says little about which passage is wanted, "save model" (in no
passage) a lot.

Built at ingest from `corpus/curriculum.yaml` and saved with the build (`topics.json`), so that a
query never reads the curriculum and always matches the passages it was built with. A corpus
without a curriculum gets an empty bridge, which matches nothing.

Not here: linking passages to the topics they cover (`index`), the curriculum itself
(`mentor.learning.curriculum`), abbreviations and typos (`lexical`).
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from mentor.errors import IndexDamaged

FILE = "topics.json"

_WORD = re.compile(r"[a-z0-9]+")
# Words that carry nothing inside a topic's name ("Data structures & algorithms (incl. Big-O)").
_FILLER = frozenset("a an and the of for with to in on or vs incl".split())


@lru_cache(maxsize=1)
def _stemmer():
    import Stemmer

    return Stemmer.Stemmer("english")


def stems(text: str) -> list[str]:
    """Lower-cased, stemmed words of `text`, filler words left out."""
    words = [w for w in _WORD.findall(text.lower().replace("’", "'")) if w not in _FILLER]
    return _stemmer().stemWords(words)


@dataclass(frozen=True)
class Name:
    topic: str
    stems: tuple[str, ...]
    idf: float  # of the name as a phrase among the passages; highest for a name no passage uses


class TopicBridge:
    def __init__(self, texts: dict[str, str], names: list[Name]):
        self.texts = texts  # topic id -> its title and aliases, what a matched topic adds to a query
        self.names = names

    @classmethod
    def build(cls, curriculum, passages: list[str]) -> "TopicBridge":
        """From the curriculum's topics (None: no curriculum) and the indexed passage texts."""
        if curriculum is None:
            return cls({}, [])
        bodies = [f" {' '.join(stems(p))} " for p in passages]
        texts, names = {}, []
        for topic in curriculum.topics.values():
            texts[topic.id] = "; ".join([topic.title, *topic.aliases])
            for name in dict.fromkeys(tuple(stems(n)) for n in [_main_title(topic.title), *topic.aliases]):
                if name:
                    df = sum(1 for body in bodies if f" {' '.join(name)} " in body)
                    names.append(Name(topic.id, name, math.log((len(bodies) + 1) / (df + 1))))
        return cls(texts, names)

    def match(self, query: str) -> dict[str, float]:
        """Topics named in `query`: topic id -> the idf of its rarest name found there."""
        words = set(stems(query))
        found: dict[str, float] = {}
        for name in self.names:
            if words.issuperset(name.stems):
                found[name.topic] = max(found.get(name.topic, 0.0), name.idf)
        return found

    def save(self, folder: Path) -> None:
        names = [[n.topic, list(n.stems), n.idf] for n in self.names]
        (folder / FILE).write_text(json.dumps({"texts": self.texts, "names": names}, ensure_ascii=False))

    @classmethod
    def load(cls, folder: Path) -> "TopicBridge":
        """The bridge saved in a build; IndexDamaged when the file does not hold one."""
        try:
            data = json.loads((folder / FILE).read_text(encoding="utf-8"))
            texts = {str(k): str(v) for k, v in data["texts"].items()}
            names = [Name(str(t), tuple(str(s) for s in st), float(idf)) for t, st, idf in data["names"]]
        except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError, AttributeError) as exc:
            raise IndexDamaged(folder, f"{FILE}: {type(exc).__name__}: {exc}") from exc
        if any(n.topic not in texts for n in names):
            raise IndexDamaged(folder, f"{FILE} names a topic it does not describe")
        return cls(texts, names)


def _main_title(title: str) -> str:
    """ "Model persistence (saving & loading models with pickle/joblib)" -> "Model persistence":
    the words in brackets are examples, each already an alias where it is a name of its own."""
    return re.split(r"\s*\(", title, maxsplit=1)[0]
