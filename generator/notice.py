"""The one honest notice of a service: which elements are still 待核实, and whom to ask.

Shared by the site and print (a neutral module: no checker, no output imports it back).
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from .schema import Service, is_pending

# In the order a person reads the page: where, what to bring, how long, how much, whom to call …
ORDER = ("channels", "materials", "time_limits", "fees", "phones", "process", "audience",
         "conditions", "case_type", "results", "legal_basis")

COUNTS = "材料份数"
PLAINER = {"地址": "窗口地址", "办理时间": "窗口办理时间", "线下办理": "办理窗口"}  # said without their parent
HOTLINE = "12345"  # 政务服务便民热线: answers for every department when a service's own phone is unknown


def pending_labels(s: Service) -> list[str]:
    """Chinese names of the elements of ``s`` still 待核实, each once, in reading order.

    Unknown original/copy counts are one item (材料份数), however many materials lack them."""
    labels: list[str] = []

    def walk(node: Any, title: str) -> None:
        if is_pending(node):
            title = PLAINER.get(title, title)
            if title and title not in labels:
                labels.append(title)
            return
        if isinstance(node, (list, tuple)):
            for x in node:
                walk(x, title)
        elif isinstance(node, BaseModel):
            for name, info in type(node).model_fields.items():
                if name != "source":
                    walk(getattr(node, name), info.title or title)

    for name in ORDER:
        walk(getattr(s, name), type(s).model_fields[name].title or name)
    if not is_pending(s.materials) and any(m.originals is None or m.copies is None
                                           for m in s.materials):
        labels.append(COUNTS)
    return labels


def ask_phone(s: Service) -> str | None:
    """The number to call about ``s``: its first 咨询 phone, else its first phone, else None."""
    if is_pending(s.phones) or not s.phones:
        return None
    ask = [p for p in s.phones if p.kind == "咨询"] or list(s.phones)
    return ask[0].number
