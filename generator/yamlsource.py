"""Read a YAML file into plain Python data plus the line and column of every node.

PyYAML alone is not enough for a catalog that people edit by hand: it keeps the last
of two duplicate keys silently, expands alias bombs, recurses on deep nesting and
forgets where each value came from. This reader walks the parser's event stream
iteratively, so every one of those cases ends in a located ``SourceError``.
"""

from __future__ import annotations

import contextlib
from array import array
import gc
import re
from pathlib import Path
from typing import Iterator, NamedTuple

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

_CONTENT = re.compile(r"^[^\S\n]*[^\s#]", re.MULTILINE)  # spaces, then anything but "#"

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


# A source position packed in one int: 0-based line above ``LINE_BITS``, 0-based column below, kept in
# int arrays instead of a parser Mark object (six attributes and a dict) per node: with the other
# changes to ``Part`` this took ``load()`` of 1,000 services from 108 to 85 MB peak (bench/reload.py).
LINE_BITS = 24  # columns stay below 2**24: the file is at most MAX_BYTES
_COLUMN = (1 << LINE_BITS) - 1


def _pack(m) -> int:
    return (m.line << LINE_BITS) | m.column


def _unpack(p: int, shift: int = 0) -> Mark:
    return Mark((p >> LINE_BITS) + shift + 1, (p & _COLUMN) + 1)


class Part:
    """Where the nodes of one piece of a document stand: the whole document less its services, or one
    service. Paths in a service's part are relative to that service (its own value is at ``()``)."""

    __slots__ = ("index", "paths", "values", "starts", "keys", "memo")

    def __init__(self) -> None:
        self.index: dict[tuple, int] = {}  # path -> the number of its node
        # Every node's path and value, in file order (two lists: a (path, value) pair per node was 6 MB
        # of a 1,000-service catalog).
        self.paths: list[tuple] = []
        self.values: list[object] = []
        # Packed positions by node number (arrays: no object per position): where each value starts,
        # and where its key is (-1 when it is not in a mapping).
        self.starts = array("q")
        self.keys = array("q")
        self.memo: dict = {}  # what callers derive from this part alone (it is never changed once parsed)

    @property
    def nodes(self) -> Iterator[tuple[tuple, object]]:
        """Every (path, value), in file order."""
        return zip(self.paths, self.values)

    def key_or_value(self, path: tuple) -> int | None:
        k = self.index.get(path)
        if k is None:
            return None
        key = self.keys[k]
        return key if key >= 0 else self.starts[k]

    def value(self, path: tuple) -> int | None:
        k = self.index.get(path)
        return None if k is None else self.starts[k]

    def key(self, path: tuple) -> int | None:
        k = self.index.get(path)
        return None if k is None or self.keys[k] < 0 else self.keys[k]


SERVICES = "services"


