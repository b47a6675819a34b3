"""Demo assumptions: name patterns, per-kind energy profiles, seasons and prices of the demo data.

Nothing here is reference data. These are the invented but plausible parameters that
:mod:`jieneng.demo.generator` draws from; change them freely. Where a number was calibrated against a
published figure, the comment says which one. The published 2021 Guangdong same-type averages
(shared/DOMAIN.md §3) set ``kgce_per_m2``, ``kgce_per_person`` and ``water_per_person`` of the four
benchmarked kinds (机关, 高等学校, 中小学校, 医院); the other kinds are guesses.

Name patterns take ``{city}`` (揭阳市), ``{short}`` (揭阳), ``{county}`` (普宁市), ``{town}`` (洪阳镇) and
``{n}`` (a Chinese ordinal 一, 二 …). A pattern's scope says where it is instantiated: ``city`` once
at the prefecture, ``county`` once per county, ``township`` per 镇/乡, ``subdistrict`` per 街道,
``town`` per either; ``n`` patterns are repeated with ordinals. Tier 0 names are taken first (every
city has a 人民医院), tier 1 names after them, lower ordinals first.
"""

from __future__ import annotations

from dataclasses import dataclass

#: base year of the calibration: kinds' intensities are 2021 values; other years follow each unit's trend
CALIBRATION_YEAR = 2021

#: registration authority and category code of the unified social credit code, by type code
REGISTRATION = {
    "01": ("1", "1"),  # 机构编制部门登记, 机关
    "021": ("1", "2"),  # … 事业单位
    "022": ("1", "2"),
    "023": ("1", "2"),
    "024": ("1", "2"),
    "025": ("1", "2"),
    "026": ("1", "2"),
    "03": ("5", "1"),  # 民政部门登记, 社会团体
}


@dataclass(frozen=True, slots=True)
class Kind:
    """A kind of organisation and how the demo makes its facts and energy use.

    Intensities are for the calibration year and include vehicle fuel:
    ``kgce_per_m2`` [kgce/m²], ``kgce_per_person`` [kgce/人], ``water_per_person`` [m³/人];
    the building area follows as persons × kgce_per_person / kgce_per_m2 [m²].
    """

    key: str
    type_code: str
    label: str
    weight: float  # share of the non-department organisations of a city (generate_city)
    national_share: float  # share of all institutions (generate_national)
    persons: tuple[int, int]  # range of 用能人数 (staff + students / daily patients / visitors)
    kgce_per_m2: float
    kgce_per_person: float
    water_per_person: float
    canteen: float  # probability of a canteen burning natural gas
    gas_share: float  # canteen gas as a share of the unit's energy [kgce/kgce]
    vehicles: tuple[float, int, int]  # probability of having vehicles, fewest, most
    diesel: float  # probability that a unit with vehicles also runs diesel ones
    season: str  # key of SEASONS for electricity
    supervisor: str | None  # department key of the 主管部门 at the unit's level
    names: tuple[tuple[str, str, int], ...] = ()  # (pattern, scope, tier)


