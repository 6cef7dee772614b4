"""The guide site: pages, short links, escaping, failure handling, reproducibility."""

from __future__ import annotations

import filecmp
import html
import json
import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from generator.catalog import load
from generator.site.build import build_site
from generator.site.structure import Renderer, Site
from generator.site.structure.offline import write_zip

from site_support import REPLACEMENT_ID, RETIRED_ID, ROOT, hostile_catalog


@pytest.fixture
def retired_path(retired_site) -> Path:
    return retired_site[0]


@pytest.fixture
def site(retired_site) -> Path:
    return retired_site[1]


def read(site: Path, rel: str) -> str:
    return (site / rel).read_text(encoding="utf-8")


def test_every_service_department_and_stage_has_a_page(site, retired_path):
    catalog = load(retired_path)
    for s in catalog.services:
        text = read(site, f"services/{s.id}/index.html")
        assert html.escape(s.name, quote=False) in text
    for d in catalog.departments:
        assert html.escape(d.name, quote=False) in read(site, f"departments/{d.id}/index.html")
    for st in catalog.stages:
        assert html.escape(st.name, quote=False) in read(site, f"stages/{st.id}/index.html")
    home = read(site, "index.html")
    assert '<html lang="zh-CN"' in home
    for name in ("关于", "使用说明", "无障碍声明", "隐私说明", "我的清单"):
        assert name in home


def test_home_lists_each_stage_in_plan_order(site, retired_path):
    catalog = load(retired_path)
    home = read(site, "index.html")
    body = home[home.index('class="guide-steps"'):]
    for s in catalog.services:  # str.index raises for a missing link; a retired one must be absent
        assert (f'services/{s.id}/"' in body) == (s.status == "active"), s.id
    for st in catalog.stages:
        for cat in catalog.categories:
            items = sorted((s for s in catalog.services if s.stage == st.id and s.category == cat.id
                            and s.status == "active"), key=lambda s: s.number)
            where = [body.index(f'services/{s.id}/"') for s in items]
            assert where == sorted(where), (st.id, cat.id)
    assert "政务服务" in body and "增值服务" in body


def test_short_link_for_every_id_including_retired(site, retired_path):
    catalog = load(retired_path)
    for s in catalog.services:
        text = read(site, f"s/{s.id}/index.html")
        target = f"../../services/{s.id}/"
        assert f'content="0; url={target}"' in text
        assert f'location.replace("{target}"' in text
        assert f'<a href="{target}">' in text
        assert (site / "s" / s.id / target / "index.html").resolve().is_file()
    retired = read(site, f"services/{RETIRED_ID}/index.html")
    assert "本事项已调整" in retired
    assert f'href="../{REPLACEMENT_ID}/"' in retired


def test_service_page_elements_in_fixed_order(site):
    """办事要点 first, then how, materials and details; 设定依据 and 信息来源 last."""
    text = read(site, "services/passport/index.html")
    ids = ["summary", "how", "online", "in-person", "materials", "audience", "time-limits", "fees", "results",
           "phones", "department", "related", "qr", "verification", "legal-basis", "sources"]
    where = [text.index(f'id="{i}"') for i in ids]
    assert where == sorted(where)
    assert 'href="tel:12367"' in text and 'href="tel:063112367"' in text
    assert 'type="checkbox"' in text and "data-guide-tick" in text
    assert 'data-fact="cost"' in text and "普通护照 120 元/本" in text


def test_service_page_has_a_contents_list(site):
    text = read(site, "services/passport/index.html")
    toc = text[text.index('class="md-nav md-nav--secondary"'):]
    toc = toc[:toc.index("</nav>\n</div>") if "</nav>\n</div>" in toc else len(toc)]
    for anchor in ("#summary", "#how", "#materials", "#fees", "#legal-basis"):
        assert f'href="{anchor}"' in toc, anchor


def test_keywords_are_searched_but_not_shown(site):
    index = json.loads(read(site, "search/search_index.json"))
    doc = next(d for d in index["docs"] if d["location"] == "services/passport/")
    assert "办护照" in doc["keywords"].split() and "办护" in doc["keywords"].split()
    assert "办护" not in doc["text"] and "\u200b办护" not in doc["text"]
    assert "keywords" in index["config"]["fields"]
    assert "常用说法" not in read(site, "services/passport/index.html")


def test_one_notice_and_counts_said_once(site):
    text = read(site, "services/passport/index.html")
    assert text.count('class="guide-notice"') == 1
    notice = text[text.index('class="guide-notice"'):]
    notice = notice[:notice.index("</div>")]
    assert "以办理窗口的答复为准" in notice and 'href="tel:12367"' in notice
    assert "材料份数" in notice and "办件类型" in notice
    assert text.count("份数尚未公开") == 1
    assert "原件和复印件份数未公开" not in text