class Document:
    """Plain data and where each piece of it stands in the file.

    Kept in parts: ``root`` for everything but the items of the top-level ``services`` list, and one
    part per service with the number of lines to add to its positions (0 when read in one go; a
    reloading session reuses a service's part after the lines above it changed).
    """

    __slots__ = ("data", "text", "root", "items", "_nodes")

    def __init__(self, data: dict, text: str, root: Part, items: list[tuple[Part, int]] | None = None):
        self.data = data
        self.text = text
        self.root = root
        self.items = items or []
        self._nodes: list[tuple[tuple, object]] | None = None

    def _part(self, path: tuple) -> tuple[Part, tuple, int]:
        items = self.items
        if len(path) >= 2 and path[0] == SERVICES and items and isinstance(path[1], int) and 0 <= path[1] < len(items):
            part, shift = items[path[1]]
            return part, path[2:], shift
        return self.root, path, 0

    def locate(self, path: tuple) -> Mark:
        """The best mark for ``path``: its key if it has one, else its value, else its nearest parent."""
        path = tuple(path)
        part, rel, shift = self._part(path)
        if part is not self.root:
            while True:
                raw = part.key_or_value(rel)
                if raw is not None:
                    return _unpack(raw, shift)
                if not rel:
                    break
                rel = rel[:-1]
            path = path[:2]
        root = self.root
        while path:
            raw = root.key_or_value(path)
            if raw is not None:
                return _unpack(raw)
            path = path[:-1]
        raw = root.value(())
        return _unpack(raw) if raw is not None else Mark(1, 1)

    def locate_value(self, path: tuple) -> Mark:
        """Where the value at ``path`` starts (its nearest parent's mark when it has none)."""
        path = tuple(path)
        part, rel, shift = self._part(path)
        raw = part.value(rel)
        return _unpack(raw, shift) if raw is not None else self.locate(path)

    def key_mark(self, path: tuple) -> Mark | None:
        part, rel, shift = self._part(tuple(path))
        raw = part.key(rel)
        return _unpack(raw, shift) if raw is not None else None

    def service_nodes(self, i: int) -> Iterator[tuple[tuple, object]]:
        """Every (path, value) of service ``i``, in file order, paths from the document's root."""
        base = (SERVICES, i)
        for rel, value in self.items[i][0].nodes:
            yield base + rel, value

    def outer_nodes(self) -> Iterator[tuple[tuple, object]]:
        """Every (path, value) outside the services' items, in file order."""
        return self.root.nodes

    def walk(self) -> Iterator[tuple[tuple, object]]:
        """Every (path, value) of the document, in file order."""
        for path, value in self.root.nodes:
            yield path, value
            if path == (SERVICES,) and self.items:
                for i in range(len(self.items)):
                    yield from self.service_nodes(i)

    @property
    def nodes(self) -> list[tuple[tuple, object]]:
        """Every (path, value), in file order (built on first use: the rules walk the parts instead)."""
        if self._nodes is None:
            self._nodes = list(self.walk())
        return self._nodes


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
    # A line whose first character is not "#" proves content without splitting the whole text into
    # lines (that list was the peak of reading a large catalog); only the rest is looked at line by line.
    if not _CONTENT.search(text) and all(
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
    root, part, items = _events(text, split_root=False)
    if root is None:
        raise SourceError("文件为空,没有任何内容", Mark(1, 1), "empty")
    if not isinstance(root, dict):
        kind = "列表" if isinstance(root, list) else "单个值"
        raise SourceError(
            f"目录的最外层必须是“键: 值”映射(meta、services 等),而这里是{kind}",
            _unpack(part.starts[0]),
            "yaml-root",
        )
    return Document(root, text, part, [(p, 0) for p in items])


def parse_item(text: str) -> Part:
    """One service read on its own: ``text`` is one item of the ``services`` list, as it stands in
    the file (``- id: …`` and the lines under it). Positions count from the first line of ``text``.
    Raises ``SourceError`` for anything but exactly one item (the caller then reads the whole file)."""
    root, _, items = _events(text, split_root=True)
    if not isinstance(root, list) or len(items) != 1:
        raise SourceError("不是一个事项", Mark(1, 1))
    return items[0]


def _events(text: str, split_root: bool) -> tuple[object, Part, list[Part]]:
    """Walk the parser's events: (root value, the part holding all but the split items, those items).

    The items of the top-level ``services`` list are split off into parts of their own (of the root
    list itself when ``split_root``: one service read alone, one level less deep than in the file)."""
    constructor = yaml.constructor.SafeConstructor()
    resolver = yaml.resolver.Resolver()
    implicit_first = {c for c in resolver.yaml_implicit_resolvers if c is not None}
    top = Part()
    items: list[Part] = []
    depth0 = 1 if split_root else 0
    # A frame: [container, its path, the key awaiting its value (or None), that key's mark, its part,
    # whether its items start parts of their own]
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
                        first = _unpack(frame[4].key(frame[1] + (key,)))
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
                    if len(stack) + depth0 >= MAX_DEPTH:
                        raise SourceError(f"嵌套层级过深(超过 {MAX_DEPTH} 层)", _mark(raw), "yaml-depth")
                    value = {} if cls is MapStart else []
                split = False
                if frame is None:
                    root, path, part = value, (), top
                    split = split_root and cls is SeqStart
                    part.keys.append(-1)
                elif type(frame[0]) is list:
                    if frame[5]:
                        path, part = (), Part()
                        items.append(part)
                    else:
                        path, part = frame[1] + (len(frame[0]),), frame[4]
                    frame[0].append(value)
                    part.keys.append(-1)
                else:
                    path, part = frame[1] + (frame[2],), frame[4]
                    frame[0][frame[2]] = value
                    part.keys.append(_pack(frame[3]))
                    frame[2] = None
                    split = not split_root and len(stack) == 1 and cls is SeqStart and path == (SERVICES,)
                part.index[path] = len(part.paths)
                part.starts.append(_pack(raw))
                part.paths.append(path)
                part.values.append(value)
                if cls is not Scalar:
                    stack.append([value, path, None, None, part, split])
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
    return root, top, items


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
