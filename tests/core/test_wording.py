"""How figures read in a document: units with scale words, 、, counts, dates, changes, rounding."""

from datetime import date

import pytest

from jieneng.core import wording
from jieneng.core.document import Paragraph
from jieneng.core.fill import check, fill
from jieneng.reference.bulletins import load_layout, load_rounding

R = load_rounding()


def test_amounts_take_the_largest_scale_word() -> None:
    assert wording.amount(123_456_789.0, "kgce", R) == "12.35 万吨标准煤"
    assert wording.amount(124_780.0, "kgce", R) == "124.78 吨标准煤"
    assert wording.amount(340_000_000.0, "kWh", R) == "3.40 亿千瓦时"


def test_rounding_is_half_up_on_the_decimal_value() -> None:
    assert wording.fixed(2.675, 2) == "2.68"  # round() gives 2.67 on the binary float
    assert wording.figure(3.0815, "intensity", R) == "3.082"
    assert wording.fixed(-0.0001, 2) == "0.00"


def test_changes_names_counts_dates_numbers() -> None:
    assert wording.change(-16.1249, R) == "下降 16.12%"
    assert wording.change(2.045, R) == "上升 2.05%"
    assert wording.change(0.001, R) == "持平"
    assert wording.joined(["石家庄", "", "唐山", "保定"]) == "石家庄、唐山、保定"
    assert wording.count(5, "市") == "5 个市"
    assert wording.chinese_date(date(2017, 4, 7)) == "2017年4月7日"
    assert wording.document_number("冀公节能办", 2017, 4) == "冀公节能办〔2017〕4号"
    assert wording.heading_numeral(12) == "十二"
    with pytest.raises(ValueError):
        wording.document_number("冀公节能办", 2017, 0)


def test_laggards_sentence_names_them_and_is_empty_without() -> None:
    text = wording.laggards_sentence(["邢台", "邯郸"], "市", "没有召开专题会议")
    assert text == "还有邢台、邯郸 2 个市没有召开专题会议。"
    assert wording.laggards_sentence([], "市", "没有召开专题会议") == ""


def test_the_layout_is_gbt9704() -> None:
    layout = load_layout()
    assert layout.type_area_mm == (156.0, 225.0)
    assert 28.9 < layout.line_pt < 29.0  # 22 lines in 225 mm


def test_template_check_names_the_paragraph_and_the_placeholder() -> None:
    problems = check(
        [{"text": "共 {units} 家"}, {"text": "比上年{energi}"}, {"text": "{units"}], ["units"], []
    )
    assert [(p.code, p.params.get("paragraph")) for p in problems] == [
        ("template_unknown_placeholder", 2),
        ("template_broken_markup", 3),
    ]
    assert "{energi}" in problems[0].message
    assert fill([{"text": "共 {units} 家"}, {"text": "{x}"}], {"units": "7", "x": ""}, {}, {}) == [
        Paragraph("共 7 家")
    ]
