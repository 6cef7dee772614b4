"""print_all and guide print: production safety, reproducibility, partial runs, failures."""

from __future__ import annotations

import io
import json
import re
import shutil
import subprocess

import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from generator.cli import main
from generator.printing import build, model, render
from generator.printing.build import print_all
from generator.printing.changes import booklet_changed, changed_services, posters_changed
from generator.printing.model import PrintError

from printhelp import CATALOG, REPO, run


def _with_meta(catalog, **meta):
    return catalog.model_copy(update={"meta": catalog.meta.model_copy(update=meta)})


def _with_service(catalog, sid, **fields):
    services = [s.model_copy(update=fields) if s.id == sid else s for s in catalog.services]
    return catalog.model_copy(update={"services": services})


# ---------------------------------------------------------------- production refuses unsafe QR targets


def test_production_refuses_placeholder_site(shipped, tmp_path):
    with pytest.raises(PrintError) as err:
        print_all(shipped, tmp_path / "out")
    assert "占位" in str(err.value) and "--draft" in str(err.value)
    assert not (tmp_path / "out").exists()
    assert list(tmp_path.iterdir()) == []


def test_production_refuses_off_list_domain(catalog, tmp_path):
    off = _with_meta(catalog, site_url="https://guide.weihai-liuxue.com")
    with pytest.raises(PrintError) as err:
        print_all(off, tmp_path / "out", draft=None)
    assert "不在允许的域名" in str(err.value)
    assert not (tmp_path / "out").exists()


def test_production_with_real_domain_has_no_watermark(catalog, tmp_path):
    real = _with_meta(catalog, site_url="https://rcfw.weihai.gov.cn")
    manifest = print_all(real, tmp_path / "out", only={"passport"})
    assert manifest["draft"] is False
    text = run("pdftotext", str(tmp_path / "out" / "flyers" / "passport.pdf"), "-")
    assert "样稿" not in text
    png = tmp_path / "p"
    run("pdftoppm", "-r", "150", "-png", "-singlefile", str(tmp_path / "out" / "flyers" / "passport.pdf"), str(png))
    assert run("zbarimg", "--raw", "-q", str(png) + ".png").strip() == "https://rcfw.weihai.gov.cn/s/passport/"


def test_cli_refuses_placeholder_without_draft(tmp_path):
    result = CliRunner().invoke(main, ["print", str(CATALOG), "--out", str(tmp_path / "out")])
    assert result.exit_code == 1
    assert "占位地址" in result.output and "--draft" in result.output
    assert "Traceback" not in result.output
    assert not (tmp_path / "out").exists()


def test_cli_bad_catalog_prints_located_errors(tmp_path):
    bad = tmp_path / "services.yaml"
    bad.write_text(CATALOG.read_text(encoding="utf-8").replace("  version: \"", "  version: \"x", 1), encoding="utf-8")
    result = CliRunner().invoke(main, ["print", "--draft", str(bad), "--out", str(tmp_path / "out")])
    assert result.exit_code == 1
    assert "services.yaml:" in result.output and "未印制" in result.output
    assert not (tmp_path / "out").exists()


def test_cli_unknown_service_and_department(tmp_path):
    r = CliRunner().invoke(main, ["print", "--draft", str(CATALOG), "--out", str(tmp_path / "o"), "--service", "nope"])
    assert r.exit_code == 1 and "nope" in r.output and "没有这些在办事项" in r.output
    r = CliRunner().invoke(main, ["print", "--draft", str(CATALOG), "--out", str(tmp_path / "o"), "--department", "nope"])
    assert r.exit_code == 1 and "没有这些部门" in r.output


# ---------------------------------------------------------------- reproducible, partial, atomic


