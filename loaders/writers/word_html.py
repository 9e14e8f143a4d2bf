"""A report as agencies publish it on the web: the markup Word writes (``<p class=MsoNormal>``,
``mso-`` inline styles on every paragraph and cell, runs split into ``<span>``s where the script
changes, ``<o:p>`` placeholders), inside a real site's page chrome (header, navigation,
metadata table, scripts, footer).

Two ways a Word document reaches a page, both common:

- ``cms``: the body pasted into a CMS article (what reports/shuyang_fgj_2023.html is): the
  site's chrome around it (``chrome_of`` cuts a real page into the chrome before and after its
  article), Word's markup inside;
- ``word_export``: the file Word's "Save as web page" writes, published as is: Office XML
  namespaces, ``<!--[if gte mso 9]><xml>`` document properties, a ``<style>`` block of font and
  paragraph definitions, ``<div class=WordSection1>``.

``verbosity`` (0, 1 or 2) chooses how many runs Word split the text into (a run per script change
and per edit, as documents edited by several hands have): real pages range from 35 KB to over
300 KB for the same report. Tables are drawn with the national form's spans
(``layout.grid_layout``), as Word draws them. Output is deterministic.
"""

from __future__ import annotations

import html
import re

from ..model import Document, Grid, Paragraph
from .layout import grid_layout, plain_layout

__all__ = ["STYLES", "chrome_of", "to_word_html"]

STYLES = ("cms", "word_export")

_ASCII_RUN = re.compile(r"([0-9A-Za-z.%:/\-]+)")
_BODY_SPAN = ("font-size:16.0pt;font-family:仿宋_GB2312;mso-hansi-font-family:\"Times New Roman\";"
              "mso-bidi-font-family:\"Times New Roman\";color:black;mso-font-kerning:0pt")
_LATIN_SPAN = ("font-size:16.0pt;font-family:\"Times New Roman\",serif;mso-fareast-font-family:"
               "仿宋_GB2312;color:black;mso-font-kerning:0pt")
_BODY_P = ("text-indent:32.0pt;mso-char-indent-count:2.0;line-height:28.0pt;"
           "mso-line-height-rule:exactly;mso-pagination:widow-orphan")
_HEAD_SPAN = ("font-size:16.0pt;font-family:黑体;mso-hansi-font-family:\"Times New Roman\";"
              "mso-bidi-font-family:\"Times New Roman\";color:black;mso-font-kerning:0pt")
_CELL_SPAN = ("font-size:10.5pt;font-family:宋体;mso-ascii-font-family:Calibri;"
              "mso-hansi-font-family:Calibri;mso-bidi-font-family:宋体;color:black;"
              "mso-font-kerning:0pt")
_CELL_LATIN = ("font-size:10.5pt;font-family:\"Times New Roman\",serif;mso-fareast-font-family:"
               "宋体;color:black;mso-font-kerning:0pt")
_CELL_P = ("text-align:center;line-height:14.0pt;mso-line-height-rule:exactly;"
           "mso-pagination:widow-orphan")
_TD = ("border:solid windowtext 1.0pt;{top}mso-border-alt:solid windowtext .5pt;"
       "background:white;padding:0cm 5.4pt 0cm 5.4pt;height:{h}pt")


def _runs(text: str, span: str, latin: str, verbosity: int) -> str:
    """Text as Word's runs: Han text in one run (cut in two at each comma with ``verbosity``
    2, as edits leave it), digits and Latin letters in runs of their own with ``verbosity`` ≥ 1."""
    if not text:
        return ""
    if verbosity == 0:
        return f"<span style='{span}'>{html.escape(text, quote=False)}</span>"
    parts = []
    for k, piece in enumerate(_ASCII_RUN.split(text)):
        if not piece:
            continue
        if k % 2:
            parts.append(f"<span lang=EN-US style='{latin}'>{html.escape(piece, quote=False)}"
                         "</span>")
            continue
        chunks = re.split(r"(?<=[，、；])", piece) if verbosity == 2 else [piece]
        for chunk in chunks:
            if chunk:
                parts.append(f"<span style='{span}'>{html.escape(chunk, quote=False)}</span>")
    return "".join(parts)


def _paragraph(text: str, verbosity: int, heading: bool) -> str:
    span = _HEAD_SPAN if heading else _BODY_SPAN
    return (f"<p class=MsoNormal style='{_BODY_P}'>{_runs(text, span, _LATIN_SPAN, verbosity)}"
            f"<span lang=EN-US style='{_LATIN_SPAN}'><o:p></o:p></span></p>")


