"""The catalog's schema: the one definition behind validation, typed access and the JSON Schema.

Field names follow GB/T 39046-2020 (事项管理基础数据集) in English, with CPSV-AP and HSDS
where they fit. Every field carries a Chinese title and description: they become the
hover help in the editor of the department staff who maintain the catalog.

An element whose value is not known is written ``{pending: "<what is unknown>"}``
(待核实): shown as such everywhere, counted by ``guide check``, never guessed.
"""

from __future__ import annotations

import datetime as _dt
from typing import Annotated, Any, Literal, Union

from pydantic import BaseModel, ConfigDict, Discriminator, Field, Tag
from typing_extensions import TypeIs

SLUG = r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$"
SLUG_HELP = "小写英文字母、数字和连字符,以字母开头,如 passport"


def _f(title: str, description: str = "", **kw) -> Any:
    return Field(title=title, description=description or title, **kw)


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


Text = Annotated[str, Field(min_length=1)]
Slug = Annotated[str, Field(pattern=SLUG, min_length=2, max_length=40)]
SourceRefs = Annotated[
    list[Slug],
    Field(title="来源", description="本项内容的出处:sources 中来源的 id 列表"),
]


class Pending(Model):
    """An element whose value is not yet known: 待核实."""

    pending: Text = _f("待核实", "尚未核实的要素:写明缺什么、为什么缺,如“威海承诺办结时限未公开”")
    source: SourceRefs = Field(default_factory=list)
    editor_note: str | None = _f("编辑备注", "仅供编辑和部门核实参考(如线索来源、待查事项),不在网站和印刷品上显示", default=None)


def is_pending(value: object) -> TypeIs[Pending]:
    """Whether an element is recorded as 待核实 (narrows ``X | Pending`` for type checkers)."""
    return isinstance(value, Pending)


def _pending_or(model: type, title: str, description: str, optional: bool = False) -> Any:
    """``model`` or ``Pending`` (or nothing, when ``optional``), chosen by the ``pending`` key."""

    def pick(value: Any) -> str:
        if isinstance(value, dict) and "pending" in value:
            return "~pending"
        if isinstance(value, Pending):
            return "~pending"
        if value is None and optional:
            return "~none"
        return "~value"

    members: tuple = (Annotated[model, Tag("~value")], Annotated[Pending, Tag("~pending")])
    if optional:
        members += (Annotated[None, Tag("~none")],)
    return Annotated[
        Union[members],
        Discriminator(pick),
        Field(title=title, description=description + "。未知时写 {pending: 说明}(待核实)"),
    ]


# ---------------------------------------------------------------- registries


class Source(Model):
    """A citation: where a value in the catalog comes from (CPSV-AP Legal Resource / evidence)."""

    id: Slug = _f("来源编号", "来源的编号,供各要素的 source 引用。" + SLUG_HELP)
    title: Text = _f("来源名称", "法律法规名称、网页标题或文件名")
    url: str | None = _f("来源网址", "原始网址(仅作出处记录,不在指南中作为办事链接)", default=None)
    type: Literal["law_text", "official", "state_media", "news", "secondary"] = _f(
        "来源类型",
        "law_text 法律法规原文;official 政府网站或政府文件(网址须在 meta.official_domains 之内);"
        "state_media 官方媒体报道(须写 outlet,如 新华社);news 其他新闻报道;"
        "secondary 第三方网站、镜像、聚合站(仅作编辑线索:只有此类来源的要素须写成待核实)",
    )
    locality: str | None = _f(
        "适用地域",
        "来源内容适用的地域:national(全国)、省名(如 山东)、本市(如 威海)或其他城市名(如 南阳)。"
        "只有其他城市(或“不详”)来源的要素不能作为本市的要素值,须写成待核实",
        default=None,
    )
    outlet: str | None = _f("媒体名称", "state_media 来源的媒体,如 新华社、央视新闻、中国新闻网", default=None)
    date: str | None = _f("来源日期", "来源的发布或查阅日期,如 2024-10-28", default=None)
    note: str | None = _f("备注", default=None)
    editor_note: str | None = _f("编辑备注", "仅供编辑和部门核实参考(如线索来源、待查事项),不在网站和印刷品上显示", default=None)


class Phone(Model):
    kind: Literal["咨询", "监督投诉"] = _f("电话类型", "咨询 或 监督投诉")
    number: Text = _f("电话号码", "如 12367、0631-12367、0631-5897000")
    note: str | None = _f("说明", "如 服务时间、适用范围", default=None)
    source: SourceRefs = Field(default_factory=list)


