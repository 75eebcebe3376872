"""Measure the default people/places/organisations finder on the shared corpora.

Run ``.venv/bin/python -m benchmarks.eval_entities`` (``--json PATH`` also
writes the figures).  Prints one table: PERSON and LOCATION precision,
recall and F1 on NIST IE-ER (all 94 documents) and GUM news (test + dev),
at mention level (span match) and entity level (unique names per
document); per-article Reuters-21578 PLACES and PEOPLE label scores on the
ModApte test split; and speed.  When spaCy and ``en_core_web_sm`` are
importable, the same rows are scored for spaCy in the same run.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import time
from collections.abc import Callable, Hashable, Iterable, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass

from benchmarks.corpora import bbc, gum, ieer, reuters, time_ir

# A prediction is (kind, start, end, text, name); kinds: PERSON, LOCATION, ORGANIZATION.
Pred = tuple[str, int, int, str, str]
Predictor = Callable[[str, str], list[Pred]]

# IE-ER documents looked at while developing the rules (APW, 14 March 1998); the
# other 71 are reported separately as never inspected.
IEER_DEV_PREFIX = "APW19980314"

# Reuters PLACES labels that do not fold to the gazetteer's country names.
REUTERS_PLACE_ALIASES = {
    "usa": "united states",
    "uk": "united kingdom",
    "ussr": "soviet union",
    "uae": "united arab emirates",
    "kampuchea": "cambodia",
    "burma": "myanmar",
    "zaire": "democratic republic of the congo",
    "congo": "republic of the congo",
    "ivory coast": "ivory coast",
    "trinidad tobago": "trinidad and tobago",
    "swaziland": "eswatini",
    "western samoa": "samoa",
    "yemen arab republic": "yemen",
    "yemen demo republic": "yemen",
    "us virgin islands": "u.s. virgin islands",
    "vatican": "vatican",
    "macao": "macao",
    "czechoslovakia": "czechoslovakia",
    "east germany": "east germany",
    "west germany": "west germany",
    "netherlands antilles": "netherlands antilles",
}


@dataclass
class Score:
    """Counts behind precision, recall and F1."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def add(self, predicted: AbstractSet[Hashable], gold: AbstractSet[Hashable]) -> None:
        self.tp += len(predicted & gold)
        self.fp += len(predicted - gold)
        self.fn += len(gold - predicted)

    def row(self) -> dict[str, float]:
        return {
            "precision": round(self.precision, 3),
            "recall": round(self.recall, 3),
            "f1": round(self.f1, 3),
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
        }


def fold(name: str) -> str:
    """Case, hyphen, possessive and leading-article folding for name comparison."""
    text = name.replace("\u2019", "'").casefold()
    text = re.sub(r"'s$|'$", "", text)
    text = re.sub(r"^the\s+", "", text)
    text = text.replace("-", " ").replace("_", " ")
    return " ".join(text.split())


# ---------------------------------------------------------------- predictors


def newsindex_predictor() -> tuple[Predictor, float]:
    """The default finder as a predictor, and its load time in this process."""
    from newsindex.extract.entities import EntityFinder

    start = time.perf_counter()
    finder = EntityFinder.load()
    loaded = time.perf_counter() - start
    kinds = {"person": "PERSON", "place": "LOCATION", "organisation": "ORGANIZATION"}

    def predict(title: str, body: str) -> list[Pred]:
        return [
            (kinds[m.kind], m.start, m.end, m.text, m.name)
            for m in finder.mentions(title, body)
            if m.kind in kinds
        ]

    return predict, loaded


def spacy_predictor() -> Predictor | None:
    """spaCy ``en_core_web_sm`` as a predictor, or None when it is not installed."""
    try:
        import spacy  # type: ignore[import-not-found]

        nlp = spacy.load("en_core_web_sm")
    except Exception:  # noqa: BLE001 - any failure means "not available"
        return None
    labels = {"PERSON": "PERSON", "GPE": "LOCATION", "LOC": "LOCATION", "ORG": "ORGANIZATION"}

    def predict(title: str, body: str) -> list[Pred]:
        text = f"{title}\n\n{body}" if title else body
        return [
            (labels[e.label_], e.start_char, e.end_char, e.text, e.text)
            for e in nlp(text).ents
            if e.label_ in labels
        ]

    return predict


