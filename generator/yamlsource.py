"""Read a YAML file into plain Python data plus the line and column of every node.

PyYAML alone is not enough for a catalog that people edit by hand: it keeps the last
of two duplicate keys silently, expands alias bombs, recurses on deep nesting and
forgets where each value came from. This reader walks the parser's event stream
iteratively, so every one of those cases ends in a located ``SourceError``.
"""

from __future__ import annotations

import contextlib
import gc
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

import yaml
from yaml import events as ev

# Measured with bench/check.py (2 busy cores): a 2,000-service catalog is 5.7 MB and about 200,000 nodes.
# The worst case is a flood of one-character values that are each a schema error: at the old limits
# (20 MB, 2,000,000 nodes) 1,900,000 of them took guide check 165 s and 3.3 GB; 490,000 now take 6 s
# and 0.7 GB (errors listed are capped, see diagnostics.MAX_REPORTED).
MAX_BYTES = 10 * 1024 * 1024
MAX_DEPTH = 64
MAX_NODES = 500_000

_Parser = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
# A plain decimal integer as YAML 1.1 reads it (no sign "+", no leading 0: "012" is octal, "1_000" has "_").
_DECIMAL = re.compile(r"-?(?:0|[1-9][0-9]*)\Z")

_CORE_TAGS = {
    "tag:yaml.org,2002:" + name
    for name in ("str", "int", "float", "bool", "null", "map", "seq", "timestamp")
}

# PyYAML's problems, in the words a department editor needs.
_PROBLEMS_ZH = [
    ("mapping values are not allowed", "此处不能出现“键: 值”(缩进不对,或文本中的冒号需要加引号)"),
    ("could not find expected ':'", "缺少冒号“:”(或引号未闭合)"),
    ("did not find expected key", "缩进不一致,或列表项缺少“- ”"),
    ("did not find expected '-' indicator", "缩进不一致:列表项应以“- ”开头并对齐"),
    ("did not find expected node content", "缺少内容(“- ”或“:”后面为空或缩进错误)"),
    ("expected <block end>", "缩进不一致"),
    ("found unexpected end of stream", "文件意外结束(引号或括号未闭合?)"),
    ("found unknown escape character", "双引号文本中有无效的转义符“\\”"),
    ("found character that cannot start any token", "此处的字符不能开始一个值(如 @、` 或 %,请给文本加引号)"),
    ("found character '\\t'", "含有制表符(Tab),请改用空格缩进"),
    ("found undefined alias", "引用了未定义的别名"),
    ("found undefined tag handle", "未定义的标签前缀"),
    ("special characters are not allowed", "文件含有不允许的特殊(控制)字符"),
    ("unacceptable character", "文件含有不允许的特殊(控制)字符"),
    ("control characters are not allowed", "文件含有不允许的特殊(控制)字符"),
    ("found unexpected ':'", "此处不能出现冒号“:”(文本中的冒号请加引号)"),
    ("found a tab character", "含有制表符(Tab),请改用空格缩进"),
    ("block sequence entries are not allowed", "此处不能开始列表项“- ”(缩进不对?)"),
    ("expected the node content", "缺少内容"),
    ("found duplicate anchor", "重复的锚点"),
    ("expected ',' or ']'", "方括号列表缺少逗号或“]”"),
    ("expected ',' or '}'", "花括号映射缺少逗号或“}”"),
    ("expected a comment or a line break", "值后面有多余内容(文本中有引号或“#”?)"),
    ("expected alphabetic or numeric character", "锚点或别名的名称无效"),
    ("while scanning a quoted scalar", "引号未闭合"),
    ("while scanning a block scalar", "多行文本(| 或 >)写法有误"),
    ("while scanning a directive", "“%” 指令写法有误"),
    ("while scanning", "YAML 写法有误"),
]


class Mark(NamedTuple):
    line: int  # 1-based
    column: int  # 1-based


class SourceError(Exception):
    """The file cannot be read as a YAML mapping; carries one located Chinese message."""

    def __init__(self, message: str, mark: Mark, rule: str = "yaml-syntax"):
        super().__init__(message)
        self.message = message
        self.mark = mark
        self.rule = rule


