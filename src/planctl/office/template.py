"""The commented plan `planctl new --year Y` writes without `--from`: every key, the optional
ones commented out, and as it stands a plan that passes `planctl check`."""

from __future__ import annotations

TEMPLATE = """\
# The {year} plan, from planctl's template: fill it in, then `planctl check FILE`.
# Keys marked "optional" may be left out; each is described in the README (The plan file).
id: plan-{year}                  # stable, ASCII: progress is recorded against it
year: {year}
title: {year} 年工作要点
# organisation: XX 区政协常委会    # optional: shown in report headings
language: zh                     # zh or en: the language of tables and headings
# requirements: "{year} 年,..."    # optional: the general-requirements paragraph (总体要求)
# period: {{start: {year}-01-01, end: {year}-12-31}}   # optional: the default; up to 5 years
# document: XX〔{year}〕1号         # optional: the document number (文号)
# adopted: {year}-01-15             # optional: the day it was adopted
# revised: [{year}-07-01]           # optional: the days it was revised
# review: 每半年评估一次             # optional: when it is reviewed (a date or words)
# labels: {{unit: 责任科室, lead: 牵头科室, support: 配合科室, leader: 责任领导}}   # optional
# returns: {{every: month, by: 25}}  # optional: units' returns (填报), by the 25th monthly
# checks: {{done: true, defer: true}}  # optional: done is a claim to check, defer a request
sections:
  - number: 1                    # 一
    title: 第一部分的标题
    points:
      - number: 1                # numbered as the plan numbers them, unique in the plan
        title: 第一项工作要点
        text: ""                 # the point's text after its heading
tasks:
  - id: "1.1"                    # short, ASCII, unique in the plan
    title: 一项按月安排的任务
    month: 1                     # its window: one of month, quarter, due, year_round, a duty
    # quarter: 2                 #   a calendar quarter (二季度)
    # due: {year}-06-30            #   a deadline (6月30日前); due: 6 is 6月底前
    # start: 3                   #   with due: the day or month work starts
    # year_round: true           #   the whole period (全年, 年内)
    # every: month               #   a duty: week, month, quarter, half, year, as_needed (每月)
    # interval: 2                #     with every: once every two of them (每两月)
    # by: 28                     #     with every or months: due by this day (每月28日前)
    # months: [3, 6, 9, 12]      #   a duty done once in each listed month (每季度末)
    # lead: [办公室]              # optional: lead units (牵头单位)
    # support: [综合科]           # optional: supporting units (配合单位)
    # owners: [办公室]            # optional: the older spelling of lead (not beside it)
    # leader: 张三               # optional: the responsible leader (责任领导), or a list
    points: [1]                  # optional: the work points it carries out
    # kind: 会议                  # optional: 会议, 调研, 视察, 活动 ...
    # source: 一项按月安排的任务    # optional: the plan's own wording of the row
    # target: 6                  # optional: a count to reach (不少于 6 次); not on a duty
    # unit: 次                   # optional, with target: what it counts
    # measure: value             # optional: the target is a value to reach (增长 8%), not a count
    # compare: about             #   at_least (以上), at_most (以下) or about (左右)
    # tolerance: 0.5             #   with compare: about: how far off still meets it (default 5%)
    # after: ["1.0"]             # optional: tasks that must be done first
    # carried_from: plan-{prior}:6.2   # optional: the task it carries over (结转)
    # steps:                     # optional: its steps, tasks with the same keys (two levels)
    #   - id: "1.1.1"            #   a step takes its task's units, leader, points and window
    #     title: 第一步           #   unless it gives its own, inside the task's window
    #     due: {year}-01-15
"""


def template(year: int) -> str:
    """The template for `year`."""
    return TEMPLATE.format(year=year, prior=year - 1)