# ---------------------------------------------------------------- IE-ER


# The agency in a dateline's brackets: "NAIROBI, Kenya (AP) _". IE-ER annotates it as an
# organisation; newsindex reports it as the story's credit (issue 16), so the scores
# treat it as optional, neither rewarded nor penalised.
_CREDIT = re.compile(r"\((?:AP|Reuters|AFP|UPI|NYT)\)\s*[_-]")


def _optional(entity: ieer.GoldEntity, text: str) -> bool:
    """An optional gold mention, or the agency of a dateline's credit."""
    if entity.optional:
        return True
    if entity.type != "ORGANIZATION" or entity.in_headline or entity.start > 120:
        return False
    return bool(_CREDIT.match(text, entity.start - 1))


def eval_ieer(predict: Predictor, docs: Sequence[ieer.IeerDoc]) -> dict[str, dict[str, Score]]:
    """Mention (exact span) and entity (unique folded names per doc) scores on IE-ER."""
    result = {
        kind: {"mention": Score(), "entity": Score()}
        for kind in ("PERSON", "LOCATION", "ORGANIZATION")
    }
    for doc in docs:
        preds = predict(doc.headline, doc.text)
        shift = len(doc.headline) + 2 if doc.headline else 0
        for kind, scores in result.items():
            gold = {
                (e.start + (0 if e.in_headline else shift), e.end + (0 if e.in_headline else shift))
                for e in doc.entities
                if e.type == kind and not _optional(e, doc.text)
            }
            optional = {
                (e.start + (0 if e.in_headline else shift), e.end + (0 if e.in_headline else shift))
                for e in doc.entities
                if e.type == kind and _optional(e, doc.text)
            }
            spans = {(s, e) for k, s, e, _, _ in preds if k == kind} - optional
            scores["mention"].add(spans, gold)
            gold_names = {
                fold(e.text) for e in doc.entities if e.type == kind and not _optional(e, doc.text)
            }
            opt_names = {
                fold(e.text) for e in doc.entities if e.type == kind and _optional(e, doc.text)
            }
            names = {fold(t) for k, _, _, t, _ in preds if k == kind} - opt_names
            scores["entity"].add(names, gold_names)
    return result


def upper_cased(predict: Predictor) -> Predictor:
    """The predictor run on the article set in capitals (offsets are unchanged)."""

    def predict_upper(title: str, body: str) -> list[Pred]:
        upper_title, upper_body = title.upper(), body.upper()
        if len(upper_title) != len(title) or len(upper_body) != len(body):
            upper_title, upper_body = title, body  # a letter whose capital is longer: rare
        return predict(upper_title, upper_body)

    return predict_upper


# ---------------------------------------------------------------- TIME (capitals)


def function_word_names(docs: Iterable[time_ir.TimeDoc]) -> tuple[int, int, list[str]]:
    """Names found in TIME's all-capitals articles that are a pronoun or function word.

    Counts distinct (article, name) pairs over people, places and organisations
    (inferred countries left out).  A name counts as bad when it is one stop word
    ("He", "And"), or is a person's name holding a capitalised stop word ("May
    Well"); a gazetteer place or organisation of several words ("My Tho", the
    Vietnamese city) is a real name.  Returns (bad, total, examples).
    """
    from newsindex.extract.entities import EntityFinder

    finder = EntityFinder.load()
    stop = finder.lexicon.stopwords
    bad = total = 0
    examples: list[str] = []
    for doc in docs:
        people, places, orgs = finder.find("", doc.text)
        person_names = {p.name for p in people}
        for entity in (*people, *places, *orgs):
            if entity.inferred:
                continue
            total += 1
            words = entity.name.split()
            checked = words if entity.name in person_names or len(words) == 1 else []
            if any(w[:1].isupper() and w.lower() in stop for w in checked):
                bad += 1
                examples.append(entity.name)
    return bad, total, examples


# ---------------------------------------------------------------- people facet