@dataclass
class Document:
    """Plain data and where each piece of it stands in the file."""

    data: dict
    text: str
    # Parser marks (0-based), turned into ``Mark`` only when asked: most nodes are never reported.
    raw_values: dict[tuple, object] = field(default_factory=dict)  # path -> where its value starts
    raw_keys: dict[tuple, object] = field(default_factory=dict)  # path -> its key in the parent mapping
    nodes: list[tuple[tuple, object]] = field(default_factory=list)  # every (path, value), in file order

    def locate(self, path: tuple) -> Mark:
        """The best mark for ``path``: its key if it has one, else its value, else its nearest parent."""
        path = tuple(path)
        while path:
            if path in self.raw_keys:
                return _mark(self.raw_keys[path])
            if path in self.raw_values:
                return _mark(self.raw_values[path])
            path = path[:-1]
        raw = self.raw_values.get(())
        return _mark(raw) if raw is not None else Mark(1, 1)

    def locate_value(self, path: tuple) -> Mark:
        """Where the value at ``path`` starts (its nearest parent's mark when it has none)."""
        path = tuple(path)
        if path in self.raw_values:
            return _mark(self.raw_values[path])
        return self.locate(path)

    def key_mark(self, path: tuple) -> Mark | None:
        raw = self.raw_keys.get(tuple(path))
        return _mark(raw) if raw is not None else None


def _mark(m) -> Mark:
    return Mark(m.line + 1, m.column + 1)


def _translate(problem: str | None, context: str | None) -> str:
    raw = problem or context or ""
    for needle, zh in _PROBLEMS_ZH:
        if needle in raw or (context and needle in context):
            return f"YAML 语法错误:{zh}"
    return f"YAML 语法错误({raw.strip()})"


def read_text(path: Path) -> str:
    """Bytes to text, refusing what an editor would get wrong: size, BOM, bad UTF-8, tabs."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise FileNotFoundError(str(path)) from exc
    if size > MAX_BYTES:
        raise SourceError(
            f"文件过大({size / 1048576:.1f} MB),目录文件不能超过 {MAX_BYTES // 1048576} MB",
            Mark(1, 1),
            "file-size",
        )
    raw = path.read_bytes()
    if raw.startswith(b"\xef\xbb\xbf"):
        raise SourceError("文件开头有 BOM 标记,请以“UTF-8(无 BOM)”编码保存", Mark(1, 1), "encoding")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        col = len(before.rsplit(b"\n", 1)[-1].decode("utf-8", "replace")) + 1
        raise SourceError(
            "文件不是有效的 UTF-8 编码(可能以 GBK 等编码保存),请以“UTF-8”编码保存",
            Mark(line, col),
            "encoding",
        ) from None
    tab = text.find("\t")
    if tab >= 0:
        line = text.count("\n", 0, tab) + 1
        col = tab - (text.rfind("\n", 0, tab) + 1) + 1
        raise SourceError("含有制表符(Tab),请全部改用空格", Mark(line, col), "tab")
    if not text.strip() or all(
        not ln.strip() or ln.lstrip().startswith("#") for ln in text.splitlines()
    ):
        raise SourceError("文件为空,没有任何内容", Mark(1, 1), "empty")
    return text


def load(path: Path | str) -> Document:
    """Read ``path`` into a ``Document``; raise ``SourceError`` for anything unreadable."""
    path = Path(path)
    text = read_text(path)
    with gc_paused():
        return parse(text)


@contextlib.contextmanager
def gc_paused():
    """Hundreds of thousands of small containers make the cyclic GC run over and over while
    reading a catalog creates no cycles; pausing it halves the time on a large catalog."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        # What was built holds no cycles and lives as long as it is referenced: move it out of
        # the collector's sight, or the first collection after re-enabling scans all of it.
        gc.freeze()
        if enabled:
            gc.enable()


