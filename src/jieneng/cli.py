"""The ``jieneng`` command line: convert long-form consumption to standard coal and compute indicators.

Thin by design: it parses arguments, calls the readers of :mod:`jieneng.io`, the pure functions of
:mod:`jieneng.core` and the writers of :mod:`jieneng.io.output`, and prints problems in the user's
language. Exit status: 0 done, 2 bad input (the message says what and where), 1 internal error.
``docs/cli.md`` is generated from this parser by :func:`help_markdown`.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import sys
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TextIO

import django
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext

from jieneng import config, i18n
from jieneng.core.errors import JienengError, gettext_noop
from jieneng.io import commands
from jieneng.io.output import FORMATS

PROG = "jieneng"
DOCS_PATH = "docs/cli.md"
BAD_INPUT, INTERNAL_ERROR, INTERRUPTED = 2, 1, 130

DESCRIPTION = """\
节能 jieneng：公共机构能源资源消费统计的折标准煤与指标计算。
(Standard-coal conversion and indicators for public-institution energy statistics.)

输入为长表：每行一个单位、期间、能源品种、数量、计量单位（可选金额、行政区划代码）。
(Input in long form: one row per organisation, period, energy type, quantity, unit; optional cost, region.)
支持 .csv（UTF-8 或 GBK）、.xlsx、.xls。 (Reads .csv in UTF-8 or GBK, .xlsx and .xls.)
退出码 (exit status): 0 成功 (done), 2 输入有误 (bad input), 1 内部错误 (internal error).
"""
CONVERT_MORE = """

每行加能源代码 energy_code、kgce、tce。CSV 加 coefficient_set 列（id@version），JSON 为
{"provenance": {...}, "rows": [...]}，表格末行注明系数集。tce 在 CSV/JSON 中保留 4 位小数。
(Adds energy_code, kgce and tce to every row; every output names the coefficient set it used.)
"""
COMPUTE_MORE = """

综合能耗 tce（不计耗能工质和可再生能源发电量）、用水量、金额；给出 --facts 时加人均综合能耗
kgce/人、单位建筑面积能耗 kgce/m²（含与不含车辆用油）、人均用水量 m³/人；有多个年度时加同比 %。
(Total energy in tce, water, cost; with --facts the per-person, per-m² and water-per-person indicators;
year-on-year changes when several years are present. Ratios are computed from sums, never averaged.)

--co2 加二氧化碳排放 tCO₂，给出 --facts 时加 kgCO₂/人、kgCO₂/m²；化石燃料按 GB/T 32150 缺省参数，电力按
生态环境部、国家统计局发布的电力二氧化碳排放因子：默认取不晚于报告年度的最新数据年度、所在省份（无则区域电网、
全国）。输出注明排放因子集、口径和所用数据年度（co2_data_year）。
(--co2 adds CO₂; the output names the emission-factor set, the convention and the data years used.)
"""
SETS_MORE = """

不带参数时列出内置折标系数集和排放因子集（kind: coefficients、emission_factors）；给出编号或 .toml 文件时
列出其每一行及其所在系数集（defined_in），可检查继承（extends）内置系数集的本地文件。排放因子集的每行
列出数据年度、层级（省、区域电网、全国）、口径、参数、来源和状态（confirmed 已核对、to_confirm 待核对）。
(Without an argument: the built-in coefficient and emission-factor sets. With one: every row and the set
that defines it.)
"""
IMPORT_MORE = """

读取、检查并保存到数据库（默认演示库，或 JIENENG_DATABASE_URL）。有阻断性问题时不保存任何数据，退出码 2；
同一文件再次导入不产生新修订；改正后的文件为有改动的单位生成新修订，旧修订保留。
(Reads, checks and stores into the database. A blocking problem stores nothing and exits 2; importing the
same file again changes nothing; a corrected file adds revisions, earlier ones are kept.)
"""
SAVINGS_HELP = "实测节能量：CalTRACK 2.0 基准模型与报告期节能量 (measured savings, IPMVP Option C)"
SAVINGS_MORE = """

