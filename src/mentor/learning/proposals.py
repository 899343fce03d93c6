"""Proposed changes to a learner's data, waiting for the learner to confirm them.

Chat never writes a learner's progress or profile: what it reads in the learner's words becomes
a `Proposal` (a status for a topic, an undo of the latest change, or profile fields), stored
with the words it came from. A proposal is single-use (applied or dismissed once), scoped to its
learner (another learner's id is "no such proposal"), and expires. Applying one happens in one
transaction: the proposal is marked used and the change is appended to the event log together,
so two concurrent applies of the same proposal write one change.

Not here: reading statements (`mentor.assistant.statements`), the use cases the front ends call
(`actions.apply_proposal`, `actions.dismiss_proposal`), the event log itself (`progress.py`).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import insert, select, update

from mentor.errors import ProposalGone, ProposalNotFound
from mentor.learning.progress import STATUSES, Event, ProgressStore, check_learner, new_id
from mentor.learning.schema import PROFILES, PROPOSALS

ID = re.compile(r"[A-Za-z0-9_-]{1,40}")  # what `secrets.token_urlsafe` makes
TTL = timedelta(hours=24)  # long enough to come back to a page; short enough not to surprise
KINDS = ("status", "undo", "profile")
MAX_EVIDENCE = 300
CONTROL = re.compile(r"[\x00-\x1f\x7f]")  # no part of the learner's words (PostgreSQL refuses NUL)


@dataclass
class Proposal:
    id: str
    learner: str
    kind: str  # status | undo | profile
    topic: str | None  # topic id (status, undo)
    status: str | None  # the status it would set (status), or restore (undo)
    evidence: str  # the learner's own words it came from
    title: str = ""  # the topic's title (or a summary of a profile change), for people
    payload: dict = field(default_factory=dict)  # profile fields (profile); {"undoes": [ids], "each_back"} (undo)
    undoes: int | None = None  # the event an undo reverts
    created_at: str = ""
    expires_at: str = ""

    def to_dict(self) -> dict:
        data = {
            "id": self.id,
            "kind": self.kind,
            "topic": self.topic,
            "title": self.title,
            "status": self.status,
            "evidence": self.evidence,
        }
        if self.kind == "profile":
            data["profile"] = self.payload
        return data

    @property
    def several(self) -> bool:
        """An undo of a whole statement's changes (`payload["undoes"]`), not of one change."""
        return self.kind == "undo" and len(self.payload.get("undoes", [])) > 1

    @property
    def each_back(self) -> bool:
        """An undo whose topics go back to different statuses: its title says each one's."""
        return self.several and bool(self.payload.get("each_back"))

    def describe(self) -> str:
        """What applying it does, in a few words: 'NumPy as done'."""
        if self.kind == "profile":
            return self.title
        if self.kind == "undo":
            if self.each_back:
                return f"undo: {self.title}"
            return f"undo: {self.title} back to {self.status.replace('_', ' ')}"
        return f"{self.title} as {self.status.replace('_', ' ')}"


@dataclass
class Applied:
    proposal: Proposal
    event: Event | None = None  # the change written (status, undo)
    profile: dict | None = None  # the profile now stored (profile)