def parse(text: str) -> Document:
    """Parse ``text`` (one YAML mapping) into a ``Document``; raise ``SourceError`` on anything else."""
    doc = Document(data={}, text=text)
    constructor = yaml.constructor.SafeConstructor()
    resolver = yaml.resolver.Resolver()
    implicit_first = {c for c in resolver.yaml_implicit_resolvers if c is not None}
    values, keys, nodes_out = doc.raw_values, doc.raw_keys, doc.nodes
    # A frame: [container, its path, the key awaiting its value (or None), that key's mark]
    stack: list[list] = []
    root: object = None
    documents = nodes = 0
    Scalar, MapStart, SeqStart = ev.ScalarEvent, ev.MappingStartEvent, ev.SequenceStartEvent
    MapEnd, SeqEnd = ev.MappingEndEvent, ev.SequenceEndEvent

    try:
        for event in yaml.parse(text, Loader=_Parser):
            cls = type(event)
            if cls is MapEnd or cls is SeqEnd:
                stack.pop()
                continue
            if cls is Scalar or cls is MapStart or cls is SeqStart:
                raw = event.start_mark
                nodes += 1
                if nodes > MAX_NODES:
                    raise SourceError(
                        f"文件内容过多:超过 {MAX_NODES:,} 个值的上限(约 5,000 个事项的目录也用不了这么多)",
                        _mark(raw), "file-size",
                    )
                if event.anchor is not None:
                    raise SourceError(f"不支持 YAML 锚点“&{event.anchor}”,请直接写出内容", _mark(raw), "yaml-alias")
                tag = event.tag
                if tag is not None and tag != "!" and tag not in _CORE_TAGS:
                    raise SourceError(f"不支持 YAML 标签“{tag}”", _mark(raw), "yaml-tag")
                frame = stack[-1] if stack else None
                if frame is not None and frame[2] is None and type(frame[0]) is dict:
                    # A mapping key.
                    if cls is not Scalar:
                        raise SourceError("映射的键必须是简单文本,不能是列表或映射", _mark(raw), "yaml-key")
                    key = event.value
                    if key in frame[0]:
                        first = _mark(keys[frame[1] + (key,)])
                        raise SourceError(
                            f"重复的键“{key}”(第 {first.line} 行已经有同名键;YAML 只会保留后一个,请合并或删除其一)",
                            _mark(raw),
                            "duplicate-key",
                        )
                    frame[2], frame[3] = key, raw
                    continue
                if cls is Scalar:
                    text_value = event.value
                    if event.style or tag == "tag:yaml.org,2002:str" or (
                        tag is None and text_value and text_value[0] not in implicit_first
                    ):
                        value = text_value  # quoted, block, or plain text no implicit type starts with
                    elif tag is None and _DECIMAL.match(text_value):
                        value = int(text_value)  # what YAML's resolver would make of it, at a sixth of the cost
                    else:
                        value = _scalar(event, resolver, constructor)
                else:
                    if len(stack) >= MAX_DEPTH:
                        raise SourceError(f"嵌套层级过深(超过 {MAX_DEPTH} 层)", _mark(raw), "yaml-depth")
                    value = {} if cls is MapStart else []
                if frame is None:
                    root, path = value, ()
                elif type(frame[0]) is list:
                    path = frame[1] + (len(frame[0]),)
                    frame[0].append(value)
                else:
                    path = frame[1] + (frame[2],)
                    frame[0][frame[2]] = value
                    keys[path] = frame[3]
                    frame[2] = None
                values[path] = raw
                nodes_out.append((path, value))
                if cls is not Scalar:
                    stack.append([value, path, None, None])
            elif cls is ev.DocumentStartEvent:
                documents += 1
                if documents > 1:
                    raise SourceError(
                        "文件只能包含一个 YAML 文档(请删除多余的“---”)", _mark(event.start_mark), "yaml-documents"
                    )
            elif cls is ev.AliasEvent:
                raise SourceError(
                    f"不支持 YAML 别名“*{event.anchor}”,请直接写出内容", _mark(event.start_mark), "yaml-alias"
                )
    except SourceError:
        raise
    except yaml.MarkedYAMLError as exc:
        m = exc.problem_mark or exc.context_mark
        mark = _mark(m) if m is not None else Mark(1, 1)
        raise SourceError(_translate(exc.problem, exc.context), mark) from None
    except yaml.YAMLError as exc:  # ReaderError and friends carry a position, not a mark
        pos = getattr(exc, "position", None)
        if pos is not None:
            line = text.count("\n", 0, pos) + 1
            col = pos - (text.rfind("\n", 0, pos) + 1) + 1
            mark = Mark(line, col)
        else:
            mark = Mark(1, 1)
        raise SourceError(_translate(str(getattr(exc, "reason", exc)), None), mark) from None

    if root is None:
        raise SourceError("文件为空,没有任何内容", Mark(1, 1), "empty")
    if not isinstance(root, dict):
        kind = "列表" if isinstance(root, list) else "单个值"
        raise SourceError(
            f"目录的最外层必须是“键: 值”映射(meta、services 等),而这里是{kind}",
            doc.locate(()),
            "yaml-root",
        )
    doc.data = root
    return doc


def _scalar(event, resolver, constructor):
    """A plain scalar's value by YAML's core rules (numbers, true/false, dates, null)."""
    tag = event.tag
    implicit = tag in (None, "!")
    if implicit:
        tag = resolver.resolve(yaml.ScalarNode, event.value, event.implicit)
        if tag == "tag:yaml.org,2002:str":
            return event.value
    node = yaml.ScalarNode(tag, event.value, style=event.style)
    try:
        return constructor.construct_object(node, deep=True)
    except Exception:
        if implicit:  # looks like a date but isn't one (2026-13-27): text, which the schema then reports
            return event.value
        raise SourceError(
            f"无法按类型“{tag.rsplit(':', 1)[-1]}”读取“{event.value}”", _mark(event.start_mark), "yaml-value"
        ) from None