def test_reproducible_bytes(printed, catalog, tmp_path):
    """A second render of the same catalog is byte-identical (PDFs and thumbnails)."""
    out, _ = printed
    again = tmp_path / "again"
    manifest = print_all(catalog, again, draft=True, only={"passport", "care-abroad"}, overview=True)
    files = [i["file"] for i in manifest["items"]] + [i["thumbnail"] for i in manifest["items"]]
    assert "booklet.pdf" in files and "posters/poster-a3.pdf" in files
    for rel in files:
        assert (again / rel).read_bytes() == (out / rel).read_bytes(), rel
    assert PdfReader(again / "booklet.pdf").trailer["/ID"][0] == PdfReader(out / "booklet.pdf").trailer["/ID"][0]


def test_partial_run_keeps_the_rest(printed, catalog, tmp_path):
    out, full = printed
    copy = tmp_path / "print"
    shutil.copytree(out, copy)
    before = (copy / "flyers" / "care-abroad.pdf").stat().st_mtime_ns
    manifest = print_all(catalog, copy, draft=True, only={"passport"})
    assert [(i["kind"], i["id"]) for i in manifest["items"]] == [(i["kind"], i["id"]) for i in full["items"]]
    assert json.loads((copy / "manifest.json").read_text(encoding="utf-8")) == manifest
    assert (copy / "flyers" / "care-abroad.pdf").stat().st_mtime_ns == before
    with pytest.raises(PrintError):  # a production reprint into a draft set is refused
        print_all(_with_meta(catalog, site_url="https://rcfw.weihai.gov.cn"), copy, only={"passport"})


def test_failure_leaves_previous_output_untouched(printed, catalog, tmp_path, monkeypatch):
    out, _ = printed
    copy = tmp_path / "print"
    shutil.copytree(out, copy)
    snapshot = {p.relative_to(copy): p.read_bytes() for p in copy.rglob("*") if p.is_file()}
    calls = []
    real = render.html_to_pdf

    def broken(html: str) -> bytes:
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("disk full")
        return real(html)

    monkeypatch.setattr(render, "html_to_pdf", broken)
    with pytest.raises(RuntimeError):
        print_all(catalog, copy, draft=True, only={"passport", "taiwan-permit"})
    assert len(calls) == 2
    after = {p.relative_to(copy): p.read_bytes() for p in copy.rglob("*") if p.is_file()}
    assert after == snapshot
    assert [p.name for p in tmp_path.iterdir()] == ["print"], "temporary folder left behind"


def test_cli_service_option_writes_one_flyer(tmp_path):
    result = CliRunner().invoke(
        main, ["print", "--draft", str(CATALOG), "--out", str(tmp_path / "o"), "--service", "passport"]
    )
    assert result.exit_code == 0, result.output
    manifest = json.loads((tmp_path / "o" / "manifest.json").read_text(encoding="utf-8"))
    assert [(i["kind"], i["id"]) for i in manifest["items"]] == [("flyer", "passport")]
    assert "已印制样稿" in result.output


def test_crop_marks_option_keeps_boxes(catalog, tmp_path):
    opts = render.Options(draft=True, crop_marks=True)
    pdf = tmp_path / "f.pdf"
    pdf.write_bytes(render.html_to_pdf(render.flyer_html(catalog, "passport", opts)))
    info = run("pdfinfo", "-box", str(pdf))
    assert "TrimBox:             0.00     0.00   595.28   841.89" in info


# ---------------------------------------------------------------- what a change reprints


def test_changed_services(catalog):
    assert changed_services(catalog, catalog) == set()
    bumped = _with_meta(catalog, version="2099.1.1")
    assert changed_services(catalog, bumped) == set()
    assert not posters_changed(catalog, bumped) and not booklet_changed(catalog, bumped)

    edited = _with_service(catalog, "passport", summary="新的简介。")
    assert changed_services(catalog, edited) == {"passport"}
    assert booklet_changed(catalog, edited) and not posters_changed(catalog, edited)

    renamed = _with_service(catalog, "passport", name="护照签发")
    assert posters_changed(catalog, renamed)

    materials = [m.model_copy(update={"name": "照片(白底)"}) if m.id == "photo" else m for m in catalog.materials]
    photo = catalog.model_copy(update={"materials": materials})
    users = {
        s.id for s in catalog.services
        if s.status == "active" and isinstance(s.materials, list) and any(m.ref == "photo" for m in s.materials)
    }
    assert users and changed_services(catalog, photo) == users

    moved = _with_meta(catalog, site_url="https://rcfw.weihai.gov.cn")
    assert changed_services(catalog, moved) == {s.id for s in model.plan_order(catalog)}
    assert posters_changed(catalog, moved)