# The first row is the kind of the departments (DEPARTMENTS); the rows government, school, college and
# hospital take the published Guangdong 2021 averages (shared/DOMAIN.md §3), the others are guesses.
# fmt: off
_WHO: tuple[tuple[str, str, str, float, float, tuple[int, int]], ...] = (
    # key                type   label           city weight  national share  用能人数 range
    ("government",      "01",  "国家机关",     0.0,         0.16,           (30, 160)),
    ("school",          "021", "中小学校",     0.4,         0.44,           (500, 3200)),
    ("college",         "021", "高等学校",     0.01,        0.002,          (6000, 15000)),
    ("research",        "022", "科研单位",     0.03,        0.01,           (20, 90)),
    ("library",         "023", "图书馆",       0.02,        0.01,           (60, 400)),
    ("museum",          "023", "博物馆",       0.015,       0.005,          (30, 200)),
    ("culture_centre",  "023", "文化馆",       0.02,        0.02,           (10, 80)),
    ("hospital",        "024", "医院",         0.07,        0.02,           (600, 3500)),
    ("health_centre",   "024", "卫生院",       0.15,        0.05,           (60, 300)),
    ("sports",          "025", "体育场馆",     0.025,       0.005,          (60, 500)),
    ("other",           "026", "其他事业单位", 0.2,         0.235,          (15, 120)),
    ("association",     "03",  "社会团体",     0.06,        0.02,           (4, 30)),
)
_INTENSITY: dict[str, tuple[float, float, float]] = {
    # key                kgce/m²  kgce/人   m³/人
    "government":      (12.49,   517.33,   38.53),
    "school":          (3.28,    65.3,     43.38),
    "college":         (4.77,    102.8,    50.51),
    "research":        (10.0,    400.0,    40.0),
    "library":         (7.0,     150.0,    15.0),
    "museum":          (8.0,     200.0,    15.0),
    "culture_centre":  (5.0,     150.0,    20.0),
    "hospital":        (15.88,   294.06,   55.87),
    "health_centre":   (9.0,     180.0,    45.0),
    "sports":          (6.0,     250.0,    40.0),
    "other":           (10.0,    400.0,    35.0),
    "association":     (9.0,     350.0,    30.0),
}
_USE: dict[str, tuple[float, float, tuple[float, int, int], float, str, str | None]] = {
    # key                canteen  gas share  vehicles (p, min, max)  diesel  season      主管部门
    "government":      (0.45,    0.06,      (0.85, 1, 6),           0.15,   "office",   None),
    "school":          (0.55,    0.12,      (0.25, 1, 2),           0.5,    "school",   "edu"),
    "college":         (0.95,    0.12,      (1.0, 4, 12),           0.5,    "school",   "edu"),
    "research":        (0.3,     0.05,      (0.6, 1, 3),            0.1,    "office",   "sci"),
    "library":         (0.1,     0.04,      (0.3, 1, 1),            0.0,    "venue",    "culture"),
    "museum":          (0.05,    0.04,      (0.3, 1, 1),            0.0,    "venue",    "culture"),
    "culture_centre":  (0.05,    0.04,      (0.2, 1, 1),            0.0,    "venue",    "culture"),
    "hospital":        (0.9,     0.15,      (1.0, 3, 14),           0.5,    "hospital", "health"),
    "health_centre":   (0.3,     0.08,      (0.8, 1, 2),            0.3,    "hospital", "health"),
    "sports":          (0.1,     0.04,      (0.4, 1, 3),            0.2,    "venue",    "culture"),
    "other":           (0.15,    0.05,      (0.5, 1, 4),            0.15,   "office",   "gov"),
    "association":     (0.02,    0.04,      (0.1, 1, 1),            0.0,    "office",   "civil"),
}
# fmt: on

#: name patterns by kind: (pattern, scope, tier); 国家机关 are named from DEPARTMENTS instead
NAMES: dict[str, tuple[tuple[str, str, int], ...]] = {
    "school": (
        ("{county}第{n}中学", "county", 1),
        ("{city}第{n}中学", "city", 1),
        ("{county}实验小学", "county", 0),
        ("{county}{town}中学", "township", 1),
        ("{county}{town}中心小学", "town", 1),
        ("{county}实验学校", "county", 1),
        ("{short}华侨中学", "city", 0),
        ("{county}第{n}小学", "county", 1),
    ),
    "college": (
        ("{short}职业技术学院", "city", 0),
        ("{short}开放大学", "city", 0),
        ("{short}理工职业学院", "city", 1),
        ("{short}卫生职业学院", "city", 1),
    ),
    "research": (
        ("{city}农业科学研究所", "city", 0),
        ("{city}科学技术信息研究所", "city", 0),
        ("{county}农业技术推广中心", "county", 1),
        ("{city}林业科学研究所", "city", 1),
        ("{city}水产技术推广站", "city", 1),
        ("{county}科技服务中心", "county", 1),
    ),
    "library": (
        ("{city}图书馆", "city", 0),
        ("{county}图书馆", "county", 0),
        ("{city}少年儿童图书馆", "city", 1),
    ),
    "museum": (
        ("{city}博物馆", "city", 0),
        ("{county}博物馆", "county", 1),
        ("{city}美术馆", "city", 1),
    ),
    "culture_centre": (
        ("{city}文化馆", "city", 0),
        ("{county}文化馆", "county", 0),
        ("{county}{town}综合文化站", "town", 1),
    ),
    "hospital": (
        ("{city}人民医院", "city", 0),
        ("{city}中医医院", "city", 0),
        ("{county}人民医院", "county", 0),
        ("{city}妇幼保健院", "city", 0),
        ("{county}中医医院", "county", 1),
        ("{county}妇幼保健院", "county", 1),
        ("{city}第{n}人民医院", "city", 1),
        ("{county}第{n}人民医院", "county", 1),
    ),
    "health_centre": (
        ("{county}{town}卫生院", "township", 0),
        ("{county}{town}社区卫生服务中心", "subdistrict", 0),
    ),
    "sports": (
        ("{city}体育中心", "city", 0),
        ("{county}体育中心", "county", 0),
        ("{city}业余体育学校", "city", 1),
        ("{county}全民健身中心", "county", 1),
    ),
    "other": (
        ("{city}公共资源交易中心", "city", 0),
        ("{city}不动产登记中心", "city", 0),
        ("{city}档案馆", "city", 0),
        ("{county}公证处", "county", 1),
        ("{county}档案馆", "county", 1),
        ("{county}社会福利院", "county", 1),
        ("{county}疾病预防控制中心", "county", 1),
        ("{city}城市综合管理服务中心", "city", 1),
        ("{county}{town}便民服务中心", "town", 1),
        ("{county}水库管理所", "county", 1),
        ("{city}机关幼儿园", "city", 1),
        ("{county}殡仪馆", "county", 1),
    ),
    "association": (
        ("{city}慈善总会", "city", 0),
        ("{city}红十字会", "city", 0),
        ("{city}建筑业协会", "city", 1),
        ("{city}律师协会", "city", 1),
        ("{city}个体劳动者协会", "city", 1),
        ("{city}老年人体育协会", "city", 1),
        ("{city}企业联合会", "city", 1),
        ("{county}慈善会", "county", 1),
        ("{county}个体劳动者协会", "county", 1),
        ("{city}会计学会", "city", 1),
        ("{city}摄影家协会", "city", 1),
    ),
}

