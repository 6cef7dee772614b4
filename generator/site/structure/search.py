"""Help Material's Chinese search find services however people type on a phone.

Material segments a typed query greedily against the terms of the index, but never tries the
whole query as one term (only its proper prefixes), and then searches each segment with a
trailing wildcard. So a query equal to a keyword (办护照) only works if a prefix of it (办护)
is a term. For every keyword we add its prefix without the last character to the service's
page entry: "办护*" then matches 办护照 on that page and nowhere else. Keywords and prefixes go
into a field of their own, ``keywords`` (declared under ``search.fields`` in mkdocs.yml):
searched, but never shown, so a result shows the page's summary, not run-together keywords.

Each service's keywords, and its name, keywords and summary terms as full pinyin (per word and
joined), initials and traditional characters, also go in a field of their own that the results
never show (``SPELLINGS``), weighted like a title: ``huzhao``, ``hz`` and ``護照`` find
普通护照签发 without any script, and a keyword outweighs a common word of other titles.

The index config also carries the small tables the browser needs to normalise a query the same
way (``overrides/assets/javascripts/search-normalize.js``): traditional -> simplified for the
characters of this index, and character -> pinyin for them and the common characters.
"""

from __future__ import annotations

import re
from functools import lru_cache

from .phrases import prepare

HAN = re.compile(r"^[\u3400-\u9fff]+$")
HAN_RUN = re.compile(r"[\u3400-\u9fff]+")
TAG = re.compile(r"<[^>]*>")
FIELD = "keywords"  # index field: keywords and their prefixes, searched, never shown
SPELLINGS = "spellings"  # index field: searched, never rendered by Material's result template
TRADITIONAL = ("s2t", "s2tw", "s2hk")  # OpenCC: standard, Taiwan and Hong Kong forms


def keyword_prefixes(keywords: list[str]) -> list[str]:
    out = []
    for k in keywords:
        if HAN.match(k) and len(k) >= 3 and k[:-1] not in out:
            out.append(k[:-1])
    return out


# ---------------------------------------------------------------- pinyin and traditional forms


@lru_cache(maxsize=None)
def _words(text: str) -> tuple[str, ...]:
    import jieba

    return tuple(w for w in jieba.lcut(text) if HAN.match(w))


def segment_terms(terms: list[dict]) -> None:
    """Segment now every text that ``spellings`` of ``terms`` ({"name", "keywords", "summary"})
    will segment, so jieba is not needed for them afterwards."""
    for t in terms:
        for term in [t["name"], *t["keywords"]]:
            for run in HAN_RUN.findall(term):
                _words(run)
        _words(t["summary"])


def release_segmenter() -> None:
    """Let jieba's dictionary go (50 MB) once every page and term is segmented, so OpenCC's
    dictionaries do not come on top of it; jieba reads it again if it is used again."""
    import jieba

    from ...memory import release

    jieba.dt.FREQ, jieba.dt.initialized = {}, False
    release()


@lru_cache(maxsize=None)
def _readings(char: str) -> tuple[str, ...]:
    """Toneless readings of one character, most common first (v for ü, as typed)."""
    prepare(char)
    from pypinyin import Style, pinyin

    return tuple(dict.fromkeys(pinyin(char, style=Style.NORMAL, heteronym=True)[0]))


# pypinyin's phrase dictionary reads polyphones in context (银行 yinhang, 重庆 chongqing); where
# it errs for a word of this catalog, the correction goes here.
PHRASE_FIXES = {"调档": [["diào"], ["dàng"]]}


@lru_cache(maxsize=None)
def word_pinyin(word: str) -> tuple[str, ...]:
    """Toneless syllables of a word, polyphones read by pypinyin's phrase dictionary (v for ü,
    as typed). Other readings are not indexed: the browser tries every reading of a typed
    character instead (its table lists a polyphone under each reading)."""
    from pypinyin import Style, lazy_pinyin, load_phrases_dict

    if not _fixes_loaded:
        load_phrases_dict(PHRASE_FIXES)
        _fixes_loaded.append(True)
    prepare(word)
    return tuple(lazy_pinyin(word, style=Style.NORMAL))


_fixes_loaded: list[bool] = []


def pinyin_forms(term: str) -> list[str]:
    """Full pinyin per word, joined for the whole term, and initials, of one Chinese term."""
    words = _words(term)
    if not words:
        return []
    per_word = [word_pinyin(w) for w in words]
    # "with spaces": one token per word; a lone syllable (chu, qu) would match too much
    out = ["".join(v) for v in per_word if len(v) > 1]
    out.append("".join("".join(v) for v in per_word))  # "without spaces": the whole term
    out.append("".join(s[0] for v in per_word for s in v))  # initials of the whole term ...
    if len(words) > 1:
        out.extend("".join(s[0] for s in v) for v in per_word if len(v) > 1)  # ... and of each word
    return out


_converters: dict[str, object] = {}


def _converter(config: str):
    if config not in _converters:
        import opencc

        _converters[config] = opencc.OpenCC(config)
    return _converters[config]


def release_converters() -> None:
    """Drop OpenCC's dictionaries (43 MB for the three) once a build's index is complete: they
    would otherwise sit on top of the memory the index takes to write. (The preview keeps them,
    for the next edit.)"""
    from ...memory import release

    _converters.clear()
    release()


