"""Read a YAML file into plain Python data plus the line and column of every node.

PyYAML alone is not enough for a catalog that people edit by hand: it keeps the last
of two duplicate keys silently, expands alias bombs, recurses on deep nesting and
forgets where each value came from. This reader walks the parser's event stream
iteratively, so every one of those cases ends in a located ``SourceError``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml
from yaml import events as ev

MAX_BYTES = 20 * 1024 * 1024
MAX_DEPTH = 64
MAX_NODES = 2_000_000

_Parser = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

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


@dataclass(frozen=True)
class Mark:
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
    values: dict[tuple, Mark] = field(default_factory=dict)  # path -> value start
    keys: dict[tuple, Mark] = field(default_factory=dict)  # path -> its key in the parent mapping

    def locate(self, path: tuple) -> Mark:
        """The best mark for ``path``: the key if it has one, else the value, else its nearest parent."""
        path = tuple(path)
        while path:
            if path in self.keys:
                return self.keys[path]
            if path in self.values:
                return self.values[path]
            path = path[:-1]
        return self.values.get((), Mark(1, 1))

    def locate_value(self, path: tuple) -> Mark:
        path = tuple(path)
        if path in self.values:
            return self.values[path]
        return self.locate(path)


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
    return parse(text)


def parse(text: str) -> Document:
    doc = Document(data={}, text=text)
    constructor = yaml.constructor.SafeConstructor()
    resolver = yaml.resolver.Resolver()
    # Each frame: [container, path, pending_key_or_None, key_mark, seen_keys]
    stack: list[list] = []
    root: object = None
    root_seen = False
    documents = 0
    nodes = 0

    def attach(value, mark: Mark, is_collection: bool):
        nonlocal root, root_seen
        if not stack:
            root, root_seen = value, True
            doc.values[()] = mark
            return ()
        frame = stack[-1]
        container, cpath = frame[0], frame[1]
        if isinstance(container, list):
            p = cpath + (len(container),)
            container.append(value)
            doc.values[p] = mark
            return p
        if frame[2] is None:
            # This node is a key.
            if is_collection:
                raise SourceError("映射的键必须是简单文本,不能是列表或映射", mark, "yaml-key")
            key = value
            if key in frame[4]:
                first = frame[4][key]
                raise SourceError(
                    f"重复的键“{key}”(第 {first.line} 行已经有同名键;YAML 只会保留后一个,请合并或删除其一)",
                    mark,
                    "duplicate-key",
                )
            frame[4][key] = mark
            frame[2], frame[3] = key, mark
            return None
        key = frame[2]
        p = cpath + (key,)
        container[key] = value
        doc.values[p] = mark
        doc.keys[p] = frame[3]
        frame[2] = None
        return p

    try:
        for event in yaml.parse(text, Loader=_Parser):
            if isinstance(event, (ev.StreamStartEvent, ev.StreamEndEvent, ev.DocumentEndEvent)):
                continue
            if isinstance(event, ev.DocumentStartEvent):
                documents += 1
                if documents > 1:
                    raise SourceError(
                        "文件只能包含一个 YAML 文档(请删除多余的“---”)", _mark(event.start_mark), "yaml-documents"
                    )
                continue
            mark = _mark(event.start_mark)
            if isinstance(event, ev.AliasEvent):
                raise SourceError(
                    f"不支持 YAML 别名“*{event.anchor}”,请直接写出内容", mark, "yaml-alias"
                )
            if isinstance(event, (ev.ScalarEvent, ev.MappingStartEvent, ev.SequenceStartEvent)):
                nodes += 1
                if nodes > MAX_NODES:
                    raise SourceError("文件内容过多(节点数超过上限)", mark, "file-size")
                if event.anchor is not None:
                    raise SourceError(
                        f"不支持 YAML 锚点“&{event.anchor}”,请直接写出内容", mark, "yaml-alias"
                    )
                tag = event.tag
                if tag is not None and tag != "!" and tag not in _CORE_TAGS:
                    raise SourceError(f"不支持 YAML 标签“{tag}”", mark, "yaml-tag")
            if isinstance(event, ev.ScalarEvent):
                is_key = bool(stack) and isinstance(stack[-1][0], dict) and stack[-1][2] is None
                if is_key and (event.tag in (None, "!")):
                    value = event.value
                else:
                    value = _scalar(event, resolver, constructor, mark)
                    if is_key and not isinstance(value, str):
                        value = event.value
                attach(value, mark, False)
            elif isinstance(event, (ev.MappingStartEvent, ev.SequenceStartEvent)):
                if len(stack) >= MAX_DEPTH:
                    raise SourceError(f"嵌套层级过深(超过 {MAX_DEPTH} 层)", mark, "yaml-depth")
                container: dict | list = {} if isinstance(event, ev.MappingStartEvent) else []
                p = attach(container, mark, True)
                stack.append([container, p, None, None, {}])
            elif isinstance(event, (ev.MappingEndEvent, ev.SequenceEndEvent)):
                stack.pop()
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

    if not root_seen or root is None:
        raise SourceError("文件为空,没有任何内容", Mark(1, 1), "empty")
    if not isinstance(root, dict):
        kind = "列表" if isinstance(root, list) else "单个值"
        raise SourceError(
            f"目录的最外层必须是“键: 值”映射(meta、services 等),而这里是{kind}",
            doc.values.get((), Mark(1, 1)),
            "yaml-root",
        )
    doc.data = root
    return doc


def _scalar(event, resolver, constructor, mark: Mark):
    tag = event.tag
    if tag in (None, "!"):
        tag = resolver.resolve(yaml.ScalarNode, event.value, event.implicit)
    node = yaml.ScalarNode(tag, event.value, style=event.style)
    try:
        if tag == "tag:yaml.org,2002:str":
            return event.value
        return constructor.construct_object(node, deep=True)
    except Exception:  # a malformed timestamp or number under an explicit tag
        raise SourceError(f"无法按类型“{tag.rsplit(':', 1)[-1]}”读取“{event.value}”", mark, "yaml-value") from None
