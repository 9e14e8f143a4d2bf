"""Places and agencies: the seeds, short forms, shared names, renamed places, provincial and
central agencies, and the overrides file."""

from __future__ import annotations

import pytest

from conftest import REPORTS, expected_files, load_expected
from factory import write_report
from loaders.extract.agencies import Overrides, function_of, identify, kind_of, sector_of
from loaders.build import build
from loaders.extract.places import divisions, resolve

SEEDS = [load_expected(p) for p in expected_files() if load_expected(p).get("region")]


def names(place):
    return tuple(d.name if d else None for d in (place.province, place.prefecture, place.county))


@pytest.mark.parametrize("expected", SEEDS, ids=lambda e: e["source"])
def test_seeds_resolve_to_their_division(seeds_db, expected):
    [row] = seeds_db.query("select * from reports where source_file = ?", [expected["source"]])
    region = expected["region"]
    assert (row["province"], row["city"], row["county"], row["adcode"]) == (
        region["province"], region["city"], region["county"], region["adcode"])
    assert row["place_status"] == "resolved"


def test_short_form_of_an_autonomous_county():
    place = resolve("积石山县卫生健康局", None)
    assert names(place) == ("甘肃省", "临夏回族自治州", "积石山保安族东乡族撒拉族自治县")
    assert place.adcode == "622927" and place.level == "county"


def test_short_form_of_an_autonomous_prefecture():
    assert resolve("甘南州人民政府", None).adcode == "623000"
    assert resolve("临夏州卫生健康委员会", None).adcode == "622900"


@pytest.mark.parametrize("agency, code, function", [
    # a city's short name followed by 街道, 路, 陵…: a street's or a place's own name
    ("广州市越秀区北京街道办事处", "440104", "北京街道办事处"),
    ("上海市黄浦区南京东路街道办事处", "310101", "南京东路街道办事处"),
    ("北京街道办事处", None, "北京街道办事处"),
    ("中山陵园管理局", None, "中山陵园管理局"),
    ("中山市卫生健康局", "442000", "卫生健康局"),  # with its 市, the city
    ("西安路街道办事处", None, "西安路街道办事处"),
    # a division's name after the short name: the city and its district, town or county
    ("宁波镇海区财政局", "330211", "财政局"), ("唐山路南区教育局", "130202", "教育局"),
    ("德州陵城区卫生健康局", "371403", "卫生健康局"), ("石家庄桥东区财政局", "130103", "财政局"),
    # other words after it are the agency's
    ("厦门社区矫正管理局", "350200", "社区矫正管理局"), ("上海乡村振兴局", "310000", "乡村振兴局"),
    # a park, a square, a road, a village, a town named after a city: which is not known
    ("北海公园管理处", None, "北海公园管理处"), ("南京路步行街管理办公室", None, "南京路步行街管理办公室"),
    ("中山镇卫生院", None, "中山镇卫生院"), ("北京村村民委员会", None, "北京村村民委员会"),
    ("北京公园管理中心", "110000", "公园管理中心"), ("上海路政局", "310000", "路政局"),
])
def test_a_citys_short_name_in_a_streets_name_is_not_the_city(agency, code, function):
    found = identify(agency, None)
    assert (found.id.split(":")[0] if found.id else None, found.function) == (code, function)


def test_no_agency_written_is_nobody_whatever_the_place():
    """Two bureaus of 同江市 whose reports name no agency are not one agency."""
    found = identify(None, "同江市2020年政府信息公开工作年度报告")
    assert found.id is None and found.place.county.code == "230881"


def test_district_under_its_city():
    place = resolve("烟台市芝罘区卫生健康局", None)
    assert names(place) == ("山东省", "烟台市", "芝罘区") and place.adcode == "370602"


def test_a_shared_district_name_without_its_city_stays_unresolved():
    place = resolve("鼓楼区卫生健康局", "鼓楼区卫生健康局2021年政府信息公开工作年度报告")
    assert place.status == "ambiguous" and place.adcode is None
    [issue] = place.issues
    assert issue.code == "place_ambiguous" and "320106" in issue.message and "350102" in issue.message


def test_a_shared_district_name_with_its_city_in_the_text_resolves():
    place = resolve("鼓楼区卫生健康局", "鼓楼区卫生健康局2021年政府信息公开工作年度报告",
                    "根据《条例》和福州市政务公开工作要点，现公布本局年度报告。")
    assert place.status == "resolved" and place.adcode == "350102"
    assert names(place) == ("福建省", "福州市", "鼓楼区")


def test_candidates_that_share_a_province_keep_it():
    # 鼓楼区 of 南京 and of 徐州 are both in 江苏: the province is known, the county is not
    data = divisions()
    place = resolve("鼓楼区卫生健康局", None, "江苏省")
    assert place.status == "ambiguous"
    assert place.province is not None and place.province.name == "江苏省"
    assert data.by_code["320106"].name == "鼓楼区"