class HelpDesk(Model):
    name: Text = _f("服务窗口名称", "如 国际人才港")
    address: _pending_or(str, "地址", "窗口地址")  # type: ignore[valid-type]
    hours: _pending_or(str, "办公时间", "窗口办公时间")  # type: ignore[valid-type]
    phones: _pending_or(list[Phone], "电话", "窗口咨询电话")  # type: ignore[valid-type]
    note: str | None = _f("窗口服务说明", "如 为残疾人等特殊群体提供陪同办、代理办、优先办", default=None)
    source: SourceRefs = Field(default_factory=list)


class PlanDocument(Model):
    title: Text = _f("方案名称")
    number: Text = _f("文号", "如 威人社字〔2025〕16号")
    date: _dt.date = _f("印发日期")


class Meta(Model):
    title: Text = _f("指南标题", "如 留学人才服务“一件事”办事指南")
    city: Text = _f("城市", "如 威海市")
    plan: PlanDocument = _f("实施方案", "本“一件事”的依据文件")
    version: Annotated[str, Field(pattern=r"^\d{4}\.\d{1,2}\.\d{1,2}(\.\d+)?$")] = _f(
        "目录版本", "形如 2026.11.27 或 2026.11.27.2,每次发布递增"
    )
    date: _dt.date = _f("目录日期", "本版目录的日期(指南和印刷品上显示此日期)")
    site_url: Annotated[str, Field(pattern=r"^https://[A-Za-z0-9.-]+(:[0-9]+)?(/[A-Za-z0-9._~-]+)*$")] = _f(
        "网站地址", "指南网站的 https 地址(末尾不带“/”),短链接 /s/<编号>/ 和二维码都用它,如 https://rcfw.weihai.gov.cn"
    )
    lead_department: Slug = _f(
        "牵头部门",
        "牵头部门的编号(departments 中的 id):维护全目录共用的内容、规则和流程,并审核其他部门的变更。"
        "权限看这里,不看部门的排列顺序;只有牵头部门能改动它",
    )
    link_domains: list[Text] = _f(
        "允许的链接域名", "办事链接和二维码只能指向这些域名或其子域名,如 gov.cn", min_length=1
    )
    help_desk: HelpDesk = _f("综合服务窗口", "“一件事”综合窗口的信息(首页显示)")
    official_domains: list[Text] = _f(
        "官方来源域名", "type: official 的来源网址须在这些域名或其子域名之内", default_factory=lambda: ["gov.cn"]
    )
    denied_hosts: list[Text] = _f(
        "禁用域名", "垃圾网站、不良网站等:目录中任何地方(来源、网址、说明)都不得出现这些域名或其子域名", default_factory=list
    )
    home_localities: list[Text] = _f(
        "本地地域",
        "来源的 locality 在此列表(或为本市)时,可作为本指南的要素值来源,如 [national, 山东, 威海];"
        "其他地域的来源只能作为待核实的线索",
        default_factory=lambda: ["national"],
    )


class Department(Model):
    id: Slug = _f("部门编号", SLUG_HELP)
    name: Text = _f("部门全称", "如 威海市公安局")
    short_name: Text = _f("部门简称", "如 市公安局")
    address: _pending_or(str, "地址", "部门办公或办事地址")  # type: ignore[valid-type]
    phones: _pending_or(list[Phone], "电话", "部门咨询、监督电话")  # type: ignore[valid-type]
    url: str | None = _f("部门网站", "部门官网(须为 https,且在允许的域名内)", default=None)
    maintainers: list[Text] = _f(
        "维护人账号", "有权修改本部门事项的 GitHub 账号(生成 CODEOWNERS,并用于变更审核)", default_factory=list
    )
    in_plan: bool = _f(
        "实施方案联办部门",
        "true:实施方案“职责分工”所列部门;false:方案未列的实际办理机构(如 教育部留学服务中心),或方案未指定承办部门的事项的占位条目",
        default=True,
    )


class Stage(Model):
    id: Slug = _f("阶段编号", SLUG_HELP)
    name: Text = _f("阶段名称", "如 出国(境)前")
    description: Text = _f("阶段说明", "一句话说明这一阶段要办什么")


class Category(Model):
    id: Slug = _f("类别编号", SLUG_HELP)
    name: Text = _f("类别名称", "政务服务 或 增值服务")
    description: Text = _f("类别说明")
    kind: Literal["government", "value-added"] = _f(
        "类别性质",
        "government:政务服务(依法办理,每个事项须写设定依据);value-added:增值服务。检查按此判断,不按类别名称",
    )