def _git_catalog(tmp_path):
    """A throwaway git repository holding the shipped catalog at data/services.yaml."""
    import subprocess

    repo = tmp_path / "repo"
    (repo / "data").mkdir(parents=True)
    path = repo / "data" / "services.yaml"
    path.write_bytes(CATALOG.read_bytes())
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.org", "-c", "commit.gpgsign=false"]
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    subprocess.run([*git, "add", "data/services.yaml"], cwd=repo, check=True)
    subprocess.run([*git, "commit", "-q", "-m", "catalog"], cwd=repo, check=True)
    return path


def test_changed_since_unchanged_prints_nothing(tmp_path):
    path = _git_catalog(tmp_path)
    result = CliRunner().invoke(
        main, ["print", "--draft", str(path), "--out", str(tmp_path / "o"), "--changed-since", "HEAD"]
    )
    assert result.exit_code == 0, result.output
    assert "无需重印" in result.output and not (tmp_path / "o").exists()


def test_changed_since_prints_what_changed(tmp_path, monkeypatch):
    path = _git_catalog(tmp_path)
    text = path.read_text(encoding="utf-8")
    old = "summary: 公安机关出入境管理机构为因学习等非公务原因出国的中国公民签发普通护照。"
    assert old in text
    path.write_text(text.replace(old, "summary: 为因私出国的中国公民签发普通护照。"), encoding="utf-8")
    calls = []

    def fake(catalog, out_dir, **kw):
        calls.append(kw)
        return {"catalog_version": catalog.meta.version, "draft": True, "items": []}

    monkeypatch.setattr(build, "print_all", fake)
    result = CliRunner().invoke(
        main, ["print", "--draft", str(path), "--out", str(tmp_path / "o"), "--changed-since", "HEAD"]
    )
    assert result.exit_code == 0, result.output
    assert len(calls) == 1
    assert calls[0]["only"] == {"passport"}
    assert calls[0]["overview"] is True  # the booklet holds the changed text


def test_changed_since_bad_revision(tmp_path):
    result = CliRunner().invoke(
        main, ["print", "--draft", str(CATALOG), "--out", str(tmp_path / "o"), "--changed-since", "no-such-rev"]
    )
    assert result.exit_code == 2 and "no-such-rev" in result.output  # as guide diff --base


@pytest.mark.parametrize("rev", ["--output={target}", "-p"])
def test_changed_since_refuses_an_option_as_revision(tmp_path, rev):
    path = _git_catalog(tmp_path)
    target = tmp_path / "written"
    rev = rev.format(target=target)
    result = CliRunner().invoke(
        main, ["print", "--draft", str(path), "--out", str(tmp_path / "o"), f"--changed-since={rev}"]
    )
    assert result.exit_code == 2, result.output  # an unusable revision, as any other (errors.USAGE)
    assert f"版本“{rev}”无效" in result.output
    assert not [p for p in tmp_path.iterdir() if p.name.startswith("written")]
    assert not (tmp_path / "o").exists()


def test_refuses_to_replace_a_foreign_folder(catalog, tmp_path):
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("x", encoding="utf-8")
    with pytest.raises(PrintError) as err:
        print_all(catalog, site, draft=True, only={"passport"})
    assert "不是本工具生成的(没有 manifest.json)" in str(err.value)
    assert [p.name for p in site.iterdir()] == ["index.html"]