def _cell(text: str, verbosity: int) -> str:
    lines = text.split("\n") if text.strip() else []
    if not lines:
        return (f"<p class=MsoNormal align=center style='{_CELL_P}'><span lang=EN-US "
                f"style='{_CELL_LATIN}'><o:p>&nbsp;</o:p></span></p>")
    return "\n".join(f"<p class=MsoNormal align=center style='{_CELL_P}'>"
                     f"{_runs(line, _CELL_SPAN, _CELL_LATIN, verbosity)}"
                     f"<span lang=EN-US style='{_CELL_LATIN}'><o:p></o:p></span></p>"
                     for line in lines)


def _table(grid: Grid, layout: str | None, verbosity: int) -> list[str]:
    try:
        drawn = grid_layout(grid, layout) if layout else plain_layout(grid)
    except ValueError:  # a table whose cells are not the form's (runs of a crawl): as it is
        drawn = plain_layout(grid)
    total = sum(drawn.widths) or 1.0
    widths = [round(553.0 * w / total, 1) for w in drawn.widths]  # A4 text width in points
    rows: list[list[str]] = [[] for _ in range(drawn.rows)]
    for p in drawn.cells:
        width = round(sum(widths[p.col:p.col + p.colspan]), 1)
        attrs = f"width={round(width * 4 / 3)}"
        if p.rowspan > 1:
            attrs += f" rowspan={p.rowspan}"
        if p.colspan > 1:
            attrs += f" colspan={p.colspan}"
        style = _TD.format(top="border-top:none;mso-border-top-alt:solid windowtext .5pt;"
                           if p.row else "", h="19.85")
        rows[p.row].append(f"<td {attrs} valign=middle style='width:{width}pt;{style}'>\n"
                           f"{_cell(p.text, verbosity)}\n</td>")
    out = ["<div align=center>",
           "<table class=MsoNormalTable border=0 cellspacing=0 cellpadding=0 width=737 "
           "style='width:553.0pt;border-collapse:collapse;mso-table-layout-alt:fixed;border:none;"
           "mso-border-alt:solid windowtext .5pt;mso-yfti-tbllook:1184;mso-padding-alt:0cm "
           "5.4pt 0cm 5.4pt;mso-border-insideh:.5pt solid windowtext;mso-border-insidev:.5pt "
           "solid windowtext'>"]
    for r, cells in enumerate(rows):
        first = ";mso-yfti-firstrow:yes" if r == 0 else ""
        last = ";mso-yfti-lastrow:yes" if r == len(rows) - 1 else ""
        out.append(f"<tr style='mso-yfti-irow:{r}{first}{last};page-break-inside:avoid;"
                   f"height:19.85pt'>")
        out.extend(cells)
        out.append("</tr>")
    out += ["</table>", "</div>",
            f"<p class=MsoNormal><span lang=EN-US style='{_LATIN_SPAN}'><o:p>&nbsp;</o:p>"
            "</span></p>"]
    return out


def _is_heading(text: str) -> bool:
    return bool(re.match(r"^[一二三四五六七八九十]+、", text)) and len(text) < 40


def body_of(document: Document, *, layout: str | None = None, verbosity: int = 1) -> str:
    """The report's paragraphs and tables in Word's markup, without any page around them."""
    parts: list[str] = []
    for block in document.blocks:
        if isinstance(block, Paragraph):
            parts.append(_paragraph(block.text, verbosity, _is_heading(block.text)))
        elif isinstance(block, Grid):
            parts.extend(_table(block, layout, verbosity))
    return "\n".join(parts)


def chrome_of(page: str, start: str = "<ucapcontent>", end: str = "</ucapcontent>"
              ) -> tuple[str, str]:
    """A real page cut around its article: (everything up to and including ``start``,
    everything from ``end``). The default markers are those of the CMS of
    reports/shuyang_fgj_2023.html."""
    a, b = page.find(start), page.find(end)
    if a < 0 or b < a:
        raise ValueError(f"the page has no {start}…{end} article to cut around")
    return page[:a + len(start)], page[b:]