def test_a_renamed_place_resolves_to_the_division_it_names_and_says_what_it_became():
    place = resolve("禄丰县人民政府", "禄丰县2020年政府信息公开工作年度报告")
    assert place.adcode == "532331" and names(place) == ("云南省", "楚雄彝族自治州", "禄丰县")
    [issue] = place.issues
    assert issue.code == "place_renamed" and "禄丰市 (532302)" in issue.message
    assert resolve("禄丰市人民政府", None).adcode == "532302"


def test_a_provincial_department_has_no_city_or_county():
    place = resolve("浙江省卫生健康委员会", None)
    assert names(place) == ("浙江省", None, None) and place.level == "provincial"


def test_a_central_ministry_has_no_place():
    for agency in ("国家卫生健康委员会", "教育部", "国务院办公厅"):
        place = resolve(agency, None)
        assert place.status == "central" and place.adcode is None and place.level == "central"


def test_a_name_without_any_place_is_flagged():
    place = resolve("某某局", None)
    assert place.status == "not_found" and place.issues[0].code == "place_not_found"


def test_one_agency_whatever_form_of_its_name():
    short, full = identify("鄞州区卫生健康局", None), identify("宁波市鄞州区卫生健康局", None)
    assert short.id == full.id == "330212:卫生健康局"
    assert short.name == full.name == "鄞州区卫生健康局"


@pytest.mark.parametrize("agency, function, kind, sector", [
    ("宁波市鄞州区卫生健康局", "卫生健康局", "department", "卫生健康"),
    ("沭阳县发展和改革局", "发展和改革局", "department", "发展和改革"),
    ("上海市人民政府办公厅", "人民政府办公厅", "department", "政府办公室"),
    ("禄丰县人民政府", "人民政府", "government", "人民政府"),
    ("尧都区卫生健康和体育局", "卫生健康和体育局", "department", "卫生健康"),
    ("城关街道办事处", "城关街道办事处", "other", None),
])
def test_function_kind_and_sector(agency, function, kind, sector):
    assert function_of(agency) == function
    assert kind_of(function) == kind and sector_of(function) == sector


def test_an_override_corrects_the_place_and_is_shown(tmp_path):
    reports = tmp_path / "reports"
    reports.mkdir()
    write_report(reports, "gulou.txt", agency="鼓楼区卫生健康局", year=2021)
    overrides = tmp_path / "agencies.csv"
    overrides.write_text("agency,year,name,adcode,kind,sector,level,note\n"
                         "鼓楼区卫生健康局,,,350102,,,,福州市鼓楼区（见网站）\n", encoding="utf-8")
    import sqlite_utils

    without = tmp_path / "without.db"
    build([reports], without, overrides=None)
    [row] = sqlite_utils.Database(without).query("select * from reports")
    assert row["place_status"] == "ambiguous" and row["adcode"] is None

    db_path = tmp_path / "ogi.db"
    build([reports], db_path, overrides=overrides)
    db = sqlite_utils.Database(db_path)
    [row] = db.query("select * from reports")
    assert (row["province"], row["city"], row["county"], row["adcode"], row["place_status"]) == (
        "福建省", "福州市", "鼓楼区", "350102", "override")
    assert not list(db.query("select * from parse_issues where code = 'place_ambiguous'"))
    [agency] = db.query("select * from agencies")
    assert agency["id"] == "350102:卫生健康局" and agency["override_note"] == "福州市鼓楼区（见网站）"
    assert [r["agency"] for r in db["agency_overrides"].rows] == ["鼓楼区卫生健康局"]


def test_an_override_with_a_wrong_code_is_reported_not_applied(tmp_path):
    overrides = Overrides([{"agency": "某某局", "year": "", "name": "", "adcode": "999999",
                            "kind": "", "sector": "", "level": "", "note": ""}])
    identity = identify("某某局", None)
    issues = overrides.apply(identity, 2021)
    assert [i.code for i in issues] == ["override_invalid"] and identity.place.adcode is None


def test_agencies_table_counts_reports(seeds_db):
    rows = {r["id"]: r for r in seeds_db["agencies"].rows}
    assert rows["330212:卫生健康局"]["reports"] == 1
    assert rows["330212:卫生健康局"]["names_seen"] == "鄞州区卫生健康局"
    assert rows["310000:科学技术委员会"]["level"] == "provincial"
    assert len(rows) == len(list(REPORTS.iterdir()))


def test_carry_over_follows_the_agency_across_name_forms(tmp_path):
    import sqlite_utils

    reports = tmp_path / "reports"
    reports.mkdir()
    write_report(reports, "a.txt", agency="鄞州区卫生健康局", year=2020,
                 applications={"carried_forward": [3, 0, 0, 0, 0, 0, 3],
                               "new_received": [3, 0, 0, 0, 0, 0, 3]})
    write_report(reports, "b.txt", agency="宁波市鄞州区卫生健康局", year=2021)
    build([reports], tmp_path / "ogi.db", overrides=None)
    db = sqlite_utils.Database(tmp_path / "ogi.db")
    failures = list(db.query("select * from validation_failures where rule = "
                             "'carry_over_continuity'"))
    assert failures and all(f["year"] == 2021 for f in failures)