def test_big_catalog_poster_stays_one_page(catalog, tmp_path):
    """Past POSTER_MAX_NAMES names the poster lists counts per stage instead and still fits one sheet."""
    extra = []
    for k in range(3):
        for s in catalog.services:
            extra.append(s.model_copy(update={"id": f"{s.id}-{k}", "name": f"{s.name}{k}", "number": s.number + 30 * (k + 1)}))
    big = catalog.model_copy(update={"services": list(catalog.services) + extra})
    groups = model.stage_groups(big)
    assert not model.poster_lists_names(groups) and model.poster_lists_names(model.stage_groups(catalog))
    pdf = tmp_path / "p.pdf"
    pdf.write_bytes(render.html_to_pdf(render.poster_html(big, model.POSTER_SIZES[0], render.Options(draft=True))))
    assert len(PdfReader(pdf).pages) == 1
    assert "项" in run("pdftotext", str(pdf), "-")


EMPTY_FONTCONFIG = """<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig></fontconfig>
"""


@pytest.mark.parametrize("extra", [[], ["--checklist", "stage=before"]], ids=["flyers", "checklist"])
def test_no_chinese_font_fails_before_writing_anything(tmp_path, extra):
    """Without a CJK font every character would print as a box: one clear error, nothing written."""
    import os
    import subprocess
    import sys

    conf = tmp_path / "fonts.conf"
    conf.write_text(EMPTY_FONTCONFIG, encoding="utf-8")
    work = tmp_path / "work"
    work.mkdir()
    env = {**os.environ, "FONTCONFIG_FILE": str(conf)}
    r = subprocess.run(
        [sys.executable, str(REPO / "cli.py"), "print", "--draft", "--catalog", str(CATALOG), "--out", "o",
         "--service", "passport", *extra],
        cwd=work, env=env, capture_output=True, text=True,
    )
    assert r.returncode == 1, r.stdout + r.stderr
    assert "找不到中文字体" in r.stderr and "fonts-noto-cjk" in r.stderr
    assert "Traceback" not in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1, r.stderr
    assert list(work.iterdir()) == []


# 46 characters: a second detail line per material at full detail; brief leaves it out.
LONG_NOTE = "须为有效期内的原件，复印件须清晰完整并由本人逐页签名确认，外文材料须附有资质机构出具的中文译本"


def _print_passport_with(tmp_path, n: int, note: str = ""):
    """``guide print`` of the passport flyer with ``n`` ordinary materials added; (output, pages by pdfinfo, text)."""
    text = CATALOG.read_text(encoding="utf-8")
    at = text.index("    materials:\n", text.index("  - id: passport\n")) + len("    materials:\n")
    extra = "".join(f"      - {{name: 其他证明材料{i}, issuer: 有关单位, originals: 1, copies: 1"
                    f"{', note: ' + note if note else ''}}}\n" for i in range(n))
    path = tmp_path / "services.yaml"
    path.write_text(text[:at] + extra + text[at:], encoding="utf-8")
    out = tmp_path / "o"
    result = CliRunner().invoke(main, ["print", "--draft", "--catalog", str(path), "--out", str(out), "--service", "passport"])
    assert result.exit_code == 0, result.output
    pdf = out / "flyers" / "passport.pdf"
    pages = int(re.search(r"^Pages:\s+(\d+)", run("pdfinfo", str(pdf)), re.M).group(1))
    assert pages == len(PdfReader(pdf).pages)
    return result.output, pages, re.sub(r"\s+", "", run("pdftotext", str(pdf), "-"))


def test_a_two_page_flyer_is_reported_as_front_and_back(tmp_path):
    """Twelve ordinary extra materials push the passport flyer onto a second page: said, not silent."""
    output, pages, text = _print_passport_with(tmp_path, 12)
    assert pages == 2
    assert "flyers/passport.pdf" in output and "共 2 页" in output and "正反两面" in output
    assert "精简版" not in output and "完整内容见网上指南" not in text  # full detail still fits the sheet