class Proposals:
    """The proposals of every learner, in the progress database."""

    def __init__(self, store: ProgressStore, ttl: timedelta = TTL):
        self.store = store
        self.ttl = ttl

    def propose(
        self,
        learner: str,
        kind: str,
        evidence: str,
        topic: str | None = None,
        status: str | None = None,
        title: str = "",
        payload: dict | None = None,
        undoes: int | None = None,
    ) -> Proposal:
        check_learner(learner)
        if kind not in KINDS or (status is not None and status not in STATUSES):
            raise ValueError(f"bad proposal: {kind} {status}")  # our bug: callers pass checked values
        now = self.store.clock()
        proposal = Proposal(
            id=new_id(),
            learner=learner,
            kind=kind,
            topic=topic,
            status=status,
            evidence=" ".join(CONTROL.sub(" ", evidence).split())[:MAX_EVIDENCE],
            title=title,
            payload=payload or {},
            undoes=undoes,
            created_at=now.isoformat(),
            expires_at=(now + self.ttl).isoformat(),
        )
        row = {k: v for k, v in proposal.__dict__.items() if k not in ("payload", "title")}
        row["payload"] = json.dumps({"title": title, **({"profile": payload} if payload else {})})
        with self.store.engine.begin() as conn:
            conn.execute(insert(PROPOSALS).values(**row))
        return proposal

    def get(self, learner: str, proposal_id: str) -> Proposal:
        """A pending proposal of this learner; ProposalNotFound or ProposalGone otherwise."""
        with self.store.engine.connect() as conn:
            row = self._row(conn, learner, proposal_id)
        self._check_pending(row, self.store.clock())
        return _proposal(row)

    def pending(self, learner: str) -> list[Proposal]:
        """The learner's proposals still waiting for an answer, oldest first."""
        check_learner(learner)
        now = self.store.clock().isoformat()
        query = (
            select(PROPOSALS)
            .where(PROPOSALS.c.learner == learner, PROPOSALS.c.resolved_at.is_(None), PROPOSALS.c.expires_at > now)
            .order_by(PROPOSALS.c.created_at, PROPOSALS.c.id)
        )
        with self.store.engine.connect() as conn:
            return [_proposal(row._mapping) for row in conn.execute(query)]

    def apply(self, learner: str, proposal_id: str, note: str = "") -> Applied:
        """Carry out a pending proposal and mark it used, in one transaction."""
        with self.store.engine.begin() as conn:
            proposal = self._claim(conn, learner, proposal_id, "applied")
            return self._carry_out(conn, proposal, note)

    def dismiss(self, learner: str, proposal_id: str) -> Proposal:
        with self.store.engine.begin() as conn:
            return self._claim(conn, learner, proposal_id, "dismissed")

    # --- inside a transaction -------------------------------------------------------------

    def _row(self, conn, learner: str, proposal_id: str):
        check_learner(learner)
        if not isinstance(proposal_id, str) or not ID.fullmatch(proposal_id):  # never sent to the database
            raise ProposalNotFound(ascii(str(proposal_id)[:40])[1:-1])
        found = conn.execute(
            select(PROPOSALS).where(PROPOSALS.c.id == proposal_id, PROPOSALS.c.learner == learner)
        ).first()
        if found is None:  # unknown, or another learner's: the same answer, so ids cannot be probed
            raise ProposalNotFound(proposal_id)
        return found._mapping

    @staticmethod
    def _check_pending(row, now: datetime) -> None:
        if row["resolved_at"] is not None:
            raise ProposalGone(row["id"], f"it was already {row['resolution']}")
        if row["expires_at"] <= now.isoformat():
            raise ProposalGone(row["id"], "it has expired")

    def _claim(self, conn, learner: str, proposal_id: str, resolution: str) -> Proposal:
        now = self.store.clock()
        row = self._row(conn, learner, proposal_id)
        self._check_pending(row, now)
        claimed = conn.execute(
            update(PROPOSALS)
            .where(PROPOSALS.c.id == proposal_id, PROPOSALS.c.resolved_at.is_(None))
            .values(resolved_at=now.isoformat(), resolution=resolution)
        ).rowcount
        if claimed != 1:  # another request answered it between our read and our write
            raise ProposalGone(proposal_id, "it was already answered")
        return _proposal(row)

    def _carry_out(self, conn, proposal: Proposal, note: str) -> Applied:
        store, learner = self.store, proposal.learner
        if proposal.kind == "status":
            why = f"confirmed proposal {proposal.id}: {proposal.evidence}"[:MAX_EVIDENCE]
            event = store.append(conn, learner, proposal.topic, proposal.status, "confirmed", note or why)
            return Applied(proposal, event=event)
        if proposal.kind == "undo":  # a statement's changes, latest first: all of them or none
            event = None
            for expected in proposal.payload.get("undoes") or [proposal.undoes]:
                reverted = store.revert(conn, learner, expected=expected)
                if reverted is None:
                    raise ProposalGone(proposal.id, "the change it would undo is no longer the latest")
                event = event or reverted[1]
            return Applied(proposal, event=event)
        store.lock_learner(conn, learner)  # read, merge and write with no other change in between
        profile = {**_profile(conn, learner), **proposal.payload}
        store.write_profile(conn, learner, profile)
        return Applied(proposal, profile=profile)


def _profile(conn, learner: str) -> dict:
    raw = conn.execute(select(PROFILES.c.profile).where(PROFILES.c.learner == learner)).scalar()
    return json.loads(raw) if raw else {}


def _proposal(row) -> Proposal:
    extra = json.loads(row["payload"] or "{}")
    return Proposal(
        id=row["id"],
        learner=row["learner"],
        kind=row["kind"],
        topic=row["topic"],
        status=row["status"],
        evidence=row["evidence"],
        title=extra.get("title", ""),
        payload=extra.get("profile", {}),
        undoes=row["undoes"],
        created_at=row["created_at"],
        expires_at=row["expires_at"],
    )