def test_no_qr_to_a_placeholder_address(site):
    text = read(site, "services/passport/index.html")
    assert "guide-qr__code" not in text and "liuxue.weihai.example" not in text.split('id="qr"')[1].split("</section>")[0]
    assert "/s/passport/" in text and "暂不提供二维码" in text


def test_pending_elements_are_marked_with_their_note(site, retired_path):
    catalog = load(retired_path)
    passport = next(s for s in catalog.services if s.id == "passport")
    text = read(site, "services/passport/index.html")
    assert 'class="guide-pending__mark">待核实<' in text
    assert html.escape(passport.case_type.pending, quote=False) in text
    home = read(site, "index.html")
    assert html.escape(catalog.meta.help_desk.address.pending, quote=False) in home


def test_qr_decodes_to_the_short_link():
    import zxingcpp
    from support import raster, svg_modules

    catalog = load(ROOT / "data" / "services.yaml")
    data = catalog.model_dump()
    data["meta"]["site_url"] = "https://liuxue.weihai.gov.cn"
    real = type(catalog).model_validate(data)
    out = Renderer(Site(real)).render("service:passport")
    svg = re.search(r"<svg [^>]*guide-qr__code.*?</svg>", out, re.S).group(0)
    assert 'aria-label="二维码:' in svg  # named for screen readers, but not as text the search would index
    found = zxingcpp.read_barcodes(raster(svg_modules(svg)))
    assert [r.text for r in found] == ["https://liuxue.weihai.gov.cn/s/passport/"]


def test_nav_is_grouped_so_pages_do_not_list_every_service(site):
    home = read(site, "index.html")
    nav = home[home.index('class="md-nav md-nav--primary"'):home.index("</nav>", home.index('class="md-nav md-nav--primary"'))]
    assert nav.count("services/") < 30


def test_renderer_escapes_hostile_text():
    catalog = load(ROOT / "data" / "services.yaml")
    data = catalog.model_dump()
    s = data["services"][0]
    s["name"] = '<script>window.__pwned=1</script>护照'
    s["summary"] = '<img src=x onerror="window.__pwned=2">'
    s["keywords"] = ["javascript:alert(1)"]
    s["channels"]["online"] = [{"name": "<b>x</b>", "url": "javascript:window.__pwned=3"}]
    hostile = type(catalog).model_validate(data)
    out = Renderer(Site(hostile)).render(f"service:{s['id']}")
    assert "<script>window" not in out and "<img src=x" not in out and "<b>x</b>" not in out
    assert 'href="javascript:' not in out
    assert "&lt;script&gt;" in out


def test_guide_build_rejects_markup_with_location_and_keeps_site(tmp_path):
    bad = hostile_catalog(tmp_path / "services.yaml")
    site = tmp_path / "out"
    site.mkdir()
    (site / "marker.txt").write_text("previous", encoding="utf-8")
    r = subprocess.run([sys.executable, str(ROOT / "cli.py"), "build", str(bad), "--no-print",
                        "--site-dir", str(site)], cwd=ROOT, capture_output=True, text=True)
    assert r.returncode == 1
    assert re.search(r"services\.yaml:\d+:\d+: error: \[markup\]", r.stderr), r.stderr
    assert "Traceback" not in r.stderr
    assert (site / "marker.txt").read_text(encoding="utf-8") == "previous"


def test_guide_build_without_chinese_font_fails_before_building(tmp_path):
    conf = tmp_path / "fonts.conf"
    conf.write_text('<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig></fontconfig>\n',
                    encoding="utf-8")
    site = tmp_path / "out"
    r = subprocess.run([sys.executable, str(ROOT / "cli.py"), "build", "--site-dir", str(site)], cwd=ROOT,
                       capture_output=True, text=True, env={**os.environ, "FONTCONFIG_FILE": str(conf)})
    assert r.returncode == 1, r.stdout + r.stderr
    assert "找不到中文字体" in r.stderr and "--no-print" in r.stderr
    assert "Traceback" not in r.stderr
    assert not site.exists()


def test_failed_mkdocs_build_leaves_previous_site(tmp_path, monkeypatch):
    from generator.site import build as b

    site = tmp_path / "site"
    site.mkdir()
    (site / "marker.txt").write_text("previous", encoding="utf-8")

    def boom(*a, **k):
        (Path(a[1]) / "half.html").write_text("half", encoding="utf-8")
        raise b.BuildError(["strict: a warning"])

    monkeypatch.setattr(b, "mkdocs_build", boom)
    with pytest.raises(b.BuildError):
        b.build_site(ROOT, site)
    assert sorted(p.name for p in site.iterdir()) == ["marker.txt"]
    assert not list(tmp_path.glob("site.tmp-*"))