class Material(Model):
    """A document shared across services (居民身份证, 护照 …): one thing, one entry."""

    id: Slug = _f("材料编号", SLUG_HELP)
    name: Text = _f("材料名称", "如 居民身份证")
    issuer: str | None = _f("出具机构", "如 公安机关;本人提供的写“申请人”", default=None)
    note: str | None = _f("材料说明", default=None)
    source: SourceRefs = Field(default_factory=list)


class AnswerOption(Model):
    id: Slug = _f("选项编号", SLUG_HELP)
    label: Text = _f("选项文字", "如 前往香港、澳门")


class Question(Model):
    """A question of 我的清单: which answer brings in which service is data (services[].applies)."""

    id: Slug = _f("问题编号", SLUG_HELP)
    text: Text = _f("问题", "如 您要去哪里?")
    multiple: bool = _f("可多选", "true 表示可选多个答案", default=False)
    answers: list[AnswerOption] = _f("选项", min_length=1)


# ---------------------------------------------------------------- service elements


class LegalBasis(Model):
    title: Text = _f("依据名称", "法律法规或文件名称,如 《中华人民共和国护照法》")
    article: str | None = _f("条款", "如 第六条", default=None)
    doc_number: str | None = _f("文号", "如 发改价格〔2019〕914号", default=None)
    url: str | None = _f("原文链接", "https,且在允许的域名内", default=None)
    note: str | None = _f("要点", "条款的要点", default=None)
    source: SourceRefs = Field(default_factory=list)


class Condition(Model):
    text: Text = _f("条件", "一条受理条件")
    source: SourceRefs = Field(default_factory=list)


class MaterialUse(Model):
    ref: Slug | None = _f("共用材料编号", "引用 materials 中的共用材料;与 name 二选一", default=None)
    name: str | None = _f("材料名称", "本事项特有的材料;与 ref 二选一", default=None)
    issuer: str | None = _f("出具机构", default=None)
    originals: int | None = Field(
        default=None, ge=0, le=99, title="原件份数", description="需提交或交验的原件份数;未知则不填(显示为待核实)"
    )
    copies: int | None = Field(
        default=None, ge=0, le=99, title="复印件份数", description="复印件份数;未知则不填(显示为待核实)"
    )
    required: bool = _f("是否必备", "true 必备;false 为有条件提交,须写 condition", default=True)
    condition: str | None = _f("提交条件", "有条件提交时的条件,如 未满16周岁", default=None)
    note: str | None = _f("材料说明", default=None)
    source: SourceRefs = Field(default_factory=list)


class Step(Model):
    title: Text = _f("步骤", "如 网上预约")
    detail: str | None = _f("步骤说明", default=None)
    source: SourceRefs = Field(default_factory=list)


class Prerequisite(Model):
    """Another service whose result this one needs first (drawn as an arrow in the journey chart)."""

    service: Slug = _f("先办事项", "须先办理的事项编号(services 中的 id),其办理结果在本事项中要用到")
    provides: _pending_or(str, "用途", "先办事项的结果在本事项中的用途,如 申请材料“留学期间出入境记录”")  # type: ignore[valid-type]
    source: SourceRefs = Field(default_factory=list)


class TimeLimit(Model):
    value: float | None = Field(
        default=None, gt=0, le=3650, title="时限数值", description="天数;单位为“即办”时不填"
    )
    unit: Literal["工作日", "日", "即办"] = _f("时限单位", "工作日、日 或 即办")
    note: str | None = _f("说明", "如 偏远地区可延长至30日", default=None)
    source: SourceRefs = Field(default_factory=list)


def calendar_bounds(t: TimeLimit) -> tuple[float, float]:
    """Least and most calendar days a limit can mean (a working day week is 5 of 7 days)."""
    if t.unit == "即办":
        return 0.0, 0.0
    v = t.value or 0.0
    if t.unit == "工作日":
        return v, v * 7 / 5
    return v, v


def format_limit(t: TimeLimit) -> str:
    """The one wording of a time limit, e.g. 20个工作日, 30日, 即办."""
    if t.unit == "即办":
        return "即办"
    v = t.value or 0
    return f"{int(v) if float(v).is_integer() else v}{'个工作日' if t.unit == '工作日' else '日'}"


class TimeLimits(Model):
    statutory: _pending_or(TimeLimit, "法定办结时限", "法律法规规定的办结时限")  # type: ignore[valid-type]
    committed: _pending_or(TimeLimit, "承诺办结时限", "本地承诺的办结时限,不得长于法定时限")  # type: ignore[valid-type]