_EXPORT_HEAD = """<html xmlns:v="urn:schemas-microsoft-com:vml"
xmlns:o="urn:schemas-microsoft-com:office:office"
xmlns:w="urn:schemas-microsoft-com:office:word"
xmlns:m="http://schemas.microsoft.com/office/2004/12/omml"
xmlns="http://www.w3.org/TR/REC-html40">

<head>
<meta http-equiv=Content-Type content="text/html; charset=utf-8">
<meta name=ProgId content=Word.Document>
<meta name=Generator content="Microsoft Word 15">
<meta name=Originator content="Microsoft Word 15">
<title>{title}</title>
<!--[if gte mso 9]><xml>
 <o:DocumentProperties>
  <o:Author>办公室</o:Author>
  <o:LastAuthor>Administrator</o:LastAuthor>
  <o:Revision>{revision}</o:Revision>
  <o:TotalTime>{minutes}</o:TotalTime>
  <o:Pages>{pages}</o:Pages>
  <o:Words>{words}</o:Words>
  <o:Characters>{chars}</o:Characters>
  <o:Company>Microsoft</o:Company>
  <o:Lines>{lines}</o:Lines>
  <o:Paragraphs>{paragraphs}</o:Paragraphs>
  <o:Version>16.00</o:Version>
 </o:DocumentProperties>
</xml><![endif]--><!--[if gte mso 9]><xml>
 <w:WordDocument>
  <w:SpellingState>Clean</w:SpellingState>
  <w:GrammarState>Clean</w:GrammarState>
  <w:TrackMoves>false</w:TrackMoves>
  <w:TrackFormatting/>
  <w:PunctuationKerning/>
  <w:DrawingGridVerticalSpacing>7.8 磅</w:DrawingGridVerticalSpacing>
  <w:DisplayHorizontalDrawingGridEvery>0</w:DisplayHorizontalDrawingGridEvery>
  <w:DisplayVerticalDrawingGridEvery>2</w:DisplayVerticalDrawingGridEvery>
  <w:ValidateAgainstSchemas/>
  <w:SaveIfXMLInvalid>false</w:SaveIfXMLInvalid>
  <w:IgnoreMixedContent>false</w:IgnoreMixedContent>
  <w:AlwaysShowPlaceholderText>false</w:AlwaysShowPlaceholderText>
  <w:DoNotPromoteQF/>
  <w:LidThemeOther>EN-US</w:LidThemeOther>
  <w:LidThemeAsian>ZH-CN</w:LidThemeAsian>
  <w:LidThemeComplexScript>X-NONE</w:LidThemeComplexScript>
  <w:Compatibility>
   <w:SpaceForUL/>
   <w:BalanceSingleByteDoubleByteWidth/>
   <w:DoNotLeaveBackslashAlone/>
   <w:ULTrailSpace/>
   <w:DoNotExpandShiftReturn/>
   <w:AdjustLineHeightInTable/>
   <w:BreakWrappedTables/>
   <w:SnapToGridInCell/>
   <w:WrapTextWithPunct/>
   <w:UseAsianBreakRules/>
   <w:DontGrowAutofit/>
   <w:SplitPgBreakAndParaMark/>
   <w:DontVertAlignCellWithSp/>
   <w:DontBreakConstrainedForcedTables/>
   <w:DontVertAlignInTxbx/>
   <w:Word11KerningPairs/>
   <w:CachedColBand/>
   <w:UseFELayout/>
  </w:Compatibility>
  <m:mathPr>
   <m:mathFont m:val="Cambria Math"/>
   <m:brkBin m:val="before"/>
   <m:brkBinSub m:val="&#45;-"/>
   <m:smallFrac m:val="off"/>
   <m:dispDef/>
   <m:lMargin m:val="0"/>
   <m:rMargin m:val="0"/>
   <m:defJc m:val="centerGroup"/>
   <m:wrapIndent m:val="1440"/>
   <m:intLim m:val="subSup"/>
   <m:naryLim m:val="undOvr"/>
  </m:mathPr></w:WordDocument>
</xml><![endif]-->
<style>
<!--
 /* Font Definitions */
 @font-face
	{{font-family:宋体;
	panose-1:2 1 6 0 3 1 1 1 1 1;
	mso-font-alt:SimSun;
	mso-font-charset:134;
	mso-generic-font-family:auto;
	mso-font-pitch:variable;
	mso-font-signature:3 680460288 22 0 262145 0;}}
@font-face
	{{font-family:黑体;
	panose-1:2 1 6 9 6 1 1 1 1 1;
	mso-font-alt:SimHei;
	mso-font-charset:134;
	mso-generic-font-family:modern;
	mso-font-pitch:fixed;
	mso-font-signature:-2147482945 953122042 22 0 262145 0;}}
@font-face
	{{font-family:仿宋_GB2312;
	mso-font-alt:仿宋;
	mso-font-charset:134;
	mso-generic-font-family:modern;
	mso-font-pitch:fixed;
	mso-font-signature:1 135135232 16 0 262144 0;}}
@font-face
	{{font-family:"Cambria Math";
	panose-1:2 4 5 3 5 4 6 3 2 4;
	mso-font-charset:0;
	mso-generic-font-family:roman;
	mso-font-pitch:variable;
	mso-font-signature:-536870145 1107305727 0 0 415 0;}}
 /* Style Definitions */
 p.MsoNormal, li.MsoNormal, div.MsoNormal
	{{mso-style-unhide:no;
	mso-style-qformat:yes;
	mso-style-parent:"";
	margin:0cm;
	text-align:justify;
	text-justify:inter-ideograph;
	mso-pagination:none;
	font-size:10.5pt;
	mso-bidi-font-size:12.0pt;
	font-family:"Times New Roman",serif;
	mso-fareast-font-family:宋体;
	mso-font-kerning:1.0pt;}}
p.MsoHeader, li.MsoHeader, div.MsoHeader
	{{mso-style-link:"页眉 字符";
	margin:0cm;
	text-align:center;
	mso-pagination:none;
	tab-stops:center 207.65pt right 415.3pt;
	layout-grid-mode:char;
	border:none;
	mso-border-bottom-alt:solid windowtext .75pt;
	padding:0cm;
	mso-padding-alt:0cm 0cm 1.0pt 0cm;
	font-size:9.0pt;
	font-family:"Times New Roman",serif;
	mso-fareast-font-family:宋体;
	mso-font-kerning:1.0pt;}}
p.MsoFooter, li.MsoFooter, div.MsoFooter
	{{mso-style-link:"页脚 字符";
	margin:0cm;
	mso-pagination:none;
	tab-stops:center 207.65pt right 415.3pt;
	layout-grid-mode:char;
	font-size:9.0pt;
	font-family:"Times New Roman",serif;
	mso-fareast-font-family:宋体;
	mso-font-kerning:1.0pt;}}
.MsoChpDefault
	{{mso-style-type:export-only;
	mso-default-props:yes;
	font-size:10.0pt;
	mso-ansi-font-size:10.0pt;
	mso-bidi-font-size:10.0pt;
	mso-ascii-font-family:"Times New Roman";
	mso-hansi-font-family:"Times New Roman";
	mso-font-kerning:0pt;}}
 /* Page Definitions */
 @page
	{{mso-page-border-surround-header:no;
	mso-page-border-surround-footer:no;}}
@page WordSection1
	{{size:595.3pt 841.9pt;
	margin:72.0pt 90.0pt 72.0pt 90.0pt;
	mso-header-margin:42.55pt;
	mso-footer-margin:49.6pt;
	mso-page-numbers:1;
	mso-even-footer:url("{stem}.files/header.htm") ef1;
	mso-footer:url("{stem}.files/header.htm") f1;
	mso-paper-source:0;
	layout-grid:15.6pt;}}
div.WordSection1
	{{page:WordSection1;}}
-->
</style>
<!--[if gte mso 10]>
<style>
 /* Style Definitions */
 table.MsoNormalTable
	{{mso-style-name:普通表格;
	mso-tstyle-rowband-size:0;
	mso-tstyle-colband-size:0;
	mso-style-noshow:yes;
	mso-style-priority:99;
	mso-style-parent:"";
	mso-padding-alt:0cm 5.4pt 0cm 5.4pt;
	mso-para-margin:0cm;
	font-size:10.0pt;
	font-family:"Times New Roman",serif;}}
</style>
<![endif]--><!--[if gte mso 9]><xml>
 <o:shapedefaults v:ext="edit" spidmax="2049"/>
</xml><![endif]--><!--[if gte mso 9]><xml>
 <o:shapelayout v:ext="edit">
  <o:idmap v:ext="edit" data="1"/>
 </o:shapelayout></xml><![endif]-->
</head>

<body lang=ZH-CN style='tab-interval:21.0pt;text-justify-trim:punctuation'>

<div class=WordSection1 style='layout-grid:15.6pt'>
"""