# Names checked by hand as not people, seen in the people facet of the mixed index
# (BBC business + politics, 1,000 Reuters-21578 stories) before the rules for groups,
# events and companies: parties and their members, institutions, events, companies,
# currencies and demonyms.
NOT_PEOPLE = frozenset(
    """MPs|Election|Tory|Law Lords|Yukos|Rosneft|Deutsche Boerse|Age Concern|Fannie Mae|Fed|
    N.Z. Dlrs|Fiat|Euronext|Lib Dems|European|Man Utd|ABN Amro|Staff Howard Baker|
    Guy Mansfield QC|Group""".replace("\n    ", "").split("|")
)


def mixed_articles() -> list[tuple[str, str]]:
    """The mixed collection: BBC business and politics, then 1,000 Reuters-21578 stories."""
    articles = [(d.title, d.body) for d in bbc.load() if d.category in {"business", "politics"}]
    for number, doc in enumerate(reuters.load()):
        if number == 1000:
            break
        articles.append(reuters_text(doc))
    return articles


def people_facet(articles: Iterable[tuple[str, str]], top: int = 100) -> list[tuple[str, int]]:
    """The ``top`` values of the people facet as a user gets them: the articles written as
    text files (title, blank line, body), built with ``NewsIndex.build`` and counted by
    ``NewsIndex.facets`` (short names merged by the index's name table)."""
    import tempfile
    from pathlib import Path

    from newsindex import NewsIndex

    with tempfile.TemporaryDirectory(prefix="people-facet-") as work:
        folder = Path(work) / "articles"
        folder.mkdir()
        for number, (title, body) in enumerate(articles):
            text = f"{title}\n\n{body}\n"
            (folder / f"{number:05d}.txt").write_text(text, encoding="utf-8")
        with NewsIndex.create(Path(work) / "index") as index:
            index.build([folder])
            facet = index.facets("*", ("people",), top=top)["people"]
    return [(c.value, c.count) for c in facet.counts]


# ---------------------------------------------------------------- GUM

GUM_KIND = {"person": "PERSON", "place": "LOCATION", "organization": "ORGANIZATION"}


def eval_gum(predict: Predictor, docs: Sequence[gum.GumDoc]) -> dict[str, dict[str, Score]]:
    """GUM scores: a prediction matches a gold mention when it lies inside the gold span
    and covers its head word; entities match through any matched mention."""
    result = {kind: {"mention": Score(), "entity": Score()} for kind in GUM_KIND.values()}
    for doc in docs:
        preds = predict("", doc.text)
        for gum_kind, kind in GUM_KIND.items():
            gold = [m for m in doc.mentions if m.type == gum_kind]
            mine = [p for p in preds if p[0] == kind]
            matched_gold: set[int] = set()
            matched_pred: set[int] = set()
            pairs: list[tuple[int, int]] = []
            tightest = sorted(range(len(gold)), key=lambda gi: gold[gi].end - gold[gi].start)
            for pi, (_, start, end, _, _) in enumerate(mine):
                for gi in tightest:
                    m = gold[gi]
                    if gi in matched_gold:
                        continue
                    inside = m.start <= start and end <= m.end
                    if inside and start < m.head_end and m.head_start < end:
                        matched_gold.add(gi)
                        matched_pred.add(pi)
                        pairs.append((pi, gi))
                        break
            score = result[kind]["mention"]
            score.tp += len(matched_pred)
            score.fp += len(mine) - len(matched_pred)
            score.fn += len(gold) - len(matched_gold)
            gold_entities = {m.entity for m in gold}
            pred_entities = {p[4] for p in mine}
            hit_gold = {gold[gi].entity for _, gi in pairs}
            hit_pred = {mine[pi][4] for pi, _ in pairs}
            entity = result[kind]["entity"]
            entity.tp += len(hit_gold)
            entity.fn += len(gold_entities - hit_gold)
            entity.fp += len(pred_entities - hit_pred)
    return result


# ---------------------------------------------------------------- Reuters


def reuters_text(doc: reuters.ReutersDoc) -> tuple[str, str]:
    """Title and body as an article: the dateline opens the body, as on the wire."""
    body = f"{doc.dateline} {doc.body}" if doc.dateline else doc.body
    return doc.title, body