def test_print_center_page_from_manifest(tmp_path, retired_path):
    pdir = tmp_path / "print"
    (pdir / "flyers").mkdir(parents=True)
    (pdir / "thumbs").mkdir()
    (pdir / "flyers" / "passport.pdf").write_bytes(b"%PDF-1.4 test")
    (pdir / "thumbs" / "passport.png").write_bytes(b"\x89PNG test")
    manifest = {"catalog_version": "2026.11.27", "catalog_date": "2026-11-27", "draft": True, "items": [
        {"kind": "flyer", "id": "passport", "title": "普通护照签发 一次告知单", "file": "flyers/passport.pdf",
         "thumbnail": "thumbs/passport.png", "bytes": 13, "pages": 1}]}
    (pdir / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")
    out = tmp_path / "site"
    build_site(ROOT, out, catalog=retired_path, print_dir=pdir)
    page = read(out, "print/index.html")
    assert "印刷品中心" in page and "普通护照签发 一次告知单" in page
    assert 'href="flyers/passport.pdf"' in page and 'src="thumbs/passport.png"' in page
    assert "样稿" in page and "2026.11.27" in page
    assert (out / "print" / "flyers" / "passport.pdf").read_bytes() == b"%PDF-1.4 test"
    assert "印刷品中心" in read(out, "index.html")  # in the navigation


def test_offline_zip_is_reproducible(tmp_path):
    src = tmp_path / "src"
    (src / "b").mkdir(parents=True)
    (src / "b" / "x.html").write_text("x", encoding="utf-8")
    (src / "a.txt").write_text("a", encoding="utf-8")
    write_zip(src, tmp_path / "1.zip")
    os.utime(src / "a.txt", (0, 0))
    write_zip(src, tmp_path / "2.zip")
    assert (tmp_path / "1.zip").read_bytes() == (tmp_path / "2.zip").read_bytes()
    assert zipfile.ZipFile(tmp_path / "1.zip").namelist() == ["a.txt", "b/x.html"]


def test_two_builds_are_byte_identical(tmp_path, site, retired_path):
    again = tmp_path / "site"
    build_site(ROOT, again, catalog=retired_path)
    cmp = filecmp.dircmp(site, again)

    def diff(c, prefix=""):
        out = [prefix + n for n in c.left_only + c.right_only + c.diff_files + c.funny_files]
        for name, sub in c.subdirs.items():
            out += diff(sub, prefix + name + "/")
        return out

    # dircmp compares shallowly by stat; compare bytes of every file as well.
    assert diff(cmp) == []
    for p in sorted(site.rglob("*")):
        if p.is_file():
            assert p.read_bytes() == (again / p.relative_to(site)).read_bytes(), p.relative_to(site)
    sw = read(site, "sw.js")
    assert "services/passport/" in sw and "search/search_index.json" in sw


def test_home_tells_the_help_desk_services(site):
    from generator.catalog import load

    note = load(ROOT / "data" / "services.yaml").meta.help_desk.note
    assert note and note in (site / "index.html").read_text(encoding="utf-8")


def test_not_found_page_speaks_chinese_and_leads_back(site):
    import re

    page = (site / "404.html").read_text(encoding="utf-8")
    assert "找不到这个页面" in page and "Not found" not in page
    article = re.search(r"<article[^>]*>(.*?)</article>", page, re.S).group(1)
    hrefs = re.findall(r'href="([^"]+)"', article)
    assert hrefs == ["/", "/checklist/"]
    for href in hrefs:
        assert (site / href.lstrip("/") / "index.html").is_file()


def test_time_limits_are_worded_as_the_checker_words_them(site):
    page = (site / "services" / "passport" / "index.html").read_text(encoding="utf-8")
    assert "15日" in page and "个日" not in page
    # passport's committed 7 working days rested on secondary sites only and is now 待核实
    records = (site / "services" / "exit-entry-records" / "index.html").read_text(encoding="utf-8")
    assert "1个工作日" in records and "个日" not in records


def test_secondary_sources_are_never_named_on_a_page(site, retired_path):
    """Secondary sites are editors' leads: a pending element may cite one, the page never names it."""
    catalog = load(retired_path)
    secondary = [src for src in catalog.sources if src.type == "secondary"]
    assert secondary  # the shipped catalog keeps leads, so this can fail
    for s in catalog.services:
        text = read(site, f"services/{s.id}/index.html")
        for src in secondary:
            assert html.escape(src.title, quote=False) not in text, (s.id, src.id)
            assert not src.url or src.url not in text, (s.id, src.id)


def test_editor_notes_stay_with_the_editors(site, retired_path):
    """``editor_note`` (leads, research) is never published: not on a page, not in the search index."""
    from generator.located import parse_file

    loaded = parse_file(retired_path)
    notes = [node for path, node in loaded.nodes if path and path[-1] == "editor_note" and isinstance(node, str)]
    assert len(notes) > 20  # the shipped catalog keeps its leads, so this can fail
    published = "".join(p.read_text(encoding="utf-8") for p in site.rglob("*") if p.suffix in (".html", ".json", ".js"))
    for note in notes:
        assert html.escape(note, quote=False) not in published and note not in published, note[:40]