def to_word_html(document: Document, *, style: str = "cms", chrome: tuple[str, str] | None = None,
                 layout: str | None = "label_spans_three_columns", verbosity: int = 1,
                 title: str | None = None) -> str:
    """The report as a web page made from a Word document (see the module's docstring).

    ``chrome`` (``style="cms"``): the page before and after the article (``chrome_of``); a
    plain one when not given. ``title``: the page's title (default: the first paragraph)."""
    if style not in STYLES:
        raise ValueError(f"unknown style {style!r}; one of {STYLES}")
    if title is None:
        title = next((b.text for b in document.blocks if isinstance(b, Paragraph)), "报告")
    body = body_of(document, layout=layout, verbosity=verbosity)
    if style == "word_export":
        chars = sum(len(b.text) for b in document.blocks if isinstance(b, Paragraph))
        head = _EXPORT_HEAD.format(
            title=html.escape(title), revision=3 + chars % 17, minutes=chars % 97,
            pages=4 + chars % 4, words=chars // 2, chars=chars, lines=chars // 30,
            paragraphs=len(document.blocks), stem="report")
        return head + body + "\n\n</div>\n\n</body>\n\n</html>\n"
    before, after = chrome or (
        f'<!doctype html>\n<html>\n<head>\n<meta charset="utf-8" />\n<title>{html.escape(title)}'
        '</title>\n</head>\n<body>\n<div class="article-content">', "</div>\n</body>\n</html>\n")
    return before + body + after
