"""pypinyin fed only the phrases a word needs reads every word as with its whole dictionary."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from generator.site.structure.phrases import Phrases

ROOT = Path(__file__).resolve().parents[2]

# Readings with the whole dictionary, as pypinyin loads it by default (the same correction loaded).
FULL = """
import json, sys
from pypinyin import Style, lazy_pinyin, load_phrases_dict, pinyin
from generator.site.structure.search import PHRASE_FIXES
load_phrases_dict(PHRASE_FIXES)
words, chars = json.load(sys.stdin)
print(json.dumps([[lazy_pinyin(w, style=Style.NORMAL) for w in words],
                  [list(dict.fromkeys(pinyin(c, style=Style.NORMAL, heteronym=True)[0])) for c in chars]]))
"""

# The same through the search module, which never loads the whole dictionary.
LEAN = """
import json, sys
from generator.site.structure import search
words, chars = json.load(sys.stdin)
out = [[list(search.word_pinyin(w)) for w in words], [list(search._readings(c)) for c in chars]]
from pypinyin.constants import PHRASES_DICT
print(json.dumps(out + [len(PHRASES_DICT)]))
"""


def _run(code: str, payload, drop_env: bool) -> list:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYPINYIN_")} if drop_env else dict(os.environ)
    env["PYTHONPATH"] = str(ROOT)
    out = subprocess.run([sys.executable, "-c", code], input=json.dumps(payload), capture_output=True, text=True,
                         env=env, cwd=ROOT, check=True)
    return json.loads(out.stdout)


def _sample_words() -> list[str]:
    """Every 40th word of jieba's dictionary (about 9,000), and the polyphones the tests name."""
    import jieba

    with jieba.get_dict_file() as f:
        words = [line.split()[0] for line in f.read().decode("utf-8").splitlines()]
    han = [w for w in words if all("\u3400" <= c <= "\u9fff" for c in w)]
    return han[::40] + ["银行", "重庆", "调档", "行前培训", "长春银行行长", "重庆重新"]


def test_word_readings_equal_the_whole_dictionarys():
    words = _sample_words()
    chars = [chr(c) for c in range(0x4E00, 0x9FA6, 7)]
    full_words, full_chars = _run(FULL, [words, chars], drop_env=True)
    lean_words, lean_chars, loaded = _run(LEAN, [words, chars], drop_env=True)
    assert lean_words == full_words
    assert lean_chars == full_chars
    total = len(json.loads((Path(__import__("pypinyin").__file__).parent / "phrases_dict.json").read_bytes()))
    assert loaded < total / 2  # only what these words needed was loaded


def test_lookup_by_bisection_and_prefixes():
    data = json.dumps({"一丁不识": [["yī"], ["dīng"], ["bù"], ["shí"]], "银行": [["yín"], ["háng"]]},
                      ensure_ascii=False, indent=0).encode("utf-8")
    table = Phrases(data)
    assert table.get("银行") == [["yín"], ["háng"]]
    assert table.get("一丁不识") == [["yī"], ["dīng"], ["bù"], ["shí"]]
    assert table.get("银") is None and table.get("一丁") is None
    assert table.begins_some("一丁") and table.begins_some("银行")
    assert not table.begins_some("丁") and not table.begins_some("银行卡")


def test_another_layout_is_read_whole():
    data = json.dumps({"银行": [["yín"], ["háng"]], "一丁点儿": [["yī"], ["dīng"], ["diǎn"], ["er"]]},
                      ensure_ascii=False).encode("utf-8")  # one line: no key per line
    table = Phrases(data)
    assert table.get("银行") == [["yín"], ["háng"]]
    assert table.begins_some("一丁点") and not table.begins_some("点儿")