def test_a_one_page_flyer_is_not_reported(tmp_path):
    output, pages, _ = _print_passport_with(tmp_path, 0)
    assert pages == 1 and "注意" not in output


def test_a_flyer_that_needs_the_brief_level_is_reported(tmp_path):
    """Thirty materials with long notes overflow the sheet at full detail: printed brief, and said so."""
    output, pages, text = _print_passport_with(tmp_path, 30, LONG_NOTE)
    assert pages <= model.FLYER_MAX_PAGES
    assert "flyers/passport.pdf" in output and "精简版" in output and "不列各项备注" in output
    assert ("正反两面" in output) == (pages == 2)
    assert "完整内容见网上指南" in text and "逐页签名确认" not in text
    assert all(f"其他证明材料{i}" in text for i in range(30))


def test_a_flyer_over_its_sheet_even_when_brief_is_reported(tmp_path):
    """Fifty materials fit no sheet even without notes: printed as it is, never silently."""
    output, pages, text = _print_passport_with(tmp_path, 50)
    assert pages > model.FLYER_MAX_PAGES
    assert "即使改印精简版" in output and f"共 {pages} 页" in output and "flyer-fit" in output
    assert all(f"其他证明材料{i}" in text for i in range(50))  # nothing cut


# ---------------------------------------------------------------- never a QR code to a placeholder


def test_draft_at_a_placeholder_address_has_no_qr_code(shipped, tmp_path):
    """A draft of the shipped catalog (placeholder meta.site_url) prints the path, and no QR code."""
    manifest = print_all(shipped, tmp_path / "out", draft=True, only={"passport"}, overview=True)
    for item in manifest["items"]:
        pdf = tmp_path / "out" / item["file"]
        assert run("pdfimages", "-list", str(pdf)).count("\n") == 2  # header lines only
        pngs = tmp_path / item["id"]
        pngs.mkdir()
        run("pdftoppm", "-r", "100", "-png", str(pdf), str(pngs / "p"))
        for png in sorted(pngs.glob("*.png")):
            found = subprocess.run(["zbarimg", "--raw", "-q", str(png)], capture_output=True, text=True).stdout
            assert found.strip() == "", f"{item['file']}: QR code {found!r}"
        text = run("pdftotext", str(pdf), "-")
        assert ".example" not in text, item["file"]
    flyer = re.sub(r"\s+", "", run("pdftotext", str(tmp_path / "out" / "flyers" / "passport.pdf"), "-"))
    assert "/s/passport/" in flyer and "正式网址确定后" in flyer


# ---------------------------------------------------------------- a flyer is one A4 sheet, never cut


def test_long_flyer_keeps_every_word_and_says_where_the_rest_is(catalog, tmp_path):
    """A service with many long notes: the flyer drops the notes (never cuts them) to stay on one
    sheet, and says where the full text is."""
    passport = next(s for s in catalog.services if s.id == "passport")
    note = "本材料须为原件,并由出具机构加盖公章;复印件须与原件一致,逐页签名并注明日期。" * 2
    many = [passport.materials[0].model_copy(update={"ref": None, "name": f"证明材料第{i}号", "note": note})
            for i in range(1, 25)]
    big = _with_service(catalog, "passport", materials=many)
    full = render.html_to_pdf(render.flyer_html(big, "passport", render.Options(draft=True), "full"))
    assert len(PdfReader(io.BytesIO(full)).pages) > model.FLYER_MAX_PAGES  # the case is real
    data = render.flyer_pdf(big, "passport", render.Options(draft=True))
    assert len(PdfReader(io.BytesIO(data)).pages) <= model.FLYER_MAX_PAGES
    pdf = tmp_path / "f.pdf"
    pdf.write_bytes(data)
    text = re.sub(r"\s+", "", run("pdftotext", str(pdf), "-"))
    assert "…" not in text
    assert all(f"证明材料第{i}号" in text for i in range(1, 25))
    assert "完整内容见网上指南" in text and "liuxue.weihai.gov.cn/s/passport/" in text
