"""The national report format, both versions, as data.

Template "2019" is 国办公开办函〔2019〕60号 (reports for 2019 and 2020); template "2021" is
国办公开办函〔2021〕30号 (reports for 2021 onwards).  Every key of SPEC.md is here with its Chinese
label, its English label and the patterns that recognise it in a normalized label cell.

Nothing in this module knows about files: readers produce grids, the mapper fits them to these keys
(``keys.py``: what a key is, its patterns and how a label is normalized). ``variants`` lists label
spellings seen in real reports; the tests check that each one still resolves to its key. The
report page draws the form from here too: ``group`` says under which header or group row the form
prints a key, ``printed_zh``/``printed_en`` the label it prints there.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

# What a key is, here with the form's data for the stages that read both (T.Key, T.lookup, …).
from .keys import TEMPLATES, Key, Keys, by_key, lookup, normalize_label  # noqa: F401

# The notice of the General Office of the State Council that set out each template.
TEMPLATE_NOTICES = {"2019": "国办公开办函〔2019〕60号", "2021": "国办公开办函〔2021〕30号"}


# ---------------------------------------------------------------------------------------------
# Section 三: applicant columns and application rows
# ---------------------------------------------------------------------------------------------

# The header above the applicant columns, and the label in its corner.
APPLICANTS = Key("applicants", "申请人情况", "Applicants", (r"申请人情况",))
LEGAL_PERSONS = Key("legal_persons", "法人或其他组织", "Legal persons and other organizations",
                    (r"法人或其他组织",), group="applicants")
APPLICATIONS_BALANCE = Key("balance", "本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和",
                           "Rows 1 + 2 = rows 3 + 4", (r"勾稽关系",))

_LEGAL = "legal_persons"
APPLICANT_COLUMNS: Keys[Key] = Keys((
    Key("natural_person", "自然人", "Natural persons", (r"自然人",), group="applicants"),
    Key("commercial", "商业企业", "Commercial enterprises", (r"商业企业",), variants=("商业\n企业",),
        group=_LEGAL),
    Key("research", "科研机构", "Research institutions", (r"科研机构",), variants=("科研\n机构",),
        group=_LEGAL),
    Key("social_welfare", "社会公益组织", "Social welfare organizations", (r"社会公益组织",),
        group=_LEGAL),
    Key("legal_services", "法律服务机构", "Legal service organizations", (r"法律服务机构",),
        group=_LEGAL),
    Key("other_org", "其他", "Other organizations", (r"^其他$",), group=_LEGAL),
    Key("total", "总计", "Total", (r"^总计$",), group="applicants"),
))
APPLICANT_KEYS = tuple(c.key for c in APPLICANT_COLUMNS)

# Group labels of section 三 that carry no numbers of their own on the 2019/2021 forms; the form
# prints each as a row above the rows of its group.
APPLICATION_GROUPS: Keys[Key] = Keys((
    Key("outcomes", "三、本年度办理结果", "Outcomes this year", (r"本年度办理结果",)),
    Key("denied", "（三）不予公开", "Withheld", (r"^\(三\)不予公开$", r"^不予公开$"),
        group="outcomes"),
    Key("unavailable", "（四）无法提供", "Cannot be provided", (r"^\(四\)无法提供$", r"^无法提供$"),
        variants=("(四) 无法提供",), group="outcomes"),
    Key("not_processed", "（五）不予处理", "Not processed", (r"^\(五\)不予处理$", r"^不予处理$"),
        variants=("(五) 不予处理",), group="outcomes"),
    Key("other_handling", "（六）其他处理", "Other handling", (r"^\(六\)其他处理$", r"^其他处理$"),
        group="outcomes"),
))

_OTHER_PATTERNS = (r"^\(六\)其他处理$", r"^六\)?其他处理$", r"^其他处理$")
_OUT, _DENIED, _UNAVAILABLE, _NOT_PROCESSED, _OTHER = (
    "outcomes", "denied", "unavailable", "not_processed", "other_handling")

APPLICATION_ROWS: Keys[Key] = Keys((
    Key("new_received", "一、本年新收政府信息公开申请数量", "New applications received this year",
        (r"本年度?新收",)),
    Key("carried_over", "二、上年结转政府信息公开申请数量", "Applications carried over from last year",
        (r"上一?年度?结转",)),
    # Not 部分予以公开 (partly) nor 不予以公开 (withheld: 不予以公开：属于国家秘密).
    Key("granted", "三（一）予以公开", "Disclosed in full", (r"(?<!部分)(?<!不)予以公开",), group=_OUT,
        printed_zh="（一）予以公开"),
    Key("partly_granted", "三（二）部分公开", "Partly disclosed", (r"部分(予以)?公开",), group=_OUT,
        printed_zh="（二）部分公开"),
    Key("denied_state_secret", "（三）1.属于国家秘密", "Withheld: state secret", (r"国家秘密",),
        group=_DENIED, printed_zh="1.属于国家秘密"),
    Key("denied_prohibited_by_law", "（三）2.其他法律行政法规禁止公开",
        "Withheld: prohibited by other laws and regulations", (r"法律行政法规禁止公开",),
        group=_DENIED, printed_zh="2.其他法律行政法规禁止公开"),
    Key("denied_security_stability", "（三）3.危及“三安全一稳定”",
        "Withheld: would endanger national, public, economic security or social stability",
        (r"三安全一稳定",), variants=("3.危及\"三安全一稳定\"", "3.危及“三安全一稳定”"),
        group=_DENIED, printed_zh="3.危及“三安全一稳定”"),
    Key("denied_third_party", "（三）4.保护第三方合法权益", "Withheld: protects a third party's rights",
        (r"第三方合法权益",), group=_DENIED, printed_zh="4.保护第三方合法权益"),
    Key("denied_internal_affairs", "（三）5.属于三类内部事务信息", "Withheld: internal affairs",
        (r"内部事务",), group=_DENIED, printed_zh="5.属于三类内部事务信息"),
    Key("denied_process_info", "（三）6.属于四类过程性信息", "Withheld: process information",
        (r"过程性信息",), group=_DENIED, printed_zh="6.属于四类过程性信息"),
    Key("denied_enforcement_files", "（三）7.属于行政执法案卷", "Withheld: administrative enforcement files",
        (r"行政执法案卷",), group=_DENIED, printed_zh="7.属于行政执法案卷"),
    Key("denied_inquiry", "（三）8.属于行政查询事项", "Withheld: administrative inquiry matter",
        (r"行政查询",), group=_DENIED, printed_zh="8.属于行政查询事项"),
    Key("unavailable_not_held", "（四）1.本机关不掌握相关政府信息",
        "Cannot be provided: not held by this agency", (r"不掌握",), group=_UNAVAILABLE,
        printed_zh="1.本机关不掌握相关政府信息"),
    Key("unavailable_needs_creation", "（四）2.没有现成信息需要另行制作",
        "Cannot be provided: would have to be created", (r"另行制作",), group=_UNAVAILABLE,
        printed_zh="2.没有现成信息需要另行制作"),
    Key("unavailable_unclear", "（四）3.补正后申请内容仍不明确",
        "Cannot be provided: request still unclear after correction", (r"仍不明确",),
        group=_UNAVAILABLE, printed_zh="3.补正后申请内容仍不明确"),
    Key("not_processed_petition", "（五）1.信访举报投诉类申请",
        "Not processed: petition, report or complaint", (r"信访", r"举报投诉"),
        group=_NOT_PROCESSED, printed_zh="1.信访举报投诉类申请"),
    Key("not_processed_repeat", "（五）2.重复申请", "Not processed: repeated application",
        (r"(?<!大量)重复申请",), group=_NOT_PROCESSED, printed_zh="2.重复申请"),
    Key("not_processed_publication", "（五）3.要求提供公开出版物",
        "Not processed: asks for a public publication", (r"公开出版物",), group=_NOT_PROCESSED,
        printed_zh="3.要求提供公开出版物"),
    Key("not_processed_excessive", "（五）4.无正当理由大量反复申请",
        "Not processed: many repeated applications without good reason", (r"大量(反复|重复)",),
        group=_NOT_PROCESSED, printed_zh="4.无正当理由大量反复申请"),
    Key("not_processed_confirm", "（五）5.要求行政机关确认或重新出具已获取信息",
        "Not processed: asks to confirm or reissue information already obtained",
        (r"重新出具", r"确认.*已获取"), group=_NOT_PROCESSED,
        printed_zh="5.要求行政机关确认或重新出具已获取信息"),
    # The 2019 form's （六） is one row; the 2021 form's is a group of three.
    Key("other", "（六）其他处理", "Other handling", _OTHER_PATTERNS, templates=("2019",),
        variants=("(六) 其他处理",), group=_OUT),
    Key("other_no_correction",
        "（六）1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
        "Other: applicant did not supply corrections in time", (r"逾期不补正", r"不补正"),
        templates=("2021",), group=_OTHER,
        printed_zh="1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"),
    Key("other_no_fee",
        "（六）2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
        "Other: applicant did not pay the fee in time", (r"缴纳费用", r"收费通知"),
        templates=("2021",), group=_OTHER,
        printed_zh="2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"),
    # A bare 其他 row label exists only under the 2021 form's （六）; the applicant column 其他 is
    # in header rows, which the mapper drops before matching rows.
    Key("other_other", "（六）3.其他", "Other: other",
        (r"^(\(六\))?(\(?3\)?[.、]?)?其他$", r"^(\(六\))?其他处理\(?3\)?[.、]其他$"),
        templates=("2021",), variants=("3.其他",), group=_OTHER, printed_zh="3.其他"),
    Key("total", "（七）总计", "Total", (r"^\(七\)总计$", r"^七[、.]?总计$", r"^总计$", r"^合计$"),
        variants=("(七) 总计",), group=_OUT),
    Key("carried_forward", "四、结转下年度继续办理", "Carried forward to next year",
        (r"结转下一?年度?",)),
))
APPLICATION_ROW_KEYS = tuple(r.key for r in APPLICATION_ROWS)


@lru_cache(maxsize=None)  # two templates; asked by the mapper and the checks of every report
def application_rows_for(template: str) -> tuple[Key, ...]:
    return tuple(r for r in APPLICATION_ROWS if template in r.templates)


# The outcome rows that add up to `total` (rule 3), per template.
@lru_cache(maxsize=None)
def outcome_row_keys(template: str) -> tuple[str, ...]:
    return tuple(
        k.key for k in application_rows_for(template)
        if k.key not in ("new_received", "carried_over", "total", "carried_forward")
    )


# ---------------------------------------------------------------------------------------------
# Section 四: administrative review and litigation, 3 groups x 5 outcomes = 15 numbers
# ---------------------------------------------------------------------------------------------

# The header over the two groups of lawsuits, and the one row of numbers the table has.
LITIGATION = Key("litigation", "行政诉讼", "Administrative litigation", (r"行政诉讼",))
REVIEW_ROW = Key("review_litigation", "行政复议、行政诉讼", "Review and litigation")

REVIEW_GROUPS: Keys[Key] = Keys((
    Key("review", "行政复议", "Administrative review", (r"行政复议$",)),
    Key("direct_suit", "行政诉讼·未经复议直接起诉", "Lawsuit without prior review",
        (r"未经复议直接起诉", r"直接起诉"), group="litigation", printed_zh="未经复议直接起诉",
        printed_en="Without prior review"),
    Key("post_review_suit", "行政诉讼·复议后起诉", "Lawsuit after review", (r"复议后起诉",),
        group="litigation", printed_zh="复议后起诉", printed_en="After review"),
))
REVIEW_OUTCOMES: Keys[Key] = Keys((
    Key("upheld", "结果维持", "upheld", (r"维持",), variants=("结果\n\n维持", "结果维 持")),
    Key("corrected", "结果纠正", "corrected", (r"纠正",), variants=("结果纠 正",)),
    Key("other", "其他结果", "other result", (r"^其他结果$", r"^其他$"), variants=("其他结 果",)),
    Key("pending", "尚未审结", "pending", (r"未审结", r"审理中")),
    Key("total", "总计", "total", (r"^总计$", r"^合计$", r"^小计$")),
))


@dataclass(frozen=True)
class ReviewColumn(Key):
    """One of the fifteen numbers: an outcome (``outcome``) under a group (``group``)."""

    outcome: str = ""


REVIEW_COLUMNS: Keys[ReviewColumn] = Keys(tuple(
    ReviewColumn(f"{g.key}_{o.key}", f"{g.label_zh}·{o.label_zh}", f"{g.label_en}: {o.label_en}",
                 group=g.key, outcome=o.key)
    for g in REVIEW_GROUPS for o in REVIEW_OUTCOMES
))
REVIEW_KEYS = tuple(c.key for c in REVIEW_COLUMNS)


# ---------------------------------------------------------------------------------------------
# Section 二: proactive disclosure, items x metrics
# ---------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Item(Key):
    article: str = ""  # 第二十条第（X）项
    label_zh_2021: str = ""

    def label_zh_in(self, template: str | None) -> str:
        """The label the given form prints."""
        return self.label_zh_2021 if template == "2021" and self.label_zh_2021 else self.label_zh


# The header of each table of section 二, over its item labels.
DISCLOSURE_HEADER = Key("item", "信息内容", "Item", (r"信息内容",))

DISCLOSURE_ITEMS: Keys[Item] = Keys((
    Item("regulations", "规章", "Regulations", (r"^规章$",), article="第二十条第（一）项"),
    # 2019 says 规范性文件, 2021 says 行政规范性文件.
    Item("normative_documents", "规范性文件", "Normative documents", (r"规范性文件$",),
         article="第二十条第（一）项", label_zh_2021="行政规范性文件"),
    Item("licensing", "行政许可", "Administrative licensing", (r"^行政许可$",),
         article="第二十条第（五）项"),
    Item("other_services", "其他对外管理服务事项", "Other external management services",
         (r"其他对外管理服务",), templates=("2019",), article="第二十条第（五）项"),
    Item("punishment", "行政处罚", "Administrative penalties", (r"^行政处罚$",),
         article="第二十条第（六）项"),
    Item("coercion", "行政强制", "Administrative coercion", (r"^行政强制$",),
         article="第二十条第（六）项"),
    Item("fees", "行政事业性收费", "Administrative fees", (r"行政事业性收费",),
         article="第二十条第（八）项"),
    Item("procurement", "政府集中采购", "Centralized government procurement", (r"政府集中采购",),
         templates=("2019",), article="第二十条第（九）项"),
))

# Order matters: the first metric whose pattern matches a header cell wins.
DISCLOSURE_METRICS: Keys[Key] = Keys((
    Key("newly_made", "本年新制作数量", "Newly made this year", (r"新制作",), templates=("2019",),
        variants=("本年新\n制作数量",)),
    Key("newly_published", "本年新公开数量", "Newly published this year", (r"新公开",),
        templates=("2019",)),
    Key("total_published", "对外公开总数量", "Total published", (r"公开总数",), templates=("2019",)),
    Key("prior_year_count", "上一年项目数量", "Items in the previous year", (r"上一年项目",),
        templates=("2019",)),
    Key("change", "本年增/减", "Change this year", (r"增/?减", r"增减"), templates=("2019",)),
    Key("decisions", "处理决定数量", "Decisions made", (r"处理决定",)),
    Key("projects", "采购项目数量", "Procurement projects", (r"采购项目",), templates=("2019",)),
    Key("amount_10k_yuan", "金额（万元）", "Amount (10,000 yuan)", (r"采购总金额", r"收费金额", r"金额")),
    Key("issued", "本年制发件数", "Issued this year", (r"制发",), templates=("2021",)),
    Key("repealed", "本年废止件数", "Repealed this year", (r"废止",), templates=("2021",)),
    Key("in_force", "现行有效件数", "In force", (r"现行有效",), templates=("2021",)),
))

# Which (item, metric) cells each form asks for, in form order.
DISCLOSURE_CELLS: dict[str, tuple[tuple[str, str], ...]] = {
    "2019": (
        ("regulations", "newly_made"), ("regulations", "newly_published"),
        ("regulations", "total_published"),
        ("normative_documents", "newly_made"), ("normative_documents", "newly_published"),
        ("normative_documents", "total_published"),
        ("licensing", "prior_year_count"), ("licensing", "change"), ("licensing", "decisions"),
        ("other_services", "prior_year_count"), ("other_services", "change"),
        ("other_services", "decisions"),
        ("punishment", "prior_year_count"), ("punishment", "change"), ("punishment", "decisions"),
        ("coercion", "prior_year_count"), ("coercion", "change"), ("coercion", "decisions"),
        ("fees", "prior_year_count"), ("fees", "change"),
        ("procurement", "projects"), ("procurement", "amount_10k_yuan"),
    ),
    "2021": (
        ("regulations", "issued"), ("regulations", "repealed"), ("regulations", "in_force"),
        ("normative_documents", "issued"), ("normative_documents", "repealed"),
        ("normative_documents", "in_force"),
        ("licensing", "decisions"), ("punishment", "decisions"), ("coercion", "decisions"),
        ("fees", "amount_10k_yuan"),
    ),
}

# Metrics whose values are money, always stored in 万元.
AMOUNT_METRICS = frozenset({"amount_10k_yuan"})
# The (item, metric) pairs either form has: the columns each item of section 二 fills.
ITEM_METRICS = frozenset(pair for cells in DISCLOSURE_CELLS.values() for pair in cells)
# Metrics that may be negative.
SIGNED_METRICS = frozenset({"change"})


# ---------------------------------------------------------------------------------------------
# The six sections
# ---------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Section:
    number: int
    key: str
    label_zh: str
    label_en: str
    pattern: str

    @property
    def numbered_zh(self) -> str:
        """The heading as the form numbers it: 二、主动公开政府信息情况."""
        return f"{'一二三四五六'[self.number - 1]}、{self.label_zh}"


SECTIONS: tuple[Section, ...] = (
    Section(1, "overview", "总体情况", "Overview", r"总体情况"),
    Section(2, "proactive_disclosure", "主动公开政府信息情况", "Proactive disclosure",
            r"主动公开政府信息的?情况"),
    Section(3, "applications", "收到和处理政府信息公开申请情况",
            "Applications received and handled", r"收到和处理政府信息公开申请的?情况"),
    Section(4, "review_litigation", "政府信息公开行政复议、行政诉讼情况",
            "Administrative review and litigation", r"行政复议[、,，和及与]?行政诉讼的?情况"),
    Section(5, "problems", "存在的主要问题及改进情况", "Main problems and improvements",
            r"存在的主要问题(及|和)其?(改进|整改)(情况|措施)"),
    Section(6, "other_matters", "其他需要报告的事项", "Other matters to report",
            r"其他需要报告的事项"),
)


# Words that only the form's tables hold (a web page's menus and layout tables never do): how a
# reader tells the report's tables from the page's (loaders/readers/_landmarks.py).
TABLE_LANDMARKS = ("本年新收", "申请人情况", "自然人", "行政复议", "信息内容", "第二十条", "本年制发",
                   "处理决定")


# ---------------------------------------------------------------------------------------------
# Signals for template detection (the headers of section 二 and the shape of （六）)
# ---------------------------------------------------------------------------------------------

TEMPLATE_SIGNALS: dict[str, tuple[str, ...]] = {
    "2019": (r"新制作数量", r"上一年项目数量", r"采购总金额", r"采购项目数量", r"对外公开总数量"),
    "2021": (r"本年制发件数", r"现行有效件数", r"本年废止件数", r"本年收费金额", r"逾期不补正",
             r"缴纳费用"),
}