KINDS: tuple[Kind, ...] = tuple(
    Kind(*(*who, *_INTENSITY[who[0]], *_USE[who[0]]), names=NAMES.get(who[0], ())) for who in _WHO
)

#: 市直部门 and county departments: (name after the region's name, key, at the city, at each county);
#: all are 国家机关 (type 01). Keys are what Kind.supervisor refers to.
DEPARTMENTS: tuple[tuple[str, str, bool, bool], ...] = (
    ("人民政府办公室", "gov", True, True),
    ("发展和改革局", "drc", True, True),
    ("教育局", "edu", True, True),
    ("科学技术局", "sci", True, True),
    ("工业和信息化局", "miit", True, False),
    ("公安局", "police", True, True),
    ("民政局", "civil", True, True),
    ("司法局", "justice", True, False),
    ("财政局", "fin", True, True),
    ("人力资源和社会保障局", "hr", True, False),
    ("自然资源局", "land", True, False),
    ("生态环境局", "env", True, False),
    ("住房和城乡建设局", "housing", True, True),
    ("交通运输局", "transport", True, False),
    ("水务局", "water", True, False),
    ("农业农村局", "agri", True, False),
    ("文化广电旅游体育局", "culture", True, True),
    ("卫生健康局", "health", True, True),
    ("应急管理局", "emergency", True, False),
    ("市场监督管理局", "market", True, False),
    ("统计局", "stats", True, False),
    ("机关事务管理局", "affairs", True, True),
    ("人民法院", "court", True, True),
    ("人民检察院", "procuratorate", True, True),
)

