"""The search index's other spellings (pinyin, initials, traditional) and the browser's tables."""

from __future__ import annotations

import json
import re

import pytest

from generator.site.structure.search import (FIELD, SPELLINGS, augment_index, common_characters, pinyin_forms, spellings,
                                             traditional_forms)


def test_pinyin_with_and_without_spaces_and_initials():
    forms = pinyin_forms("普通护照签发")
    assert {"putong", "huzhao", "qianfa", "putonghuzhaoqianfa", "pthzqf", "hz"} <= set(forms)


def test_polyphones_read_in_context():
    assert "xingqianpeixun" in pinyin_forms("行前培训")  # 行 xing, not hang
    assert "diaodang" in pinyin_forms("调档")  # the phrase dictionary's tiao is corrected
    assert pinyin_forms("银行")[0] == "yinhang"  # 行 hang in this phrase


def test_traditional_forms_standard_taiwan_hong_kong():
    assert "護照" in traditional_forms("护照")
    assert {"臺灣通行證", "台灣通行證"} <= set(traditional_forms("台湾通行证"))
    assert traditional_forms("留学") == ["留學"]


def test_spellings_of_a_service():
    out = spellings("普通护照签发", ["办护照", "护照"], "公安机关为出国的中国公民签发普通护照。")
    assert {"banhuzhao", "bhz", "辦護照", "護照", "普通護照簽發", "gonganjiguan"} <= set(out)
    assert len(out) == len(set(out))


@pytest.fixture(scope="module")
def index():
    data = {
        "config": {"lang": ["zh"], "separator": "[\\s\\u200b]+", "fields": {"title": {"boost": 1000.0}, "text": {"boost": 1.0}}},
        "docs": [
            {"location": "services/passport/", "title": "普通\u200b护照\u200b签发", "text": "<p>办护照\u200b户口簿</p>"},
            {"location": "services/passport/#x", "title": "材料", "text": "<p>身份证</p>"},
            {"location": "about/", "title": "关于", "text": "<p>银行</p>"},
        ],
    }
    return augment_index(data, {"services/passport/": {"name": "普通护照签发", "keywords": ["办护照", "护照办理"],
                                                        "summary": "签发普通护照。"}})


def test_only_the_service_page_entry_gets_spellings(index):
    docs = {d["location"]: d for d in index["docs"]}
    assert "huzhao" in docs["services/passport/"][SPELLINGS].split()
    assert "办护照" in docs["services/passport/"][SPELLINGS].split()
    assert SPELLINGS not in docs["services/passport/#x"] and SPELLINGS not in docs["about/"]
    assert "护照办" in docs["services/passport/"][FIELD].split()  # keyword prefix, in the unseen keywords field
    assert "护照办" not in docs["services/passport/"]["text"]


def test_spellings_field_weighs_like_a_title(index):
    assert index["config"]["fields"][SPELLINGS] == {"boost": 1000.0}


def test_browser_tables_cover_the_index_and_common_characters(index):
    tables = index["config"]["normalize"]
    text = json.dumps([d.get("title", "") + d.get("text", "") + d.get(FIELD, "") for d in index["docs"]],
                      ensure_ascii=False)
    han = set(re.findall(r"[\u3400-\u9fff]", text))
    listed = {c for table in (tables["pinyin"], tables["pinyin_other"]) for chars in table.values() for c in chars}
    common = set(common_characters())
    assert len(common) == 3755 and listed == han | common
    # a slip's character the index lacks (勉税车 for 免税车) still has its reading
    assert "勉" not in han and "勉" in tables["pinyin"]["mian"]
    assert "护" in tables["pinyin"]["hu"] and "行" in tables["pinyin_other"]["hang"]
    pairs = dict(zip(tables["t2s"][::2], tables["t2s"][1::2]))
    assert pairs["護"] == "护" and pairs["證"] == "证" and set(pairs.values()) <= han


def test_augmentation_is_reproducible(index):
    data = {"config": {"fields": {}}, "docs": [{"location": "s/", "title": "护照", "text": "护照"}]}
    terms = {"s/": {"name": "护照", "keywords": ["办护照"], "summary": "护照。"}}
    a = json.dumps(augment_index(json.loads(json.dumps(data)), terms), ensure_ascii=False)
    b = json.dumps(augment_index(json.loads(json.dumps(data)), terms), ensure_ascii=False)
    assert a == b


def test_spellings_after_the_dictionaries_are_let_go():
    """A build segments every term, lets jieba's dictionary go, then reads pinyin and traditional
    forms; the spellings are the same, and jieba is not loaded again for them."""
    import jieba

    from generator.site.structure import search

    term = {"name": "出国留学人员行前培训", "keywords": ["办护照", "银行卡"], "summary": "学成回国人员到重庆调档"}
    search._spellings.cache_clear()
    search._words.cache_clear()
    before = spellings(term["name"], term["keywords"], term["summary"])
    search._spellings.cache_clear()
    search._words.cache_clear()
    search.segment_terms([term])
    search.release_segmenter()
    search.release_converters()
    assert not jieba.dt.initialized and not jieba.dt.FREQ
    assert spellings(term["name"], term["keywords"], term["summary"]) == before
    assert not jieba.dt.initialized  # the terms' words were remembered
    assert traditional_forms("护照") == ["護照"]  # OpenCC comes back when asked
