"""The HTTP routes of what a learner brings and takes away, mounted by `api.create_api`:

    GET    /api/corpus                   {"roadmaps": [...]}: the five built-in ones, then those added
    POST   /api/corpus                   {"user", "title", "text", "filename"?}: add a roadmap (the
                                         same JSON as `mentor corpus add --json`; the index is rebuilt)
    DELETE /api/corpus/{id}?user=        remove an added roadmap (with MENTOR_AUTH: one you added)
    GET    /api/notes?user=&topic=       your notes (on one topic, when given)
    POST   /api/notes                    {"user", "topic", "text"}: keep a note on a topic
    DELETE /api/notes/{id}?user=         delete one of your notes
    GET    /api/progress.csv?user=       statuses and notes as CSV (text/csv)
    GET    /api/reviews.ics?user=        reviews due now or within 90 days (text/calendar)

400: what the mentor refuses (an empty roadmap, one with no structure, a duplicate, a built-in
id, a title like a path; an empty note); 404: an unknown topic; 422: a field out of range.
Not here: reading roadmaps or keeping notes (`mentor.learning.own`, `mentor.learning.notes`),
the file formats (`mentor.learning.feeds`), sign-in (`auth.py`).
"""

from typing import Annotated

from fastapi import FastAPI, Path, Query
from fastapi.responses import Response
from pydantic import BaseModel, Field

from mentor.corpus.own import MAX_ROADMAP_BYTES, MAX_TITLE_CHARS
from mentor.deps import Deps
from mentor.learning.feeds import csv_export, review_feed
from mentor.learning.notes import store as notes
from mentor.learning.notes.store import MAX_NOTE_CHARS
from mentor.learning.own import roadmaps
from mentor.web.auth import learner_for
from mentor.web.fields import Text, User, learner_field

RoadmapId = Annotated[str, Path(min_length=1, max_length=48, pattern=r"^[a-z0-9][a-z0-9-]*$")]
NoteId = Annotated[int, Path(ge=1)]
TopicQuery = Annotated[Text | None, Query(max_length=200, description="a topic id or title; none: every note")]


class RoadmapIn(BaseModel):
    user: Text = learner_field()
    title: Text = Field(min_length=1, max_length=MAX_TITLE_CHARS, description="the id is made from it")
    text: Text = Field(min_length=1, max_length=MAX_ROADMAP_BYTES, description="the roadmap, text or Markdown")
    filename: Text = Field(default="", max_length=200, description="the file it came from, for people")


class NoteIn(BaseModel):
    user: Text = learner_field()
    topic: Text = Field(min_length=1, max_length=200, description="a topic id or title")
    text: Text = Field(min_length=1, max_length=MAX_NOTE_CHARS)


def add_own_routes(api: FastAPI, deps: Deps, guard) -> None:
    """`guard`: `api.Guard`, the routes' sign-in."""
    add_corpus_routes(api, deps, guard)
    add_note_routes(api, deps, guard)
    add_feed_routes(api, deps, guard)


def add_corpus_routes(api: FastAPI, deps: Deps, guard) -> None:
    @api.get("/api/corpus", responses=guard.errors(422, acts_for_learner=False))
    def corpus(account: guard.Account):
        return {"roadmaps": roadmaps.list_roadmaps(deps)}

    @api.post("/api/corpus", responses=guard.errors(400, 413, 422))
    def add(body: RoadmapIn, account: guard.Account):
        learner = learner_for(body.user, account)
        return roadmaps.add_roadmap(deps, learner, body.text, body.title, body.filename).to_dict()

    @api.delete("/api/corpus/{roadmap_id}", responses=guard.errors(400, 422))
    def remove(roadmap_id: RoadmapId, account: guard.Account, user: User = "me"):
        learner = learner_for(user, account)
        owner = learner if guard.accounts else None  # without sign-in there is no one to tell apart
        return roadmaps.remove_roadmap(deps, roadmap_id, owner).to_dict()


def add_note_routes(api: FastAPI, deps: Deps, guard) -> None:
    @api.get("/api/notes", responses=guard.errors(400, 404, 422))
    def notes_list(account: guard.Account, user: User = "me", topic: TopicQuery = None):
        return notes.notes_of(deps, learner_for(user, account), topic).to_dict()

    @api.post("/api/notes", responses=guard.errors(400, 404, 413, 422))
    def note_add(body: NoteIn, account: guard.Account):
        topic, note = notes.add_note(deps, learner_for(body.user, account), body.topic, body.text)
        return {"topic": topic.brief(), "note": note.to_dict()}

    @api.delete("/api/notes/{note_id}", responses=guard.errors(400, 422))
    def note_delete(note_id: NoteId, account: guard.Account, user: User = "me"):
        return {"deleted": notes.delete_note(deps, learner_for(user, account), note_id).to_dict()}


def add_feed_routes(api: FastAPI, deps: Deps, guard) -> None:
    csv_doc = {200: {"content": {"text/csv": {}}, "description": "one row per topic: status and notes"}}
    ics_doc = {200: {"content": {"text/calendar": {}}, "description": "an iCalendar feed (RFC 5545)"}}

    @api.get("/api/progress.csv", response_class=Response, responses={**csv_doc, **guard.errors(400, 422)})
    def progress_csv(account: guard.Account, user: User = "me"):
        learner = learner_for(user, account)
        headers = {"Content-Disposition": f'attachment; filename="mentor-progress-{learner}.csv"'}
        return Response(csv_export(deps, learner), media_type="text/csv; charset=utf-8", headers=headers)

    @api.get("/api/reviews.ics", response_class=Response, responses={**ics_doc, **guard.errors(400, 422)})
    def reviews_ics(account: guard.Account, user: User = "me"):
        learner = learner_for(user, account)
        return Response(review_feed(deps, learner), media_type="text/calendar; charset=utf-8")