#: 镇/乡/街道 of the counties of 揭阳市, for names and addresses; a county not listed gets none
TOWNS: dict[str, tuple[str, ...]] = {
    "445202": (
        "榕华街道",
        "新兴街道",
        "中山街道",
        "西马街道",
        "东兴街道",
        "东升街道",
        "东阳街道",
        "梅云街道",
        "仙桥街道",
        "磐东街道",
    ),
    "445203": (
        "曲溪街道",
        "锡场镇",
        "新亨镇",
        "玉湖镇",
        "埔田镇",
        "霖磐镇",
        "月城镇",
        "白塔镇",
        "龙尾镇",
        "云路镇",
        "玉滘镇",
    ),
    "445222": (
        "河婆街道",
        "棉湖镇",
        "金和镇",
        "大溪镇",
        "钱坑镇",
        "凤江镇",
        "东园镇",
        "京溪园镇",
        "灰寨镇",
        "塔头镇",
        "五经富镇",
        "良田乡",
        "坪上镇",
        "上砂镇",
        "龙潭镇",
        "南山镇",
    ),
    "445224": (
        "惠城镇",
        "华湖镇",
        "仙庵镇",
        "靖海镇",
        "周田镇",
        "前詹镇",
        "神泉镇",
        "东陇镇",
        "岐石镇",
        "隆江镇",
        "溪西镇",
        "鳌江镇",
        "东港镇",
        "葵潭镇",
    ),
    "445281": (
        "流沙东街道",
        "流沙西街道",
        "流沙南街道",
        "流沙北街道",
        "池尾街道",
        "燎原街道",
        "洪阳镇",
        "南溪镇",
        "广太镇",
        "麒麟镇",
        "南径镇",
        "大坪镇",
        "梅塘镇",
        "里湖镇",
        "占陇镇",
        "军埠镇",
        "下架山镇",
        "高埔镇",
        "云落镇",
        "赤岗镇",
        "大坝镇",
        "船埔镇",
        "后溪乡",
        "梅林镇",
    ),
}

#: street names for addresses
ROADS = (
    "人民路",
    "中山路",
    "新华路",
    "建设路",
    "解放路",
    "文化路",
    "健康路",
    "教育路",
    "环城北路",
    "环城南路",
    "临江北路",
    "望江北路",
    "榕华大道",
    "进贤门大道",
    "东山大道",
    "黄岐山大道",
    "新阳路",
    "天福路",
    "广达路",
    "兴华路",
    "站前路",
    "环市北路",
)

#: monthly shape, January first; normalised to a mean of 1 by the generator. Guangdong: air
#: conditioning peaks June–September; schools are on holiday in February and July–August.
SEASONS: dict[str, tuple[float, ...]] = {
    "office": (0.80, 0.70, 0.78, 0.88, 1.02, 1.20, 1.30, 1.30, 1.20, 1.02, 0.90, 0.82),
    "school": (0.95, 0.45, 1.00, 1.05, 1.15, 1.30, 0.55, 0.50, 1.25, 1.15, 1.05, 0.95),
    "hospital": (0.88, 0.82, 0.86, 0.92, 1.00, 1.12, 1.18, 1.18, 1.12, 1.00, 0.92, 0.88),
    "venue": (0.85, 0.90, 0.80, 0.88, 1.00, 1.15, 1.30, 1.30, 1.15, 1.05, 0.90, 0.85),
    "water": (0.90, 0.85, 0.92, 0.98, 1.05, 1.10, 1.12, 1.12, 1.08, 1.00, 0.95, 0.92),
    "water_school": (1.00, 0.50, 1.05, 1.10, 1.15, 1.20, 0.60, 0.55, 1.20, 1.15, 1.05, 1.00),
    "flat": (1.00, 0.85, 1.00, 1.00, 1.00, 1.00, 1.00, 1.00, 1.00, 1.00, 1.00, 1.05),
    "solar": (0.70, 0.65, 0.75, 0.90, 1.05, 1.10, 1.30, 1.30, 1.20, 1.10, 1.00, 0.80),
}

#: season of each energy other than electricity (which follows the kind): (most units, schools)
ENERGY_SEASONS: dict[str, tuple[str, str]] = {
    "water": ("water", "water_school"),
    "natural_gas": ("flat", "school"),
    "lpg": ("flat", "school"),
    "gasoline": ("flat", "flat"),
    "diesel": ("flat", "flat"),
    "solar_pv": ("solar", "solar"),
}

#: (energy type code, default unit, price [元 per unit], rounding of the reported figure in decimals)
ENERGIES: tuple[tuple[str, str, float, int], ...] = (
    ("electricity", "kWh", 0.75, 0),
    ("water", "t", 3.5, 0),
    ("natural_gas", "m3", 4.0, 0),
    ("gasoline", "L", 8.0, 1),
    ("diesel", "L", 7.5, 1),
    ("lpg", "kg", 7.0, 1),
    ("solar_pv", "kWh", 0.0, 0),
)