class FeeItem(Model):
    name: Text = _f("收费项目", "如 普通护照")
    amount: float = Field(ge=0, title="金额(元)", description="人民币元")
    unit: Text = _f("计费单位", "如 本、证、件")
    optional: bool = _f(
        "按需收取",
        "true:只在特定情形收取,或与其他项目多选一(如不同有效期的签注);false:办理本事项都要收取",
        default=False,
    )
    note: str | None = _f("说明", default=None)


class Fees(Model):
    charged: bool = _f("是否收费", "true 收费(须列出 items 和 basis);false 不收费")
    items: list[FeeItem] = _f("收费项目", default_factory=list)
    basis: _pending_or(str, "收费依据", "如 发改价格〔2019〕914号;收费时必填", optional=True) = None  # type: ignore[valid-type]
    note: str | None = _f("说明", default=None)
    source: SourceRefs = Field(default_factory=list)


class Result(Model):
    name: Text = _f("结果名称", "如 中华人民共和国普通护照")
    form: Literal["纸质证件", "电子证照", "纸质文书", "电子文书", "服务", "其他"] = _f(
        "结果形式", "纸质证件、电子证照、纸质文书、电子文书、服务 或 其他"
    )
    note: str | None = _f("说明", default=None)
    source: SourceRefs = Field(default_factory=list)


class OnlineChannel(Model):
    name: Text = _f("平台名称", "如 国家移民管理局政务服务平台")
    url: str | None = _f("网办地址", "https,且在允许的域名内;APP/小程序可不填", default=None)
    note: str | None = _f("说明", "如 可网上预约", default=None)
    source: SourceRefs = Field(default_factory=list)


class InPersonChannel(Model):
    place: Text = _f("办理地点", "如 威海市政务服务中心出入境接待大厅")
    address: _pending_or(str, "地址", "详细地址")  # type: ignore[valid-type]
    hours: _pending_or(str, "办理时间", "如 周一至周五 08:30-12:00,13:30-17:30")  # type: ignore[valid-type]
    note: str | None = _f("说明", default=None)
    source: SourceRefs = Field(default_factory=list)


class Channels(Model):
    online: _pending_or(list[OnlineChannel], "网上办理", "网上办理渠道;确认不能网办时写空列表 []")  # type: ignore[valid-type]
    in_person: _pending_or(list[InPersonChannel], "线下办理", "窗口办理地点")  # type: ignore[valid-type]


class Faq(Model):
    question: Text = _f("问题")
    answer: Text = _f("回答")
    source: SourceRefs = Field(default_factory=list)


# The elements a department confirms one by one (核对表 rows): a key is the element's path in a service.
ElementKey = Literal[
    "audience", "conditions", "legal_basis", "materials", "process", "case_type",
    "time_limits.statutory", "time_limits.committed", "fees", "results",
    "channels.online", "channels.in_person", "phones",
]
ELEMENT_CHECK_CONFIRMED = ("部门已确认", "部门已更正")


class ElementCheck(Model):
    """One element as the department returned it in its 核对表: who, when, on what basis (HSDS assured_date)."""

    status: Literal["部门已确认", "部门已更正", "本部门不办理"] = _f(
        "核对结果", "部门已确认:内容无误;部门已更正:按部门的更正修改;本部门不办理:由牵头部门另行确定"
    )
    department: Slug = _f("核对部门", "返回核对表的部门编号")
    confirmed_by: Text = _f("经办人", "核对表上填写的经办人")
    date: _dt.date = _f("核对日期", "核对表导入目录的日期")
    basis: str | None = _f("依据", "依据文件或网址", default=None)
    note: str | None = _f("备注", default=None)


class Verification(Model):
    status: Literal["待核实", "部门已确认"] = _f("核实状态", "待核实 或 部门已确认")
    confirmed_by: str | None = _f("确认人", "确认本事项的部门、人员或账号", default=None)
    date: _dt.date | None = _f("核实日期", "最近一次核实的日期", default=None)
    note: str | None = _f("说明", default=None)
    elements: dict[ElementKey, ElementCheck] = _f(
        "要素核对", "部门通过核对表逐项确认或更正的要素(由 guide review import 写入),键为要素,如 fees、time_limits.committed",
        default_factory=dict,
    )


