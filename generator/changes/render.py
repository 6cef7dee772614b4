"""A change report as Simplified Chinese Markdown (pull request job summary) or JSON."""

from __future__ import annotations

import json
import re
from dataclasses import asdict

from ..diagnostics import one_line
from .model import SEVERITIES, SEVERITY_ZH, Change, ChangeReport, Reprint

AREA_ZH = {
    "meta": "基本信息(meta)",
    "department": "部门(departments)",
    "stage": "阶段(stages)",
    "category": "类别(categories)",
    "material": "共用材料(materials)",
    "source": "来源(sources)",
    "question": "我的清单问题(questions)",
    "order": "事项顺序(services)",
}
_RANK = {s: i for i, s in enumerate(SEVERITIES)}
# Markup, HTML, entities, math, and what makes GitHub autolink a bare address ("https://", "www."):
# all escaped, so catalog text renders as the text it is. (A bare mail address stays a mail link
# showing itself: GitHub links it even when escaped.)
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|#~!&$])|(?<=[A-Za-z0-9])(:)(?=//)|(?<![A-Za-z0-9])(www)(\.)", re.IGNORECASE)


def _md_escape(m: re.Match) -> str:
    return "\\" + m.group(1) if m.group(1) else "\\:" if m.group(2) else m.group(3) + "\\."


def md(text: str) -> str:
    """Catalog text inside Markdown: no markup of its own, one line."""
    return _MD_SPECIAL.sub(_md_escape, one_line(" ".join(text.split())))


def code(text: str) -> str:
    """``text`` as inline code: one line, fenced by more backticks than it holds."""
    text = " ".join(one_line(text).split())
    fence = "`" * (max((len(r) for r in re.findall(r"`+", text)), default=0) + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def code_block(lines: list[str], info: str = "text") -> list[str]:
    """Lines in a fenced block that no line of theirs can close (one line each, a longer fence)."""
    lines = [one_line(x) for x in lines]
    fence = "`" * max([3] + [len(r) + 1 for x in lines for r in re.findall(r"`{3,}", x)])
    return [fence + info, *lines, fence]


def _where(report: ChangeReport, c: Change) -> str:
    if c.area == "service":
        return f"{md(report.names.get(c.key, c.key))}({code(c.key)})"
    return AREA_ZH.get(c.area, c.area)


def _groups(report: ChangeReport) -> dict[tuple[str, str], list[Change]]:
    groups: dict[tuple[str, str], list[Change]] = {}
    for c in report.changes:
        key = (c.area, c.key) if c.area == "service" else (c.area, "")
        groups.setdefault(key, []).append(c)
    for items in groups.values():
        items.sort(key=lambda c: _RANK[c.severity])
    return groups


def markdown(report: ChangeReport) -> str:
    errors, warnings, infos = (report.count(s) for s in SEVERITIES)
    out = ["## 目录变更报告", ""]
    out.append(
        f"- 比较:{code(report.old_label)}(版本 {md(report.old_version)})→ {code(report.new_label)}(版本 {md(report.new_version)})"
    )
    if report.author:
        out.append(f"- 提交人:@{md(report.author.lstrip('@'))}(按基准版本中各部门的 maintainers 核对修改权限)")
    else:
        out.append("- 提交人:未指定(未核对修改权限)")
    verdict = "**未通过**" if report.failed else "**通过**"
    out.append(f"- 结论:{verdict}:{errors} 个错误,{warnings} 个警告,{infos} 条说明")
    out.append("")
    if errors:
        out.append("> 错误须修正后才能合并。警告请审核人核对是否符合“减环节、减材料、减时限”。")
    elif warnings:
        out.append("> 警告请审核人核对是否符合“减环节、减材料、减时限”。")
    if errors or warnings:
        out.append("")

    if report.checks:
        out += ["### 新目录未通过检查", "", "以下问题须先修正(运行 `guide check` 可复查):", ""]
        out += code_block([d.text() for d in report.checks])
        out += [""]

    for severity, title in (("error", "错误(须修正)"), ("warning", "警告(请审核人核对)")):
        items = [c for c in report.changes if c.severity == severity]
        if items:
            out += [f"### {title}", ""]
            out += [f"1. {_where(report, c)} · {md(c.label)}:{md(c.message)}" for c in items]
            out.append("")

    out += ["### 需重新印刷", ""]
    out += _reprint_md(report.reprint, report)
    out.append("")

    out += ["### 逐项变更", ""]
    groups = _groups(report)
    if not groups:
        out += ["两个版本的目录内容相同,没有变更。", ""]
    for (area, key), items in groups.items():
        if area == "service":
            dept = report.departments.get(key, "")
            line = report.lines.get(key)
            out.append(
                f"#### {md(report.names.get(key, key))}({code(key)})"
                + (f" · {md(dept)}" if dept else "")
                + (f" · {line}" if line else "")
            )
        else:
            out.append(f"#### {AREA_ZH.get(area, area)}")
        out += ["", "| 级别 | 要素 | 变更 |", "| --- | --- | --- |"]
        out += [f"| {SEVERITY_ZH[c.severity]} | {md(c.label)} | {md(c.message)} |" for c in items]
        out.append("")
    return "\n".join(out).rstrip("\n") + "\n"


def _reprint_md(r: Reprint, report: ChangeReport) -> list[str]:
    if r.empty:
        return ["无需重新印刷。"]
    rows = ["| 印刷品 | 原因 |", "| --- | --- |"]
    for f in r.flyers:
        rows.append(f"| {code(f.path)} {md(f.name)} | {md('、'.join(f.reasons))} |")
    for c in r.charts:
        rows.append(f"| {code(c.path)} {md(c.name)} | {md('、'.join(c.reasons))} |")
    if r.posters:
        rows.append(f"| {'、'.join(code(p) for p in r.poster_files)} | {md(';'.join(r.posters))} |")
    if r.booklet:
        rows.append(f"| {code(r.booklet_file)} | {md(';'.join(r.booklet))} |")
    out = rows
    if r.withdrawn:
        out += ["", "停止使用并回收:" + "、".join(f"{code(f.path)}({md(f.name)},{md(f.reasons[0])})" for f in r.withdrawn)]
    return out


def as_json(report: ChangeReport) -> str:
    r = report.reprint
    data = {
        "old": {"label": report.old_label, "version": report.old_version},
        "new": {"label": report.new_label, "version": report.new_version},
        "author": report.author,
        "passed": not report.failed,
        "summary": {s: report.count(s) for s in SEVERITIES},
        "checks": [asdict(d) for d in report.checks],
        "changes": [
            {**asdict(c), "name": report.names.get(c.key) if c.area == "service" else None}
            for c in report.changes
        ],
        "reprint": {
            "flyers": [{"file": f.path, "service": f.service, "name": f.name, "reasons": list(f.reasons)} for f in r.flyers],
            "charts": [{"file": c.path, "key": c.key, "name": c.name, "reasons": list(c.reasons)} for c in r.charts],
            "withdrawn": [{"file": f.path, "service": f.service, "name": f.name, "reasons": list(f.reasons)} for f in r.withdrawn],
            "posters": {"files": list(r.poster_files), "reasons": r.posters} if r.posters else None,
            "booklet": {"file": r.booklet_file, "parts": r.booklet} if r.booklet else None,
        },
    }
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
