"""Help Material's Chinese query segmentation find whole keywords.

Material segments a typed query greedily against the terms of the index, but never tries the
whole query as one term (only its proper prefixes), and then searches each segment with a
trailing wildcard. So a query equal to a keyword (办护照) only works if a prefix of it (办护)
is a term. For every keyword we add its prefix without the last character to the service's
page entry: "办护*" then matches 办护照 on that page and nowhere else.

Keywords and prefixes go into a field of their own, ``keywords`` (declared under ``search.fields``
in mkdocs.yml): searched, but never shown, so a result shows the page's summary, not run-together
keywords.
"""

from __future__ import annotations

import re

HAN = re.compile(r"^[\u3400-\u9fff]+$")


def keyword_prefixes(keywords: list[str]) -> list[str]:
    out = []
    for k in keywords:
        if HAN.match(k) and len(k) >= 3 and k[:-1] not in out:
            out.append(k[:-1])
    return out


FIELD = "keywords"


def augment_index(data: dict, keywords_by_location: dict[str, list[str]]) -> dict:
    """Give the page-level entries (location without '#') their keywords and keyword prefixes."""
    for doc in data.get("docs", []):
        words = keywords_by_location.get(doc.get("location"))
        if words:
            terms = list(dict.fromkeys([*words, *keyword_prefixes(words)]))
            doc[FIELD] = " ".join(terms)
    return data