#: vehicle fuel per vehicle and year [L]; fuels are capped at this share of a unit's energy [kgce/kgce]
GASOLINE_PER_VEHICLE = 1500.0
DIESEL_PER_VEHICLE = 1800.0
VEHICLE_CAP = 0.30
#: LPG instead of piped gas for this share of canteens; its share of the unit's energy [kgce/kgce]
LPG_PROBABILITY = 0.12
LPG_SHARE = 0.04
#: share of units that report electricity in 万kWh, and water in m³ rather than t
WAN_KWH_SHARE = 0.15
WATER_M3_SHARE = 0.4
#: rooftop solar: share of units with it, first years it can start, share of electricity it covers
SOLAR_SHARE = 0.06
SOLAR_START_YEARS = (2023, 2024, 2025)
SOLAR_COVER = (0.04, 0.15)
#: yearly decline of energy and water intensity (十四五: about −5 % per m² over five years and more)
TREND = (0.02, 0.04)
#: spread of the unit-to-unit factor on intensity, of the year factor and of the month factor (σ of log)
SIGMA_UNIT, SIGMA_YEAR, SIGMA_MONTH = 0.25, 0.04, 0.06

#: generate_national: the nation's units are smaller and more rural than a city's (village schools,
#: township offices); their probabilities of a canteen with gas and of vehicles are scaled by this
NATIONAL_REACH = 0.5

#: the problems generate_city plants: kind → (energy type, unit written, factor off, description)
PLANTED: dict[str, tuple[str | None, str | None, float | None, str]] = {
    "missing_month": (None, None, None, "{name} {year}年{month}月整月缺报：该月没有任何能源资源消费记录。"),
    "unit_confusion": (
        "electricity", "kWh", 1e-4,
        "{name} {year}年{month}月用电量按万千瓦时填写，计量单位却填为 kWh（数值偏小 10000 倍）。",
    ),
    "spike": ("electricity", None, 8.0, "{name} {year}年{month}月用电量约为正常月份的 8 倍（异常突增）。"),
    "water_scale": (
        "water", "万t", 1e4,
        "{name} {year}年全年用水量按吨填写，计量单位却填为 万t（数值未换算，偏大 10000 倍）。",
    ),
}  # fmt: skip

# --- the reporting calendar on "today" (generate_city's ``today``) ----------------------------------
#: how many complete years before this one the demo holds
COMPLETE_YEARS = 6
#: the time zone whose calendar "today" is read in when the caller does not give one
TIME_ZONE = "Asia/Shanghai"
#: periods whose deadline has passed, newest first: the share of units that have still not reported
#: (the overdue list), that were returned by a reviewer, and that a reviewer has approved so far (the
#: rest wait in the review queue); periods older than these are reported and approved in full
PASSED_MISSING = (0.05, 0.015, 0.005)
PASSED_RETURNED = (0.04, 0.025, 0.01)
PASSED_APPROVED = (0.6, 0.9, 0.97)
#: a returned report that its unit has corrected and handed in again (the rest wait for the unit)
RESUBMITTED_SHARE = 0.6
#: reports handed in after the deadline (days late up to LATE_DAYS)
LATE_SHARE, LATE_DAYS = 0.08, 20
#: the period still open (its deadline ahead): the share reported grows from the first to the second
#: value over the reporting window; of those, the share approved and returned so far
OPEN_REPORTED = (0.15, 0.85)
OPEN_APPROVED, OPEN_RETURNED = 0.3, 0.03
#: days a reviewer takes to approve a report (at most)
REVIEW_DAYS = 8
#: the units' explanations (填写说明) of what a verification check flagged, by the check's code
EXPLANATIONS: dict[str, str] = {
    "yoy_change": "本期新增（或停用）部分用能设备，用量较上年同期变化属实，已核对计量表读数。",
    "ten_thousand_off": "已核对原始凭证和表头计量单位，数值无误。",
    "per_m2_outlier": "本单位含信息机房和职工食堂，单位建筑面积能耗偏高属实。",
    "unit_price_outlier": "本期金额含上期欠费补缴，已核对缴费凭证，数量和金额无误。",
}
#: why a reviewer returns a report: (reason, energy type, item kind the unit corrects, factor applied)
RETURN_REASONS: tuple[tuple[str, str, str, float], ...] = (
    ("电费金额与用电量不符，折算单价明显偏高，请核对电费发票后重新报送。", "electricity", "cost", 0.9),
    ("用水量较上年同月增幅较大，请核实水表读数；如属实，请在填写说明中写明原因。", "water", "quantity", 0.95),
    ("用电量与电费账单不一致，请按供电企业结算单填报后重新报送。", "electricity", "quantity", 0.97),
)