def traditional_forms(term: str) -> list[str]:
    out = []
    for config in TRADITIONAL:
        t = _converter(config).convert(term)
        if t != term and t not in out:
            out.append(t)
    return out


def spellings(name: str, keywords: list[str], summary: str) -> list[str]:
    """Every other spelling of a service's name, keywords and summary terms, deduplicated."""
    return list(_spellings(name, tuple(keywords), summary))


@lru_cache(maxsize=None)
def _spellings(name: str, keywords: tuple[str, ...], summary: str) -> tuple[str, ...]:
    terms = [name, *keywords]
    summary_terms = [w for w in _words(summary) if len(w) >= 2]
    out: list[str] = []
    for term in terms:
        for run in HAN_RUN.findall(term):
            out.extend(pinyin_forms(run))
            out.extend(traditional_forms(run))
    for w in summary_terms:
        out.append("".join(word_pinyin(w)))
        out.extend(traditional_forms(w))
    trad_keywords = [t for k in keywords if HAN.match(k) for t in traditional_forms(k)]
    out.extend(keyword_prefixes(trad_keywords))  # 護照辦 for 護照辦理, as for the simplified form
    return tuple(dict.fromkeys(out))


# ---------------------------------------------------------------- the browser's tables


@lru_cache(maxsize=None)
def common_characters() -> str:
    """The 3755 level-1 characters of GB 2312: what a pinyin keyboard offers first."""
    out = []
    for row in range(0xB0, 0xD8):
        for col in range(0xA1, 0xFF):
            try:
                out.append(bytes([row, col]).decode("gb2312"))
            except UnicodeDecodeError:  # the unused end of row 0xD7
                pass
    return "".join(out)


# The preview completes the index again after every edit: what a text or a run gave before is
# remembered (a few MB at 1,000 services), so only new text costs.
@lru_cache(maxsize=None)
def _han_runs(text: str) -> frozenset[str]:
    return frozenset(HAN_RUN.findall(TAG.sub(" ", text)))


@lru_cache(maxsize=None)
def _traditional_pairs(config: str, run: str) -> tuple[tuple[str, str], ...]:
    """(traditional, simplified) characters where OpenCC's conversion of ``run`` differs, in order."""
    t = _converter(config).convert(run)
    if len(t) != len(run):
        return ()
    return tuple((a, b) for a, b in zip(t, run) if a != b)


def browser_tables(data: dict, remember: bool = True) -> dict:
    """Traditional -> simplified for the Han characters of the index, character -> pinyin for them
    and the common characters (a slip may be typed with a character the index lacks).

    ``t2s``: pairs of characters, traditional then simplified, aligned from OpenCC's phrase-aware
    conversion of the index's own text. ``pinyin``: syllable -> the characters whose most common
    reading it is; ``pinyin_other``: the same for their other readings (a polyphone such as 行
    is listed under each).

    ``remember``: keep what each text and run gave, for the next call (the preview's); a build
    calls once, and the memory (10 MB at 1,000 services) would add to its peak."""
    runs_of = _han_runs if remember else _han_runs.__wrapped__
    pairs_of = _traditional_pairs if remember else _traditional_pairs.__wrapped__
    runs: set[str] = set()
    for doc in data.get("docs", []):
        for field in ("title", "text", FIELD):
            runs.update(runs_of(doc.get(field, "")))
    # A slip is typed with a character the index may lack (勉税车, 台弯): the pinyin tables also
    # read the common characters, so the browser can tell it sounds like the index's one.
    chars = sorted({c for r in runs for c in r} | set(common_characters()))
    pairs: dict[str, str] = {}
    for config in TRADITIONAL:
        for run in sorted(runs):
            for a, b in pairs_of(config, run):
                pairs.setdefault(a, b)
    first: dict[str, str] = {}
    other: dict[str, str] = {}
    for c in chars:
        readings = [r for r in _readings(c) if r.isascii() and r.isalpha()]
        for n, r in enumerate(readings):
            table = first if n == 0 else other
            table[r] = table.get(r, "") + c
    return {
        "t2s": "".join(a + b for a, b in sorted(pairs.items())),
        "pinyin": dict(sorted(first.items())),
        "pinyin_other": dict(sorted(other.items())),
    }


def augment_index(data: dict, terms_by_location: dict[str, dict], remember: bool = True) -> dict:
    """Give the page-level entries (location without '#') their keywords and keyword prefixes, other
    spellings in a field of their own, and the index config the browser's tables.

    ``terms_by_location``: location -> {"name", "keywords", "summary"} of the service;
    ``remember``: as for ``browser_tables``."""
    for doc in data.get("docs", []):
        terms = terms_by_location.get(doc.get("location"))
        if not terms:
            continue
        doc[FIELD] = " ".join(dict.fromkeys([*terms["keywords"], *keyword_prefixes(terms["keywords"])]))
        words = [k for k in terms["keywords"] if HAN.match(k)] + spellings(terms["name"], terms["keywords"], terms["summary"])
        doc[SPELLINGS] = " ".join(dict.fromkeys(words))
    config = data.setdefault("config", {})
    fields = config.setdefault("fields", {})
    # As strong as a title word: a question's keyword (社保卡) must outweigh a common word of
    # another service's title (申请).
    fields[SPELLINGS] = {"boost": fields.get("title", {}).get("boost", 1.0)}
    config["normalize"] = browser_tables(data, remember)
    return data
