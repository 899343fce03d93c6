"""The error hierarchy. Our bugs raise ordinary exceptions; anything a person can cause or fix
raises a MentorError, which the CLI turns into a one-line message and its `exit_code`, and the
API into a JSON reply with its `http_status`."""


class MentorError(Exception):
    """Base class: a problem a person can understand and act on."""

    exit_code = 1
    http_status = 400  # what the request asked cannot be done


class UsageError(MentorError):
    """Bad input from the person: an empty query, an unreadable file."""

    exit_code = 2


class ConfigError(MentorError):
    """A setting that cannot be honoured (unknown backend, missing model weights)."""

    exit_code = 2


class IndexMissing(MentorError):
    """No finished index where one is expected."""

    http_status = 503

    exit_code = 3


class IndexMismatch(MentorError):
    """The index was built with another embedding backend than the one configured."""

    http_status = 503

    exit_code = 3


class StoreUnreachable(IndexMissing):
    """The Chroma server MENTOR_CHROMA_URL names does not answer: for a reader the index is out
    of reach, as if missing (the API answers 503, a chat goes on without retrieval)."""


class CorpusError(MentorError):
    """The corpus files are missing or malformed."""


class FetchRefused(MentorError):
    """A linked page that must not be fetched (private address, bad scheme)."""


class IndexDamaged(MentorError):
    """A build whose files are unreadable or differ from its manifest: `mentor ingest --force`
    rebuilds it."""

    http_status = 503

    exit_code = 3

    def __init__(self, where, what: str):
        self.where, self.what = where, " ".join(str(what).split())[:300]  # one line
        super().__init__(f"the index at {where} is damaged ({self.what}): run `mentor ingest --force` to rebuild it")


class PlanInvariantBroken(Exception):
    """A study plan that schedules a topic before its prerequisites: a bug of ours, never the
    learner's doing, so not a MentorError (no front end turns it into a polite message)."""


class UnknownTopic(MentorError):
    """Free text that names no curriculum topic; carries the closest topics as suggestions.
    (The tools turn it into an observation for the model; the API answers 404.)"""

    http_status = 404

    exit_code = 2

    def __init__(self, text: str, suggestions: list):
        self.text = text
        self.suggestions = suggestions
        hint = ", ".join(f"{t.title} ({t.id})" for t in suggestions)
        super().__init__(f"no topic matches {text!r}" + (f"; did you mean: {hint}?" if hint else ""))


class ProposalNotFound(UsageError):
    """No pending proposal of this learner has that id (unknown, or another learner's: the
    answer is the same, so ids cannot be probed). The API answers 404."""

    http_status = 404

    def __init__(self, proposal_id: str):
        self.proposal_id = proposal_id
        super().__init__(f"no proposal {proposal_id!r} for this learner")


class ProposalGone(UsageError):
    """A proposal that can no longer be applied: already applied or dismissed, expired, or an
    undo whose change is no longer the latest. The API answers 409."""

    http_status = 409

    def __init__(self, proposal_id: str, why: str):
        self.proposal_id = proposal_id
        super().__init__(f"proposal {proposal_id!r} cannot be applied: {why}")


class Unreachable(Exception):
    """The link fetcher could not resolve or connect to a host. Not a MentorError: the fetcher
    records it against the URL and goes on (or stops as offline after several hosts)."""

    def __init__(self, host: str, why: str):
        super().__init__(f"cannot reach {host} ({why})")
        self.host = host


class AgentFailed(MentorError):
    """The language model could not produce an answer (its server is down or its output is
    unusable). The conversation answers that turn in offline mode, with a notice."""


class BadToolCall(MentorError):
    """A model's tool call that does not fit the toolbox: no such tool, or arguments missing,
    unexpected or of the wrong type. The toolbox answers it as an observation so the model can
    correct itself; it never reaches a person."""


class ToolCallsRefused(AgentFailed):
    """An LLM server that refuses native tool calls (vLLM started without
    `--enable-auto-tool-choice`, an Ollama model without tools). Under MENTOR_LLM_TOOLS=auto the
    agent switches to ReAct; otherwise the turn is answered in offline mode, like any AgentFailed."""


class QuizNotFound(UsageError):
    """No quiz of this learner has that id (unknown, or another learner's), or the quiz has no
    such question. The API answers 404."""

    http_status = 404

    def __init__(self, quiz_id: str, detail: str = ""):
        self.quiz_id = quiz_id
        super().__init__(f"no quiz {quiz_id!r} for this learner" if not detail else f"quiz {quiz_id!r}: {detail}")


class QuizAnswered(UsageError):
    """A quiz question answered a second time: the first answer stands. The API answers 409."""

    http_status = 409

    def __init__(self, quiz_id: str, question_id: str):
        super().__init__(f"question {question_id!r} of quiz {quiz_id!r} was already answered")