class Service(Model):
    """One service of the bundle (事项; CPSV-AP Public Service)."""

    id: Slug = _f("事项编号", "永久编号,作为短链接 /s/<编号>/ 和二维码地址,发布后不得修改或复用。" + SLUG_HELP)
    name: Text = _f("事项名称", "与实施方案一致,如 普通护照签发")
    stage: Slug = _f("阶段", "stages 中的阶段编号")
    category: Slug = _f("类别", "categories 中的类别编号")
    number: int = Field(ge=1, le=99, title="方案序号", description="实施方案中该阶段、该类别下的序号,如 出国前 ① 写 1")
    department: Slug = _f("主办部门", "departments 中的部门编号")
    co_departments: list[Slug] = _f("协办部门", "其他参与部门的编号", default_factory=list)
    summary: Text = _f("事项简介", "一两句话说明这件事是什么、为谁办")
    audience: _pending_or(str, "服务对象", "谁可以申请")  # type: ignore[valid-type]
    conditions: _pending_or(list[Condition], "受理条件", "受理条件列表")  # type: ignore[valid-type]
    legal_basis: _pending_or(list[LegalBasis], "设定依据", "法律法规和政策依据")  # type: ignore[valid-type]
    materials: _pending_or(list[MaterialUse], "申请材料", "申请材料清单")  # type: ignore[valid-type]
    process: _pending_or(list[Step], "办理流程", "按顺序的办理步骤")  # type: ignore[valid-type]
    case_type: _pending_or(  # type: ignore[valid-type]
        Annotated[str, Field(pattern=r"^(即办件|承诺件)$")], "办件类型", "即办件 或 承诺件"
    )
    time_limits: TimeLimits = _f("办结时限", "法定和承诺办结时限")
    fees: _pending_or(Fees, "收费标准", "是否收费、收费项目和依据")  # type: ignore[valid-type]
    results: _pending_or(list[Result], "办理结果", "办结后得到什么")  # type: ignore[valid-type]
    channels: Channels = _f("办理渠道", "网上和线下办理渠道")
    phones: _pending_or(list[Phone], "电话", "咨询和监督投诉电话")  # type: ignore[valid-type]
    keywords: list[Text] = _f("搜索关键词", "群众常用的说法,如 买车、办护照", default_factory=list)
    faq: list[Faq] = _f("常见问题", default_factory=list)
    related: list[Slug] = _f("相关事项", "相关事项的编号", default_factory=list)
    prerequisites: list[Prerequisite] = _f(
        "先办事项",
        "办理本事项前须先办理的事项(其结果是本事项的材料或条件),每项写 service、provides 和 source;"
        "关系未经确认时 provides 写 {pending: 说明}。业务流程图据此画出事项之间的先后",
        default_factory=list,
    )
    applies: list[dict[Slug, list[Slug]]] = _f(
        "适用情形",
        "我的清单:满足任一情形即适用;情形内各问题须同时满足,每个问题列出可接受的答案编号。"
        "不填则在问题 stage 的答案包含本事项阶段时适用;填写时不自动加入阶段,各情形须自写 stage",
        default_factory=list,
    )
    status: Literal["active", "retired"] = _f("状态", "active 在办;retired 已停办(保留短链接)", default="active")
    replaced_by: Slug | None = _f("替代事项", "停办后由哪个事项替代", default=None)
    retired_on: _dt.date | None = _f("停办日期", default=None)
    retired_note: str | None = _f("停办说明", default=None)
    verification: Verification = _f("核实信息", "谁在何时确认了本事项(HSDS assured_date / assurer)")


class Catalog(Model):
    """The whole catalog file ``data/services.yaml``."""

    meta: Meta = _f("基本信息")
    sources: list[Source] = _f("来源", "所有要素引用的出处", default_factory=list)
    departments: list[Department] = _f("部门", min_length=1)
    stages: list[Stage] = _f("阶段", "按办理顺序排列:出国前、出国期间、回国后", min_length=1)
    categories: list[Category] = _f("类别", "政务服务、增值服务", min_length=1)
    questions: list[Question] = _f("我的清单问题", default_factory=list)
    materials: list[Material] = _f("共用材料", "多个事项共用的材料,事项中用 ref 引用", default_factory=list)
    services: list[Service] = _f("事项", "按实施方案顺序排列", min_length=1)


ELEMENT_FIELDS: tuple[str, ...] = (
    "audience",
    "conditions",
    "legal_basis",
    "materials",
    "process",
    "case_type",
    "fees",
    "results",
    "phones",
)


# Editor-only data: never published, so changing it makes nothing outdated on paper or online.
EDITOR_ONLY_FIELDS: tuple[str, ...] = ("editor_note",)
META_EDITOR_ONLY: tuple[str, ...] = ("official_domains", "denied_hosts", "home_localities")


def without_editor_only(data: Any) -> Any:
    """A plain dump (``model_dump(mode="json")``) with every editor-only field removed."""
    if isinstance(data, dict):
        return {k: without_editor_only(v) for k, v in data.items() if k not in EDITOR_ONLY_FIELDS}
    if isinstance(data, list):
        return [without_editor_only(v) for v in data]
    return data