# --- zones, misprints, unknown agencies (issue 14) ---------------------------------------------

def test_a_zone_is_placed_in_the_division_that_contains_it():
    place = resolve("平潭综合实验区市场监督管理局", None)
    assert place.status == "zone" and place.adcode == "350128"
    assert names(place) == ("福建省", "福州市", "平潭县") and place.zone == "平潭综合实验区"
    assert place.issues == []  # nothing uncertain: the status says how it was placed
    # a zone across two cities is placed in the province, the lowest division containing it all
    assert resolve("西咸新区管理委员会", None).adcode == "610000"


def test_every_zone_of_the_table_is_a_real_division_and_no_division_itself():
    from loaders.extract.places import zones

    data = divisions()
    for zone in zones():
        assert zone.adcode in data.by_code and zone.source and zone.territory, zone
        assert zone.name not in data.aliases, f"{zone.name} is a division: it needs no zone row"


def test_a_zone_that_is_not_in_the_table_stays_unresolved():
    place = resolve("某某高新区管理委员会", None)
    assert place.status == "not_found" and [i.code for i in place.issues] == ["place_zone_unknown"]


def test_a_misprinted_county_resolves_only_when_one_division_fits():
    # 沐阳县 is no division; in 宿迁市 both 沭阳县 and 泗阳县 are one character from it
    alone = resolve("沐阳县发展和改革局", None, "", "宿迁市人民政府")
    assert alone.status == "not_found" and "沭阳县 321322" in alone.issues[0].message \
        and "泗阳县 321323" in alone.issues[0].message
    # the report also writes 沭阳县: that one
    place = resolve("沐阳县发展和改革局", None, "", "宿迁市 沭阳县人民政府门户网站")
    assert place.status == "misprint" and place.adcode == "321322"
    assert [i.code for i in place.issues] == ["place_misprinted"]
    # no province or city named anywhere: nothing to choose within
    assert resolve("沐阳县发展和改革局", None).status == "not_found"
    # after the city it belongs to, in the name itself
    assert resolve("宿迁市沐阳县发展和改革局", None, "", "沭阳县").adcode == "321322"
    assert resolve("宿迁市测试县发展和改革局", None).adcode == "321300"  # no division fits: the city
    # the same agency as its reports that spell it right
    assert identify("沐阳县发展和改革局", None, "", "宿迁市 沭阳县").id == \
        identify("宿迁市沐阳县发展和改革局", None, "", "沭阳县").id == \
        identify("沭阳县发展和改革局", None).id == "321322:发展和改革局"


def test_the_printed_name_and_the_identity():
    agency = identify("洪泽区人民政府", None, "淮安市")
    assert (agency.id, agency.name, agency.name_as_written) == (
        "320813:人民政府", "洪泽区人民政府", "洪泽区人民政府")
    # a place alone is its government: the same agency as its full name
    assert identify("淮安市", None).id == identify("淮安市人民政府", None).id == "320800:人民政府"
    # a zone alone is its management committee
    assert identify("平潭综合实验区", None).id == "350128:平潭综合实验区管理委员会"
    assert identify("平潭综合实验区市场监督管理局", None).name == "平潭综合实验区市场监督管理局"


@pytest.mark.parametrize("name, why", [
    ("区财政金融局", "names no place"), ("某某局", "names no place"),
    ("鼓楼区卫生健康局", "shared by several divisions"), ("高新区管委会", "names no place"),
])
def test_an_agency_that_cannot_be_identified_has_no_id(name, why):
    agency = identify(name, None)
    assert agency.id is None
    [issue] = agency.issues
    assert issue.code == "agency_unidentified" and why in issue.message
    assert identify(None, None).id is None  # no name at all: missing_agency says it


def test_a_name_whose_own_place_is_no_division_is_unique_as_written():
    assert identify("测试县卫生健康局", None).id == "?:测试县卫生健康局"


def test_an_override_identifies_an_unknown_agency(tmp_path):
    import sqlite_utils

    reports = tmp_path / "reports"
    write_report(reports, "a.txt", agency="区卫生健康局", year=2021)
    overrides = tmp_path / "agencies.csv"
    overrides.write_text("agency,year,name,adcode,kind,sector,level,note\n"
                         "区卫生健康局,,,320813,,,,洪泽区（见网站）\n", encoding="utf-8")
    build([reports], tmp_path / "ogi.db", overrides=overrides)
    db = sqlite_utils.Database(tmp_path / "ogi.db")
    [row] = db.query("select agency_id, place_status from reports")
    assert row == {"agency_id": "320813:区卫生健康局", "place_status": "override"}
    assert not list(db.query("select * from parse_issues where code = 'agency_unidentified'"))