def eval_reuters_places(docs: Iterable[reuters.ReutersDoc]) -> Score:
    """Per-article PLACES labels against the finder's countries, inferred ones included.

    Labels and predictions are compared as ISO 3166 alpha-2 codes, so the 1987
    label ``west-germany`` matches Germany; a label the gazetteer cannot place
    is compared by folded name.
    """
    from newsindex.extract.entities import EntityFinder

    finder = EntityFinder.load()
    code_of = {fold(p.name): p.country_code for p in finder.lexicon.countries.values()}
    score = Score()
    for doc in docs:
        if not doc.places:
            continue
        gold = set()
        for label in doc.places:
            name = REUTERS_PLACE_ALIASES.get(fold(label), fold(label))
            gold.add(code_of.get(name, name))
        title, body = reuters_text(doc)
        _, places, _ = finder.find(title, body)
        predicted = {p.country_code or fold(p.name) for p in places if p.kind == "country"}
        score.add(predicted, gold)
    return score


_LABEL_TITLES = {"king", "queen", "prince", "sheikh", "pope", "president"}


def _person_matches(label: str, names: Iterable[str]) -> bool:
    """A label matches a name holding all its words, or a bare surname equal to its last.

    Reuters labels are mostly surnames ("volcker") and sometimes full names
    ("james-baker"); a story that only ever writes "Baker" counts as found.
    """
    tokens = [t for t in fold(label).split() if t not in _LABEL_TITLES]
    for name in names:
        words = [w for w in fold(name).replace(".", " ").split() if len(w) > 1]
        if set(tokens) <= set(words) or (len(words) == 1 and words[0] == tokens[-1]):
            return True
    return False


def eval_reuters_people(docs: Iterable[reuters.ReutersDoc]) -> Score:
    """Per-article PEOPLE label recall (precision is not meaningful: few people are labelled)."""
    from newsindex.extract.entities import EntityFinder

    finder = EntityFinder.load()
    score = Score()
    for doc in docs:
        if not doc.people:
            continue
        title, body = reuters_text(doc)
        people, _, _ = finder.find(title, body)
        names = [p.name for p in people]
        for label in doc.people:
            if _person_matches(label, names):
                score.tp += 1
            else:
                score.fn += 1
    return score


# ---------------------------------------------------------------- speed


def measure_speed(docs: Sequence[reuters.ReutersDoc]) -> dict[str, float]:
    """Articles per second for the entity finder and for the whole default extractor."""
    from newsindex.documents import Article
    from newsindex.extract.entities import EntityFinder

    finder = EntityFinder.load()
    texts = [reuters_text(d) for d in docs]
    for title, body in texts[:200]:
        finder.find(title, body)  # warm up
    wall = time.perf_counter()
    start = time.process_time()
    for title, body in texts:
        finder.find(title, body)
    entity_seconds = time.process_time() - start
    wall = time.perf_counter() - wall
    figures = {
        "articles": float(len(texts)),
        "entities_cpu_ms_per_article": round(1000 * entity_seconds / len(texts), 3),
        "entities_articles_per_cpu_s": round(len(texts) / entity_seconds, 1),
        "entities_wall_ms_per_article": round(1000 * wall / len(texts), 3),
    }
    try:
        from newsindex.extract import get_extractor

        extractor = get_extractor("default")
    except Exception:  # noqa: BLE001 - the other extractor parts may be absent
        return figures
    articles = [
        Article(id=str(d.newid), title=t, body=b) for d, (t, b) in zip(docs, texts, strict=True)
    ]
    start = time.process_time()
    for article in articles:
        extractor(article)
    seconds = time.process_time() - start
    figures["default_extractor_articles_per_cpu_s"] = round(len(articles) / seconds, 1)
    return figures


def measure_load() -> float:
    """Seconds ``EntityFinder.load()`` takes in a fresh interpreter (imports included)."""
    code = (
        "import time; t = time.perf_counter();"
        "from newsindex.extract.entities import EntityFinder; EntityFinder.load();"
        "print(time.perf_counter() - t)"
    )
    best = min(
        float(
            subprocess.run(
                [sys.executable, "-c", code], capture_output=True, text=True, check=True
            ).stdout
        )
        for _ in range(3)
    )
    return round(best, 3)


