"""The judge suite: ragas Faithfulness, ResponseRelevancy and LLMContextPrecisionWithReference,
judged by the model `MENTOR_JUDGE` names (the same backend syntax as `MENTOR_LLM`:
`openai-like:<url>[#model]` or `transformers:<id or path>`).

Judge scores vary from run to run and model to model; the suite runs on demand, not in CI.
A score ragas cannot determine (NaN), or one the judge failed to give (a timeout, unparsable
output), is "unmeasured": counted and reported, never passed or failed.
"""

from __future__ import annotations

import asyncio
import math
import warnings

from mentor.assistant.agent import choose_llm
from mentor.errors import ConfigError
from mentor.evaluation.scoring import answer_text

METRICS = {
    "faithfulness": "ragas Faithfulness: share of the answer's claims the passages it was shown support",
    "response_relevancy": "ragas ResponseRelevancy: questions the judge derives from the answer, compared with the learner's (embeddings)",  # noqa: E501
    "llm_context_precision": "ragas LLMContextPrecisionWithReference: the judge's verdict on each passage shown, ranked, given the reference answer",  # noqa: E501
}


def judge_choice(settings):
    """The judge LLM from MENTOR_JUDGE; a clear error when it is missing or not a model."""
    spec = (settings.judge or "").strip()
    if not spec or spec in ("none", "auto"):
        raise ConfigError(
            "the judge suite needs a judge model: set MENTOR_JUDGE=openai-like:<url>[#model] "
            "or transformers:<id or path> (or pass --judge)"
        )
    return choose_llm(settings.with_overrides(llm=spec))


def ragas_embeddings(embedder):
    """The index's own embedder as ragas embeddings (ResponseRelevancy compares questions)."""
    from ragas.embeddings.base import BaseRagasEmbeddings
    from ragas.run_config import RunConfig

    class IndexEmbeddings(BaseRagasEmbeddings):
        def embed_query(self, text: str) -> list[float]:
            return [float(x) for x in embedder.embed_query(text)]

        def embed_documents(self, texts: list[str]) -> list[list[float]]:
            return [[float(x) for x in row] for row in embedder.embed_documents(texts)]

        async def aembed_query(self, text: str) -> list[float]:
            return self.embed_query(text)

        async def aembed_documents(self, texts: list[str]) -> list[list[float]]:
            return self.embed_documents(texts)

    wrapped = IndexEmbeddings()
    wrapped.set_run_config(RunConfig(max_retries=1))
    return wrapped


def judge_metrics(choice, embedder, timeout: float):
    from ragas.llms import LlamaIndexLLMWrapper
    from ragas.metrics import Faithfulness, LLMContextPrecisionWithReference, ResponseRelevancy
    from ragas.run_config import RunConfig

    run_config = RunConfig(timeout=int(max(1, timeout)), max_retries=1, max_wait=2)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        llm = LlamaIndexLLMWrapper(choice.llm, run_config=run_config)
    return {
        "faithfulness": Faithfulness(llm=llm),
        "response_relevancy": ResponseRelevancy(llm=llm, embeddings=ragas_embeddings(embedder), strictness=1),
        "llm_context_precision": LLMContextPrecisionWithReference(llm=llm),
    }


def score_with_judge(results, metrics: dict, progress=None) -> None:
    """Add the judge's scores to each answered case's metrics (NaN where unmeasured)."""
    from ragas import SingleTurnSample  # ragas costs 2 s: imported by the functions that use it

    async def one(result) -> None:
        case = result.case
        sample = SingleTurnSample(
            user_input=case.question,
            response=answer_text(result.answer),
            retrieved_contexts=result.contexts or None,
            reference=case.reference,
        )
        for name, metric in metrics.items():
            if name == "llm_context_precision" and not case.reference:
                continue  # needs a reference answer: not applicable to this case
            if name in ("faithfulness", "llm_context_precision") and not result.contexts:
                result.metrics[name] = math.nan
                result.notes.append(f"{name}: the answer was shown no passages")
                continue
            try:
                value = float(await metric.single_turn_ascore(sample))
            except Exception as exc:  # noqa: BLE001 - a judge failure of any kind is "unmeasured", not a crash
                value = math.nan
                result.notes.append(f"{name}: judge failed ({type(exc).__name__}: {str(exc)[:120]})")
            result.metrics[name] = value

    async def run_all() -> None:
        answered = [r for r in results if r.answer is not None]
        for i, result in enumerate(answered):
            await one(result)
            if progress:
                progress(i + 1, len(answered))

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        asyncio.run(run_all())
