"""How a study plan's weeks read to a person: whole hours that still add up to the week, and one
short reason per week (what it starts, where the roadmaps put that, what it opens up).

Not here: packing hours into weeks and checking precedence (`plan.py`), writing the plan out
(`exports.py`).
"""

from __future__ import annotations

from mentor.learning.curriculum import Curriculum
from mentor.learning.order import finished


def whole_hours(hours: list[float]) -> list[int]:
    """`hours` as whole numbers adding up to their rounded total (largest remainders round up),
    so a week of 3.33 + 3.33 + 1.34 hours reads 3 + 3 + 2."""
    floors = [int(h + 1e-9) for h in hours]
    extra = round(sum(hours)) - sum(floors)
    by_remainder = sorted(range(len(hours)), key=lambda i: hours[i] - floors[i], reverse=True)
    for i in by_remainder[: max(extra, 0)]:
        floors[i] += 1
    return floors


def week_reasons(
    cur: Curriculum, weeks: list[list[tuple[str, float]]], statuses: dict[str, str], doc_titles: dict[str, str]
) -> list[str]:
    """One sentence per week: the topics it starts, the roadmap that puts the first of them
    there, and what they open up; a week that starts nothing says what it keeps going with."""
    seen: set[str] = set()
    reasons = []
    for week in weeks:
        new = [t for t, _ in week if t not in seen]
        if not new:
            reasons.append("Keeps going with " + _titles(cur, [t for t, _ in week]) + ".")
        else:
            reasons.append(_starts(cur, new, statuses, doc_titles, seen))
        seen.update(t for t, _ in week)
    return reasons


def _starts(cur: Curriculum, new: list[str], statuses: dict[str, str], doc_titles: dict[str, str], seen) -> str:
    lead = cur.topics[new[0]]
    text = f"Starts {_titles(cur, new)}: {where(cur, lead.id, doc_titles)}"
    planned = seen | set(new)
    opens = sorted(
        {s for t in new for s in cur.successors(t) if s not in planned and not finished(statuses, s)}, key=cur.sort_key
    )
    if opens:
        more = f" and {len(opens) - 2} more" if len(opens) > 2 else ""
        names = ", ".join(cur.topics[s].title for s in opens[:2])
        text += f"; {'it opens' if len(new) == 1 else 'they open'} {names}{more}"
    return text + "."


def where(cur: Curriculum, topic_id: str, doc_titles: dict[str, str]) -> str:
    """Which roadmap puts a topic where it is, in a few words."""
    step = cur.step(topic_id)
    backbone = short_title(doc_titles.get(cur.backbone_doc or "", "the dependency-correct roadmap"))
    if step is not None and step.track == "path":
        return f"step {step.name} of {backbone}"
    if step is not None:
        return f"{backbone} says to learn it alongside, any time"
    docs = [s.get("doc") for s in cur.topics[topic_id].sources if s.get("doc")]
    if docs:
        return f"{short_title(doc_titles.get(docs[0], docs[0]))} lists it"
    return "the curriculum lists it here"


def short_title(title: str) -> str:
    """A roadmap's title before its subtitle ("The Master Curriculum: Becoming…" -> "The Master Curriculum")."""
    return title.split(":")[0].split(" (")[0].strip()


def _titles(cur: Curriculum, ids: list[str], limit: int = 3) -> str:
    names = [cur.topics[t].title for t in ids[:limit]]
    if len(ids) > limit:
        names.append(f"{len(ids) - limit} more")
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
