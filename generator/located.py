"""Located reading: YAML file -> located document -> schema-validated ``Catalog``, with every
problem as a located Chinese diagnostic (pydantic's errors translated here).

The lower half of ``catalog.load``; the rules read a ``Loaded`` to place their findings.
"""

from __future__ import annotations

import difflib
import re
import types
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

from pydantic import BaseModel, ValidationError

from . import yamlsource
from .diagnostics import MAX_REPORTED, Diagnostic
from .schema import SLUG_HELP, Catalog, Pending

TAG_VALUE = "~value"
TAG_PENDING = "~pending"


@dataclass
class Loaded:
    """The result of reading one catalog file, whether or not it passed the schema.

    ``catalog`` is the validated catalog, or None when the file could not be read
    (``document`` is None too) or failed the schema (``diagnostics`` says why).
    ``document`` keeps the source position of every node, for located diagnostics.
    """

    catalog: Catalog | None
    document: yamlsource.Document | None
    path: str
    diagnostics: list[Diagnostic] = field(default_factory=list)
    memo: dict = field(default_factory=dict, repr=False, compare=False)  # what rules derive once per catalog

    @property
    def nodes(self) -> list[tuple[tuple, object]]:
        """Every (path, value) of the raw document, in file order."""
        return self.document.nodes if self.document is not None else []

    def walk(self) -> Iterator[tuple[tuple, object]]:
        """``nodes`` without building the list."""
        return self.document.walk() if self.document is not None else iter(())

    @property
    def outer_nodes(self) -> Iterator[tuple[tuple, object]]:
        """Every (path, value) outside the services' items, in file order."""
        return self.document.outer_nodes() if self.document is not None else iter(())

    def service_part(self, i: int) -> tuple[tuple, Iterator[tuple[tuple, object]]]:
        """Service ``i``'s path and every (path below it, value) of it, in file order."""
        assert self.document is not None
        return ("services", i), self.document.items[i][0].nodes

    def service_memo(self, i: int) -> dict:
        """What is derived from service ``i``'s text alone, kept with its part (a session reuses it)."""
        assert self.document is not None
        return self.document.items[i][0].memo

    def diag(self, loc: tuple, severity: str, rule: str, message: str, *, value: bool = False) -> Diagnostic:
        assert self.document is not None
        mark = self.document.locate_value(loc) if value else self.document.locate(loc)
        return Diagnostic(self.path, mark.line, mark.column, severity, rule, message)  # type: ignore[arg-type]


def parse_file(path: str | Path, display: str | None = None) -> Loaded:
    """Read and validate ``path``. Never raises for bad content: problems become diagnostics."""
    path = Path(path)
    shown = display or str(path)
    try:
        document = yamlsource.load(path)
    except yamlsource.SourceError as exc:
        d = Diagnostic(shown, exc.mark.line, exc.mark.column, "error", exc.rule, exc.message)
        return Loaded(None, None, shown, [d])
    return validate(document, shown)


def validate(document: yamlsource.Document, shown: str) -> Loaded:
    try:
        with yamlsource.gc_paused():
            catalog = Catalog.model_validate(document.data)
    except ValidationError as exc:
        errors = exc.errors(include_url=False)
        diags = [_diagnostic(document, shown, err) for err in errors[:MAX_REPORTED]]
        if len(errors) > MAX_REPORTED:
            first = _diagnostic(document, shown, errors[MAX_REPORTED])
            diags.append(Diagnostic(
                shown, first.line, first.column, "error", "schema",
                f"从这里起还有 {len(errors) - MAX_REPORTED} 处错误未列出(共 {len(errors)} 处,只列出前 {MAX_REPORTED} 处):"
                "请先改正已列出的错误,再运行 guide check",
            ))
        return Loaded(None, document, shown, diags)
    return Loaded(catalog, document, shown, [])


# ---------------------------------------------------------------- pydantic errors, in Chinese


def _diagnostic(document: yamlsource.Document, shown: str, err: dict) -> Diagnostic:
    loc = tuple(err["loc"])
    data_path = _data_path(document.data, loc)
    kind = err["type"]
    title, key = field_title(loc)
    label = f"“{key}”" + (f"({title})" if title and title != key else "") if key else "此项"
    message = _message(kind, err, label, loc)
    if kind == "missing":
        mark = document.locate(data_path)
    elif kind == "extra_forbidden":
        mark = document.key_mark(data_path) or document.locate(data_path)
    else:
        mark = document.locate_value(data_path)
    return Diagnostic(shown, mark.line, mark.column, "error", "schema", message)


def _data_path(data: object, loc: tuple) -> tuple:
    """The part of a pydantic error location that names real nodes (union tags dropped)."""
    path: list = []
    node = data
    for part in loc:
        if isinstance(part, str) and part.startswith("~"):
            continue
        if isinstance(node, dict) and part in node:
            node = node[part]
            path.append(part)
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            node = node[part]
            path.append(part)
        else:
            break
    return tuple(path)


def _unwrap(tp: object) -> object:
    """Strip ``Annotated`` and step into ``X | None``."""
    while True:
        if typing.get_origin(tp) is typing.Annotated:
            tp = typing.get_args(tp)[0]
        elif typing.get_origin(tp) in (typing.Union, types.UnionType):
            members = [a for a in typing.get_args(tp) if a is not type(None)]
            if len(members) != 1:
                return tp
            tp = members[0]
        else:
            return tp


