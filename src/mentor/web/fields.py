"""The request field types every API route module shares: text that is whole characters, and
the learner (a query parameter or a body field), documented once for the OpenAPI schema.

Not here: the routes (`api.py`, `study_api.py`, `own_api.py`) or their errors.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Query
from pydantic import AfterValidator, Field


def _whole_characters(text: str) -> str:
    """A lone UTF-16 surrogate (JSON "\\ud800") is no character: nothing downstream (the
    database, the answer, the JSON reply) can store or encode it, so it is refused here."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError("contains a lone UTF-16 surrogate, which is not a character") from None
    return text


Text = Annotated[str, AfterValidator(_whole_characters)]
LEARNER_HELP = "the learner: 1-64 letters, digits and . _ @ - (with MENTOR_AUTH: 'me' or your own account)"
# mentor.learning.progress.check_learner's rule, for the OpenAPI description: a name against it is
# refused by check_learner (400), so it is documented here but not enforced by pydantic (422).
LEARNER_DOC = {"pattern": r"^(?!.*\.\.)[A-Za-z0-9][A-Za-z0-9_.@-]{0,63}$"}
User = Annotated[Text, Query(min_length=1, max_length=64, description=LEARNER_HELP, json_schema_extra=LEARNER_DOC)]


def learner_field():
    """The `user` field of a request body."""
    return Field(default="me", min_length=1, max_length=64, description=LEARNER_HELP, json_schema_extra=LEARNER_DOC)