# ---------------------------------------------------------------- report


def _line(label: str, score: Score) -> str:
    return (
        f"{label:<58} P {score.precision:.3f}  R {score.recall:.3f}  F1 {score.f1:.3f}"
        f"   (tp {score.tp}, fp {score.fp}, fn {score.fn})"
    )


def run(with_spacy: bool = True, split_out: str = "") -> tuple[dict[str, object], list[str]]:
    """Compute every figure; returns (figures, printable lines)."""
    lines: list[str] = []
    figures: dict[str, object] = {}
    ieer_docs = list(ieer.load())
    gum_docs = list(gum.load(only=("test", "dev")))
    gum_all = list(gum.load())
    predictors: list[tuple[str, Predictor]] = []
    predict, loaded = newsindex_predictor()
    predictors.append(("newsindex", predict))
    spacy_predict = spacy_predictor() if with_spacy else None
    if spacy_predict is not None:
        predictors.append(("spacy en_core_web_sm", spacy_predict))
    elif with_spacy:
        lines.append("spaCy en_core_web_sm: not installed here, column skipped")
    for system, predictor in predictors:
        ie = eval_ieer(predictor, ieer_docs)
        held_out = [d for d in ieer_docs if not d.docno.startswith(IEER_DEV_PREFIX)]
        unseen = eval_ieer(predictor, held_out)
        shouted = eval_ieer(upper_cased(predictor), ieer_docs)
        gm = eval_gum(predictor, gum_docs)
        gm_all = eval_gum(predictor, gum_all)
        tables = (
            ("IE-ER (94 docs)", ie),
            ("IE-ER unseen (71 docs)", unseen),
            ("IE-ER upper-cased (94 docs)", shouted),
            ("GUM news test+dev (4 docs)", gm),
            ("GUM news all (24 docs, 20 tuned on)", gm_all),
        )
        for corpus, table in tables:
            for kind in ("PERSON", "LOCATION", "ORGANIZATION"):
                for level in ("entity", "mention"):
                    score = table[kind][level]
                    label = f"[{system}] {corpus} {kind} {level}"
                    lines.append(_line(label, score))
                    figures[label] = score.row()
    test = reuters.modapte_test()
    places = eval_reuters_places(test)
    people = eval_reuters_people(test)
    lines.append(_line("[newsindex] Reuters ModApte test PLACES per article", places))
    lines.append(_line("[newsindex] Reuters ModApte test PEOPLE per article", people))
    figures["reuters places"] = places.row()
    figures["reuters people"] = people.row()
    facet = people_facet(mixed_articles())
    not_people = [name for name, _ in facet if name in NOT_PEOPLE]
    figures["people facet top 100, not people"] = not_people
    lines.append(f"[newsindex] people facet, mixed BBC + Reuters, top 100: not people {not_people}")
    bad, total, examples = function_word_names(time_ir.load())
    figures["time function-word names"] = {"bad": bad, "names": total, "examples": examples[:20]}
    lines.append(
        f"[newsindex] TIME (all capitals) names holding a pronoun or function word: "
        f"{bad} of {total} ({bad / max(total, 1):.3f}) {examples[:10]}"
    )
    speed = measure_speed(test[:2000])
    speed["load_s_in_process"] = round(loaded, 3)
    speed["load_s_fresh_process"] = measure_load()
    figures["speed"] = speed
    lines.append("speed (2,000 Reuters ModApte test articles, one core): " + json.dumps(speed))
    del split_out
    return figures, lines


def main(argv: Sequence[str] | None = None) -> int:
    """Print the evaluation table; ``--json PATH`` writes the figures too."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", help="also write the figures to this file")
    parser.add_argument("--no-spacy", action="store_true", help="skip the spaCy comparison")
    args = parser.parse_args(argv)
    figures, lines = run(with_spacy=not args.no_spacy)
    for line in lines:
        print(line)
    if args.json:
        with open(args.json, "w", encoding="utf-8") as handle:
            json.dump(figures, handle, indent=2)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