def _fields_at(loc: tuple) -> list[str]:
    """The field names allowed where ``loc`` points (a model), or none."""
    tp: object = Catalog
    for part in loc:
        tp = _step(_unwrap(tp), part)
    tp = _unwrap(tp)
    return list(tp.model_fields) if isinstance(tp, type) and issubclass(tp, BaseModel) else []


def _value_member(tp: object) -> object:
    """A data path (no union tag) through ``X | Pending`` goes inside the value ``X``."""
    if typing.get_origin(tp) in (typing.Union, types.UnionType):
        return next((a for a in map(_unwrap, typing.get_args(tp)) if a is not Pending and a is not type(None)), object)
    return tp


def _step(tp: object, part: object) -> object:
    """The type one location part further in."""
    if isinstance(part, str) and part.startswith("~"):  # a union tag: pick that member
        want_pending = part == TAG_PENDING
        return next(
            (a for a in map(_unwrap, typing.get_args(tp)) if (a is Pending) == want_pending and a is not type(None)),
            object,
        )
    tp = _value_member(tp)
    if isinstance(part, int):
        return typing.get_args(tp)[0] if typing.get_origin(tp) is list else object
    if isinstance(tp, type) and issubclass(tp, BaseModel) and part in tp.model_fields:
        return tp.model_fields[part].annotation
    return object


def field_title(loc: tuple) -> tuple[str | None, str | None]:
    """Chinese title and key of the field a location (pydantic's or a data path) ends at."""
    tp: object = Catalog
    title: str | None = None
    key: str | None = None
    for part in loc:
        tp = _unwrap(tp)
        if isinstance(part, str) and not part.startswith("~"):
            tp = _value_member(tp)
            info = tp.model_fields.get(part) if isinstance(tp, type) and issubclass(tp, BaseModel) else None
            title, key = (info.title, part) if info is not None else (None, part)
        tp = _step(tp, part)
    return title, key


def _got(value: object) -> str:
    if isinstance(value, bool):
        return f"真假值 {str(value).lower()}(YAML 把 yes/no/on/off 等读成真假值,文本请加引号)"
    if isinstance(value, (int, float)):
        return f"数字 {value}(文本请加引号)"
    if value is None:
        return "空值"
    if isinstance(value, list):
        return "列表"
    if isinstance(value, dict):
        return "映射"
    return f"“{str(value)[:40]}”"


def _message(kind: str, err: dict, label: str, loc: tuple) -> str:
    ctx = err.get("ctx") or {}
    got = err.get("input")
    last = loc[-1] if loc else ""
    if kind == "missing":
        return f"缺少必填字段{label}"
    if kind == "extra_forbidden":
        close = difflib.get_close_matches(str(last), _fields_at(loc[:-1]), n=1, cutoff=0.6)
        hint = f"是否应为“{close[0]}”?" if close else "拼写错误?"
        return f"未知字段“{last}”({hint}可用的字段见编辑器提示或 data/services.schema.json)"
    if kind in ("string_type",):
        return f"{label}应为文本,实际是{_got(got)}"
    if kind == "string_too_short":
        return f"{label}不能为空"
    if kind == "string_too_long":
        return f"{label}过长(最多 {ctx.get('max_length')} 个字符)"
    if kind == "string_pattern_mismatch":
        pattern = str(ctx.get("pattern", ""))
        if "a-z0-9" in pattern and pattern.startswith("^[a-z]"):
            return f"{label}“{got}”格式不对:{SLUG_HELP}"
        if pattern.startswith("^https"):
            return f"{label}“{got}”必须是 https:// 开头的网址,末尾不带“/”"
        if "即办件" in pattern:
            return f"{label}只能是“即办件”或“承诺件”,实际是“{got}”"
        if "\\d{4}" in pattern:
            return f"{label}“{got}”格式不对:应形如 2026.11.27(请加引号)"
        return f"{label}“{got}”格式不对"
    if kind in ("int_type", "int_parsing", "int_from_float"):
        return f"{label}应为整数,实际是{_got(got)}"
    if kind in ("float_type", "float_parsing", "finite_number"):
        return f"{label}应为数字,实际是{_got(got)}"
    if kind in ("bool_type", "bool_parsing"):
        return f"{label}应为 true 或 false,实际是{_got(got)}"
    if kind == "literal_error":
        choices = re.findall(r"'([^']*)'", str(ctx.get("expected", "")))
        return f"{label}取值无效({_got(got)}),只能是:{'、'.join(choices)}"
    if kind in ("date_type", "date_parsing", "date_from_datetime_parsing", "date_from_datetime_inexact"):
        return f"{label}应为日期,格式 YYYY-MM-DD,实际是{_got(got)}"
    if kind == "list_type":
        return f"{label}应为列表(每项以“- ”开头),实际是{_got(got)}"
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return f"{label}应为“键: 值”映射,实际是{_got(got)}"
    if kind == "too_short":
        return f"{label}至少需要 {ctx.get('min_length')} 项"
    if kind == "too_long":
        return f"{label}最多 {ctx.get('max_length')} 项"
    if kind == "greater_than":
        return f"{label}必须大于 {ctx.get('gt')}"
    if kind == "greater_than_equal":
        return f"{label}不能小于 {ctx.get('ge')}"
    if kind == "less_than_equal":
        return f"{label}不能大于 {ctx.get('le')}"
    if kind == "less_than":
        return f"{label}必须小于 {ctx.get('lt')}"
    if kind == "value_error":
        return f"{label}{ctx.get('error', err.get('msg'))}"
    return f"{label}取值无效({_got(got)})"
