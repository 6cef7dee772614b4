"""``guide print --checklist``: the personalised list as an A4 sheet from the command line."""

from __future__ import annotations

from support import REPO, guide, run


def test_checklist_pdf_lists_the_id_card_once(tmp_path):
    out = tmp_path / "list.pdf"
    r = guide("print", str(REPO / "data/services.yaml"), "--draft",
              "--checklist", "stage=before,after&destination=abroad&funding=self&plans=car", "--checklist-out", str(out),
              cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    text = run("pdftotext", "-layout", str(out), "-")
    assert "普通护照签发" in text and "查询出入境记录" in text
    headed = [line for line in text.splitlines() if line.strip().lstrip("·").strip().startswith("居民身份证")]
    assert len(headed) == 1, headed
    assert "样稿" in text


def test_checklist_refuses_placeholder_without_draft(tmp_path):
    out = tmp_path / "list.pdf"
    r = guide("print", str(REPO / "data/services.yaml"), "--checklist", "stage=before", "--checklist-out", str(out), cwd=tmp_path)
    assert r.returncode == 1 and "占位地址" in r.stderr and not out.exists()


def test_checklist_unknown_answer_is_one_chinese_line(tmp_path):
    r = guide("print", str(REPO / "data/services.yaml"), "--draft", "--checklist", "stage=nowhere", cwd=tmp_path)
    assert r.returncode == 1
    assert r.stderr.strip().count("\n") == 0 and "nowhere" in r.stderr and "Traceback" not in r.stderr