每行一天：日期、日均气温、用量。日法（daily）用每天的用量；账单期法（billing）在抄表日写本期用量，
其余行留空。基准期须 365 天、有效天数 ≥ 90 %，且在报告期之前。输出基准模型、拟合统计（R²、CV(RMSE)、NMBE、
ASHRAE 14 校准）、节能量 = Σ(预测 − 实际) 及其不确定度，并注明方法版本（id@version）。
(One row a day: date, mean temperature, use. Billing: the use on each reading day. The baseline needs
365 days with 90 % coverage, before the reporting period. Prints the model, its statistics, savings =
Σ(predicted − observed) with their uncertainty, and the method's id@version.)
"""
ASSESS_HELP = "按考核计分表为被考核单位计分、定等级 (score assessed parties against a scheme)"
ASSESS_MORE = """

每行一个被考核单位：名称和计分表的输入列——目标完成项的目标与实际变化率 %（目标可为区间 −4.0~−4.5，按下限
考核）、对标项的本单位值与同类平均值、是/否项、次数和人工评分。输出各项得分、加分、总分、等级、一票否决及其
原因、名次和奖惩，并注明计分表（id@version）。表格有问题时按行列列出，退出码 2。
计分表为内置编号或 .toml 文件，可继承（extends）内置计分表。
(One row per assessed party: its name and the scheme's inputs. Prints scores, bonus, total, grade, veto
and its reason, rank and consequences, with the scheme's id@version; a bad sheet exits 2.)
"""
_OS_ERROR = gettext_noop("Cannot open “%(file)s”: %(reason)s.")
_INTERNAL = gettext_noop("Internal error: %(error)s. This is a bug in jieneng; please report it.")


class _Formatter(argparse.RawDescriptionHelpFormatter):
    """Fixed width, so the generated docs do not depend on the terminal."""

    def __init__(self, prog: str) -> None:
        super().__init__(prog, width=100, max_help_position=32)


def _add_savings(savings: argparse.ArgumentParser) -> None:
    """The options of ``jieneng savings``."""
    savings.add_argument("file", metavar="FILE", help="逐日文件：日期、日均气温、用量 (.csv/.xlsx/.xls)")
    savings.add_argument(
        "--method", choices=("daily", "billing"), default="daily", help="日法或账单期法，默认 daily (method)"
    )
    savings.add_argument(
        "--temperature-unit", choices=("C", "F"), default="C", help="气温单位，默认 C (temperature unit)"
    )
    savings.add_argument(
        "--baseline", required=True, metavar="FIRST..LAST", help="基准期，如 2023-01-01..2023-12-31"
    )
    savings.add_argument(
        "--reporting", required=True, metavar="FIRST..LAST", help="报告期，如 2024-01-01..2024-12-31"
    )
    savings.add_argument(
        "--fuel",
        choices=("electricity", "gas"),
        default="electricity",
        help="燃气只用 HDD 模型，默认 electricity (gas: heating models only)",
    )
    savings.add_argument(
        "--format", choices=("table", "json"), default="table", help="输出格式 (output format)"
    )
    savings.add_argument("-o", "--output", metavar="OUT", help="写入文件，默认标准输出 (write to a file)")
    savings.add_argument(
        "--sheet", metavar="NAME", help="工作表名称，默认第一个 (worksheet, default the first)"
    )
    savings.set_defaults(handler=_savings)


def _add_co2(compute: argparse.ArgumentParser) -> None:
    """The CO₂ options of ``jieneng compute``."""
    compute.add_argument(
        "--co2",
        action="store_true",
        help="加二氧化碳排放及其强度与同比 (add CO₂, its intensities and changes)",
    )
    compute.add_argument(
        "--factors",
        metavar="ID|PATH",
        help="排放因子集：内置编号或 .toml 文件，默认 mee-nbs-electricity，给出即含 --co2 "
        "(emission-factor set: id or file; implies --co2)",
    )
    compute.add_argument(
        "--basis",
        choices=("location", "market", "fossil"),
        default="location",
        help="电力口径：location 所在地（省、区域电网、全国，默认），market 不含市场化交易的非化石能源电量，"
        "fossil 化石能源电力 (electricity basis)",
    )
    compute.add_argument(
        "--factor-year",
        default="latest",
        metavar="RULE",
        help="电力因子的数据年度：latest 不晚于报告年度的最新年度（默认），lag2 报告年度前 2 年，"
        "2022 固定年度 (data year of the electricity factors)",
    )


TARGETS_HELP = "目标进度、预警名单，检查下达任务指标表 (targets: progress, warnings, check a split sheet)"
TARGETS_MORE = (
    "\n\nprogress 与 warnings 读取所配置的数据库（同 import）；check-sheet 只检查，不保存。"
    "\nprogress and warnings read the configured database; check-sheet stores nothing."
)


def _add_targets(targets: argparse.ArgumentParser) -> None:
    """``jieneng targets progress|warnings --region CODE`` and ``jieneng targets check-sheet FILE``."""
    actions = targets.add_subparsers(dest="action", metavar="ACTION", required=True)
    for name, text in (
        ("progress", "各目标的任务进度、时间进度与预警 (every target's progress and warning)"),
        ("warnings", "预警名单：可能完不成的目标，最差的在前 (the warning list, worst first)"),
    ):
        action = actions.add_parser(name, help=text, description=text)
        action.add_argument(
            "--region", required=True, metavar="CODE", help="行政区划代码，含下级 (region code)"
        )
        action.add_argument("--format", choices=FORMATS, default="table", help="输出格式 (output format)")
        action.set_defaults(handler=_targets)
    check = actions.add_parser(
        "check-sheet",
        help="检查下达任务指标表能否分解该目标 (check a 下达任务指标表 against a target)",
        description="检查下达任务指标表能否分解该目标；有问题时退出码为 2 (exit 2 on a blocking problem)",
    )
    check.add_argument("file", metavar="FILE", help="下达任务指标表 .xlsx/.xls/.csv (the sheet)")
    check.add_argument("--target", required=True, type=int, metavar="ID", help="被分解的目标编号 (target id)")
    check.set_defaults(handler=_targets)


PROJECTS_HELP = (
    "节能项目台账：从表格导入，生成模板 (the project register: import from a spreadsheet, template)"
)


def _add_projects(projects: argparse.ArgumentParser) -> None:
    """``jieneng projects import FILE --user NAME`` and ``jieneng projects template -o OUT.xlsx``."""
    actions = projects.add_subparsers(dest="action", metavar="ACTION", required=True)
    importer = actions.add_parser(
        "import",
        help="导入项目台账，全部通过才保存 (import the register; all or nothing)",
        description="导入项目台账；有问题时逐行列出，不保存任何内容，退出码为 2 (exit 2 on a problem)",
    )
    importer.add_argument("file", metavar="FILE", help="项目台账 .xlsx/.csv (one row per project)")
    importer.add_argument("--user", required=True, metavar="NAME", help="以该用户的权限导入 (as this user)")
    importer.set_defaults(handler=_projects)
    template = actions.add_parser("template", help="生成项目台账模板 (write the register's template)")
    template.add_argument("-o", "--output", required=True, metavar="OUT.xlsx", help="模板文件 (output)")
    template.set_defaults(handler=_projects)


def _projects(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from jieneng.projects import commands as projects

    return projects.run(args, out, err)


def _targets(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from jieneng.targets import commands as targets

    handler = targets.check_sheet if args.action == "check-sheet" else targets.progress
    return handler(args, out, err)


def _add_assess(
    assess: argparse.ArgumentParser, command: Callable[[str, str], argparse.ArgumentParser]
) -> None:
    """``jieneng assess``, ``jieneng assess-template`` and ``jieneng schemes``."""
    scheme_help = "计分表：内置编号或 .toml 文件 (scheme: id or file)"
    assess.add_argument("file", metavar="FILE", help="被考核单位表 .csv/.xlsx/.xls (one row per party)")
    assess.add_argument("--scheme", required=True, metavar="ID|PATH", help=scheme_help)
    assess.add_argument("--format", choices=FORMATS, default="table", help="输出格式 (output format)")
    assess.add_argument("-o", "--output", metavar="OUT", help="写入文件，默认标准输出 (write to a file)")
    assess.add_argument(
        "--sheet", metavar="NAME", help="工作表名称，默认第一个 (worksheet, default the first)"
    )
    assess.set_defaults(handler=_assess)
    template = command("assess-template", "生成计分表的输入表 (write the input sheet of a scheme)")
    template.add_argument("--scheme", required=True, metavar="ID|PATH", help=scheme_help)
    template.add_argument("-o", "--output", required=True, metavar="OUT.xlsx", help="输入表文件 (output)")
    template.set_defaults(handler=_assess)
    schemes = command("schemes", "列出考核计分表，或显示其一 (list scoring schemes, or show one)")
    schemes.add_argument("ref", nargs="?", metavar="ID|PATH", help="计分表编号或文件 (scheme id or file)")
    schemes.add_argument("--format", choices=FORMATS, default="table", help="输出格式 (output format)")
    schemes.add_argument("-o", "--output", metavar="OUT", help="写入文件，默认标准输出 (write to a file)")
    schemes.set_defaults(handler=_assess)


def _add_import(
    command: Callable[[str, str, Sequence[argparse.ArgumentParser], str], argparse.ArgumentParser],
    common: argparse.ArgumentParser,
) -> None:
    """``jieneng import`` and ``jieneng template``: the statistics forms on the command line."""
    importer = command(
        "import",
        "导入填好的统计报表，打印问题清单 (import a filled statistics form; print the report)",
        [common],
        IMPORT_MORE,
    )
    importer.add_argument("file", metavar="FILE", help="报表文件 .xlsx/.xls/.csv (the filled form)")
    importer.add_argument("--form", required=True, metavar="ID", help="报表编号，如 pi-energy (form id)")
    importer.add_argument("--author", metavar="NAME", help="填报人，默认当前用户 (author, default: you)")
    importer.add_argument("--json", action="store_true", help="以 JSON 输出报告 (report as JSON)")
    importer.add_argument(
        "--limit", type=int, default=200, metavar="N", help="最多显示 N 个问题，0 为全部 (problems shown)"
    )
    importer.add_argument(
        "--annotated", metavar="OUT.xlsx", help="写出标注问题的工作簿 (the file with problems marked)"
    )
    importer.add_argument(
        "--clear-blanks",
        action="store_true",
        help="确认清除空白单元格对应的已存数值；默认保留 (confirm: a blank cell clears its stored value)",
    )
    importer.set_defaults(handler=_import)

    template = command(
        "template",
        "生成报表模板，已列出各单位 (write a form template listing the organisations)",
        [common],
        "",
    )
    template.add_argument("--form", required=True, metavar="ID", help="报表编号，如 pi-energy (form id)")
    template.add_argument(
        "--period", required=True, metavar="PERIOD", help="统计期：2025-03、2025Q1 或 2025 (period)"
    )
    template.add_argument("--region", metavar="CODE", help="行政区划代码，默认全部 (region code)")
    template.add_argument("-o", "--output", required=True, metavar="OUT.xlsx", help="模板文件 (output)")
    template.set_defaults(handler=_template)


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--lang",
        choices=("zh-hans", "en"),
        default=argparse.SUPPRESS,
        help="消息语言，默认 zh-hans 或环境变量 JIENENG_LANG (language of messages)",
    )
    output = argparse.ArgumentParser(add_help=False)
    output.add_argument(
        "--set",
        dest="coefficient_set",
        metavar="ID|PATH",
        help="折标系数集：内置编号或 .toml 文件，默认 public-institution (coefficient set: id or file)",
    )
    output.add_argument("--format", choices=FORMATS, default="table", help="输出格式 (output format)")
    output.add_argument("-o", "--output", metavar="OUT", help="写入文件，默认标准输出 (write to a file)")
    output.add_argument(
        "--sheet", metavar="NAME", help="工作表名称，默认第一个 (worksheet, default the first)"
    )

    parser = argparse.ArgumentParser(
        prog=PROG, description=DESCRIPTION, formatter_class=_Formatter, parents=[common]
    )
    parser.add_argument("--write-docs", nargs="?", const=DOCS_PATH, metavar="PATH", help=argparse.SUPPRESS)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", title="命令 (commands)")

    def command(
        name: str, text: str, parents: Sequence[argparse.ArgumentParser], more: str = ""
    ) -> argparse.ArgumentParser:
        return sub.add_parser(
            name, help=text, description=text + more, formatter_class=_Formatter, parents=parents
        )

    convert = command(
        "convert", "逐行折算标准煤 (convert every row to standard coal)", [output, common], CONVERT_MORE
    )
    convert.add_argument("file", metavar="FILE", help="长表文件 .csv/.xlsx/.xls (long-form file)")
    convert.set_defaults(handler=commands.convert)

    compute = command(
        "compute",
        "按单位和年度计算综合能耗与指标 (energy and indicators per unit and year)",
        [output, common],
        COMPUTE_MORE,
    )
    compute.add_argument("file", metavar="FILE", help="长表文件 .csv/.xlsx/.xls (long-form file)")
    compute.add_argument(
        "--facts",
        metavar="FACTS_FILE",
        help="单位基本情况：单位、年度、建筑面积、用能人数 (facts: org, year, area_m2, persons)",
    )
    compute.add_argument(
        "--by",
        default="org",
        metavar="KEYS",
        help="分组，逗号分隔，总含年度：org、region、period、quarter、month、year；默认 org "
        "(grouping, comma-separated, year always included)",
    )
    compute.add_argument(
        "--composition", action="store_true", help="加列各能源品种的 tce 与占比 (composition by energy type)"
    )
    _add_co2(compute)
    compute.set_defaults(handler=commands.compute)

    _add_savings(command("savings", SAVINGS_HELP, [common], SAVINGS_MORE))
    _add_assess(
        command("assess", ASSESS_HELP, [common], ASSESS_MORE),
        lambda name, text: command(name, text, [common]),
    )

    sets = command(
        "sets",
        "列出折标系数集和排放因子集，或显示其一 (list coefficient and emission-factor sets, or show one)",
        [common],
        SETS_MORE,
    )
    sets.add_argument("ref", nargs="?", metavar="ID|PATH", help="系数集编号或文件 (set id or file)")
    sets.add_argument("--format", choices=FORMATS, default="table", help="输出格式 (output format)")
    sets.add_argument("-o", "--output", metavar="OUT", help="写入文件，默认标准输出 (write to a file)")
    sets.set_defaults(handler=commands.sets)

    _add_import(command, common)

    _add_targets(command("targets", TARGETS_HELP, [common], TARGETS_MORE))

    _add_projects(command("projects", PROJECTS_HELP, [common]))

    _add_bulletin(command("bulletin", BULLETIN_HELP, [common], BULLETIN_MORE))

    demo = command("demo", "启动演示网站 (start the demo web site)", [common])
    demo.add_argument("--port", type=int, default=8000, help="端口，默认 8000 (port)")
    demo.add_argument("--reset", action="store_true", help="重建演示数据 (recreate the demo data)")
    demo.set_defaults(handler=_demo)

    manage = command("manage", "运行 Django 管理命令 (run a Django management command)", [])
    manage.add_argument(
        "args", nargs=argparse.REMAINDER, metavar="ARGS", help="管理命令及参数 (its arguments)"
    )
    manage.set_defaults(handler=_manage)
    return parser


BULLETIN_HELP = "按数据生成公文：统计公报、进展通报 (write an official document from the data)"
BULLETIN_MORE = """

种类 (kinds): statistics 统计公报（各地区能耗、强度及变化）；
progress 工作进展通报（目标进展、预警、未下达目标的地区）；
work-report 工作情况汇报（目标与项目）。
--region 000000 为全国（仅统计公报）。
版式按 GB/T 9704-2012；输出格式由文件扩展名决定：.docx、.pdf（需 LibreOffice）、.xlsx（表格）。

示例 (example):
  jieneng bulletin statistics --region 445200 --period 2025 -o 公报.docx"""


def _add_bulletin(bulletin: argparse.ArgumentParser) -> None:
    bulletin.add_argument(
        "kind", metavar="KIND", help="公文种类：statistics、progress、work-report (kind of document)"
    )
    bulletin.add_argument("--region", required=True, metavar="CODE", help="行政区划代码 (region code)")
    bulletin.add_argument("--period", required=True, metavar="P", help="年度，如 2025 (year)")
    bulletin.add_argument(
        "-o", "--output", required=True, metavar="FILE", help="输出文件 .docx/.pdf/.xlsx (output file)"
    )
    bulletin.set_defaults(handler=_bulletin)


def _bulletin(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from jieneng.bulletins import commands as bulletins

    return bulletins.run(args, out, err)


def _savings(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from jieneng.io import savings_command

    return savings_command.run(args, out, err)


def _assess(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from jieneng.io import assess_command

    handlers = {"assess": assess_command.run, "assess-template": assess_command.template}
    return handlers.get(args.command, assess_command.schemes)(args, out, err)


def _demo(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from jieneng.web import launch

    return int(launch.demo(args.port, args.reset) or 0)


def _import(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from jieneng.reporting import commands as reporting

    return reporting.run_import(args, out, err)


def _template(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from jieneng.reporting import commands as reporting

    return reporting.write_template(args, out, err)


def _manage(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from jieneng.web import launch

    return int(launch.manage(list(args.args)) or 0)


def help_markdown() -> str:
    """The help of every command as Markdown: the text of ``docs/cli.md``."""
    parser = build_parser()
    parts = [
        "# Command line (命令行)\n",
        "<!-- Generated from the argparse help by jieneng.cli.help_markdown(); do not edit. -->",
        f"<!-- Regenerate: python -m jieneng.cli --write-docs {DOCS_PATH} -->\n",
        f"```\n{parser.format_help()}```\n",
    ]
    subparsers = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    for name, sub in subparsers.choices.items():
        parts.append(f"## {PROG} {name}\n\n```\n{sub.format_help()}```\n")
    return "\n".join(parts)


def activate_language(language: str | None) -> str:
    """Activate the message language, with a bare Django configuration if the web settings are absent."""
    try:
        return i18n.activate(language)
    except (ImportError, ImproperlyConfigured):
        if not settings.configured:
            locale = Path(__file__).with_name("locale")
            settings.configure(USE_I18N=True, LANGUAGE_CODE=i18n.DEFAULT_LANGUAGE, LOCALE_PATHS=[locale])
        django.setup()
        return i18n.activate(language)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status (``sys.exit(main())`` in the entry point)."""
    args_list = list(sys.argv[1:] if argv is None else argv)
    out, err = sys.stdout, sys.stderr
    if not _settings_readable(err):
        return BAD_INPUT
    if args_list[:1] == ["manage"]:  # everything after "manage" is Django's, --help included
        activate_language(None)
        return _run(_manage, argparse.Namespace(args=args_list[1:]), out, err)
    parser = build_parser()
    try:
        args = parser.parse_args(args_list)
    except SystemExit as exc:  # --help (0) or a usage error (2), already printed by argparse
        return exc.code if isinstance(exc.code, int) else BAD_INPUT
    if args.write_docs:
        Path(args.write_docs).write_text(help_markdown(), encoding="utf-8")
        return 0
    if args.command is None:
        parser.print_help(err)
        return BAD_INPUT
    if args.command in ("import", "template"):
        config.current().data_dir.mkdir(parents=True, exist_ok=True)
    args.lang_used = activate_language(getattr(args, "lang", None))
    return _run(args.handler, args, out, err)


def _settings_readable(err: TextIO) -> bool:
    """Whether the ``JIENENG_*`` environment variables hold values they accept; if not, say which."""
    try:
        config.current()
    except config.SettingError as exc:
        err.write(f"{PROG}: {exc} (docs/settings.md)\n")
        return False
    return True


def _run(handler: Any, args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Call a command's handler; turn every user mistake into a message and exit status 2."""
    try:
        return int(handler(args, out, err))
    except JienengError as exc:
        commands.report_error(exc, err)
    except commands.Stop as exc:
        return exc.status
    except BrokenPipeError:  # the reader of a pipe has gone (jieneng … | head): stop quietly
        _silence_stdout()
        return INTERNAL_ERROR
    except OSError as exc:  # an output file that cannot be written, a folder given as a file …
        err.write(str(gettext(_OS_ERROR)) % {"file": exc.filename, "reason": exc.strerror or exc} + "\n")
    except KeyboardInterrupt:
        return INTERRUPTED
    except Exception as exc:
        err.write(str(gettext(_INTERNAL)) % {"error": repr(exc)} + "\n")
        traceback.print_exc(file=err)
        return INTERNAL_ERROR
    return BAD_INPUT


def _silence_stdout() -> None:
    """Point stdout at devnull so that Python's exit does not complain about the closed pipe."""
    with contextlib.suppress(OSError, ValueError, io.UnsupportedOperation):
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


if __name__ == "__main__":
    sys.exit(main())
