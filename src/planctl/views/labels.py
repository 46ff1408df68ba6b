"""Every label a report, digest or mail shows, in each language planctl speaks.

One catalogue: a label is looked up by key, never written out twice. The plan's `language`
picks the column; `--lang` overrides it.
"""

from __future__ import annotations

from collections.abc import Mapping

LANGUAGES = ("zh", "en")

CATALOGUE: Mapping[str, tuple[str, str]] = {
    # key: (zh, en)
    "report": ("年度工作报告", "Year report"),
    "digest": ("每周工作简报", "Weekly status"),
    "summary": ("总体情况", "Summary"),
    "tasks": ("任务", "Tasks"),
    "total": ("任务数", "Total"),
    "done": ("已完成", "Done"),
    "open": ("未完成", "Open"),
    "overdue": ("逾期", "Overdue"),
    "percent": ("完成率", "Done %"),
    "month": ("月份", "Month"),
    "months": ("逐月完成情况", "Month by month"),
    "year_round": ("全年", "Year-round"),
    "progress": ("进度", "Progress"),
    "section": ("部分", "Section"),
    "sections": ("各部分完成情况", "Sections"),
    "point": ("要点", "Point"),
    "points": ("工作要点完成情况", "Work points"),
    "unit": ("责任单位", "Owner"),
    "no_unit": ("未明确责任单位", "No unit"),
    "lead": ("牵头单位", "Lead"),
    "support": ("配合单位", "Support"),
    "leader": ("责任领导", "Responsible"),
    "support_mark": ("配合", "support"),
    "list_sep": ("、", ", "),
    "owners": ("各{unit}完成情况", "{unit} progress"),
    "supported_total": ("{support_mark}任务数", "Supported"),
    "supported_done": ("{support_mark}已完成", "Supported, done"),
    "supported_task": ("({support_mark})", " ({support_mark})"),
    "meta_adopted": ("{day} 印发", "adopted {day}"),
    "meta_revised": ("{days} 修订", "revised {days}"),
    "meta_review": ("评估:{review}", "review: {review}"),
    "overdue_list": ("逾期任务", "Overdue tasks"),
    "deferrals": ("调整计划", "Deferred tasks"),
    "planned": ("计划月份", "Planned"),
    "moved_to": ("调整至", "Moved to"),
    "reason": ("原因", "Reason"),
    "targets": ("数量目标", "Targets"),
    "count": ("已完成次数", "Count"),
    "target": ("目标", "Target"),
    "expected": ("应完成", "Expected by now"),
    "behind": ("进度落后", "behind"),
    "duties": ("经常性工作", "Recurring duties"),
    "every": ("频次", "Every"),
    "periods": ("完成期数", "Periods done"),
    "missed": ("未完成期次", "Missed"),
    "blocked": ("待前置任务", "Blocked"),
    "waiting_for": ("等待", "Waiting for"),
    "recent": ("最近记录", "Recent activity"),
    "recorded": ("记录时间", "Recorded"),
    "action": ("操作", "Action"),
    "on": ("日期", "On"),
    "by": ("记录人", "By"),
    "note": ("备注", "Note"),
    "id": ("编号", "ID"),
    "title": ("任务", "Title"),
    "status": ("状态", "Status"),
    "done_lately": ("近 {days} 天完成", "Done in the last {days} days"),
    "open_this_month": ("本月待办", "Due this month, still open"),
    "next_month": ("下月安排", "Coming next month"),
    "none": ("无", "none"),
    "year_line": (
        "{year} 年共 {total} 项任务:已完成 {done} 项,未完成 {open} 项,"
        "逾期 {overdue} 项,完成率 {percent}%",
        "{year}: {total} {tasks}, {done} done, {open} open, {overdue} overdue, {percent}% done",
    ),
    "week": ("每周", "weekly"),
    "month_every": ("每月", "monthly"),
    "quarter": ("每季度", "quarterly"),
    "half_every": ("每半年", "half-yearly"),
    "year_every": ("每年", "yearly"),
    "months_listed": ("定期", "in set months"),
    "as_needed": ("不定期", "as needed"),
    "unit_space": ("", " "),
    "confirm_duty": (
        ": 计入 {label},已完成 {done}/{elapsed}{unit}",
        ": counted for {label}, {done}/{elapsed}{unit} done",
    ),
    "confirm_as_needed": (": 已完成 {count} 次", ": done {count} times so far"),
    "due_soon": ("临期任务", "Due soon"),
    "due": ("截止日期", "Due"),
    "today": ("截至", "As of"),
    "st_done": ("已完成 {on} {by}", "done {on} {by}"),
    "st_open": ("未完成", "open"),
    "st_overdue": ("逾期", "overdue"),
    "st_behind": ("进度落后(应完成 {expected})", "behind (expected {expected})"),
    "st_missed": ("未完成 {periods}", "missed {periods}"),
    "st_missed_many": ("{count} 期未完成(最近 {latest})", "missed {count} (latest {latest})"),
    "st_blocked": ("等待 {tasks}", "blocked by {tasks}"),
    "weeks": ("周", " weeks"),
    "months_unit": ("个月", " months"),
    "quarters": ("个季度", " quarters"),
    "halves": ("个半年", " half-years"),
    "years": ("年", " years"),
    "times": ("次", " times"),
    "steps_unit": ("步", " steps"),
    "points_col": ("要点", "Points"),
    "kind": ("类别", "Kind"),
    "field": ("项目", "Field"),
    "value": ("内容", "Value"),
    "text": ("内容", "Text"),
    "source": ("原文", "Source"),
    "after": ("前置任务", "After"),
    "parent_task": ("所属任务", "Step of"),
    "carried_from": ("结转自", "Carried from"),
    "steps_field": ("步骤", "Steps"),
    "steps_done_col": ("已完成步骤", "Steps done"),
    "deferred": ("调整", "Deferred"),
    "point_n": ("要点 {n}", "Point {n}"),
    "deferral_text": ("调整至 {to}:{reason}({on},{by})", "to {to}: {reason} ({on}, {by})"),
    "stop": ("。", ". "),
    "carried_over": ("结转", "carried over"),
    "not_in_plan": ("(计划中已无此任务)", "(not in the plan)"),
    "footer": (
        "共 {total} 项:已完成 {done} 项,未完成 {open} 项,逾期 {overdue} 项",
        "{total} {tasks}: {done} done, {open} open, {overdue} overdue",
    ),
    "task_one": ("项任务", "task"),
    "task_many": ("项任务", "tasks"),
    "recorded_on": ("记录于 {day}", "recorded {day}"),
    "act_done": ("完成", "done"),
    "act_undo": ("撤销", "undo"),
    "act_note": ("备注", "note"),
    "act_defer": ("延期", "defer"),
    "act_rename": ("改编号", "rename"),
    "act_claim": ("办结申请", "claim"),
    "act_accept": ("销号", "accept"),
    "act_reject": ("退回", "reject"),
    "act_request": ("延期申请", "request"),
    "pending_title": (
        "{plan}:待审核、待批复事项({today})",
        "{plan}: awaiting a decision ({today})",
    ),
    "pending_sheet": ("待办审核", "Pending"),
    "pending_list": ("待审核、待批复", "Awaiting a decision"),
    "pending_what": ("事项", "Asks"),
    "pending_on": ("申请日期", "Asked on"),
    "pending_by": ("申请人", "Asked by"),
    "pending_age": ("已等待天数", "Days waiting"),
    "pending_late": ("(逾期申请)", " (late)"),
    "act_approve": ("批复", "approve"),
    "act_chase": ("催办", "chase"),
    "st_chased": ("已催办 {times} 次", "chased {times}×"),
    "how_phone": ("电话", "phone"),
    "how_mail": ("邮件", "mail"),
    "how_letter": ("督办单", "letter"),
    "how_meeting": ("会议", "meeting"),
    "st_requested": (
        "延期申请至 {due}(待批复,{on} {by})",
        "asks for {due} ({on} {by}; awaiting a decision)",
    ),
    "st_refused": ("延期未批准 {on} {by}:{reason}", "request refused {on} {by}: {reason}"),
    "claimed": ("待审核", "Awaiting check"),
    "st_claimed": ("待审核(申请办结 {on} {by})", "awaiting check (claimed {on} {by})"),
    "st_rejected": ("退回 {on} {by}:{reason}", "sent back {on} {by}: {reason}"),
    "no": ("序号", "No."),
    "section_title": ("部分", "Section"),
    "point_title": ("要点", "Point"),
    "list_title": ("{plan}:任务", "{plan}: tasks"),
    "due_title": (
        "{plan}:{year} 年 {month} 月待办(截至 {today})",
        "{plan}: due in {year}-{month:02d} (today {today})",
    ),
    "show_title": ("{plan}:任务 {id}", "{plan}: task {id}"),
    "points_title": ("{plan}:工作要点", "{plan}: work points"),
    "history_title": ("{plan}:记录", "{plan}: history"),
    "subject": ("{title}({today})", "{title} ({today})"),
    "assess": ("工作考核", "Assessment"),
    "assess_units": ("各{unit}考核", "{unit} scores"),
    "assess_points": ("逐项考核", "Work points, item by item"),
    "untasked_points": ("无任务的工作要点", "Work points without a task"),
    "on_time": ("按期完成", "On time"),
    "deferred_done": ("调整后按期完成", "Done by deferred day"),
    "late": ("逾期完成", "Late"),
    "overdue_open": ("逾期未完成", "Overdue"),
    "pending": ("未到期", "Not yet due"),
    "on_time_rate": ("按期完成率", "On-time rate"),
    "score": ("得分", "Score"),
    "rank": ("排名", "Rank"),
    "planned_due": ("计划完成日期", "Planned due"),
    "outcome": ("考核结果", "Outcome"),
    "rule": ("评分规则", "Scoring rule"),
    "case": ("情形", "Case"),
    "rule_on_time": ("按期完成:在计划完成日期前完成", "Done by its planned due day"),
    "rule_deferred": (
        "调整后按期完成:在有原因的调整后日期前完成",
        "Done later, by the day a deferral with a reason moved it to",
    ),
    "rule_late": ("逾期完成:在完成日期后完成", "Done after its due day"),
    "rule_overdue": ("逾期未完成:过了完成日期仍未完成", "Open after its due day"),
    "rule_pending": ("未到完成日期且未完成", "Open, due day not yet passed"),
    "not_counted": ("不计入", "not counted"),
    "rule_duty": ("经常性工作", "A recurring duty"),
    "rule_duty_score": (
        "已到期各期得分的平均数:按期完成、逾期完成、未完成的期次分别计分,进行中的期次完成后计入;"
        "不定期工作不计分",
        "the mean of its occurrences due so far: each done on time, done late or missed scores"
        " as above; one still running counts once done; an as_needed duty is not scored",
    ),
    "rule_unit": ("{unit}得分", "{unit} score"),
    "rule_unit_score": (
        "基础分加所牵头(及按权重计入的配合)任务得分的加权平均数,减去扣分,不超过最高分,"
        "四舍五入保留一位小数;得分相同名次并列;无计入任务的不排名",
        "the base plus the weighted mean over the counted tasks it leads (and supports, at"
        " their weight), less deductions, within the cap, rounded half up to one decimal;"
        " equal scores share a rank; a unit with no counted task is not ranked",
    ),
    "assess_tasks": ("逐项任务考核", "Tasks, item by item"),
    "totals": ("合计", "Total"),
    "deduction": ("扣分", "Deducted"),
    "rule_base": ("基础分:加在各单位平均分上", "Base: added to each unit's mean score"),
    "rule_cap": ("最高分:各单位得分不超过此分,不低于 0", "Cap: no unit scores more (or below 0)"),
    "rule_lead": ("牵头任务的权重", "Weight of each task a unit leads"),
    "rule_support": ("配合任务的权重(0:不计)", "Weight of each task it supports (0: none)"),
    "rule_early": (
        "提前完成加分:在计划完成月份之前完成,每项",
        "Bonus per task done before the month of its planned due day",
    ),
    "rule_return_late": ("逾期报送扣分,每次", "Deducted per return filed late"),
    "rule_return_missing": ("未报送扣分,每次", "Deducted per return missing"),
    "rule_chased": ("被督办扣分,每次(记录督办后适用)", "Deducted per chase (once recorded)"),
    "html_lang": ("zh", "en"),
    "history_sheet": ("记录", "History"),
    "task_sheet": ("任务 {id}", "Task {id}"),
    "due_sheet": ("{year} 年 {month} 月待办", "Due {year}-{month:02d}"),
    "elapsed": ("应完成期数", "Periods so far"),
    "periods_total": ("总期数", "Periods in all"),
    "start": ("开始日期", "Start"),
    "done_on": ("完成日期", "Done on"),
    "measure": ("计量单位", "Unit"),
    "year": ("年份", "Year"),
    "pace": ("进度", "Pace"),
    "recorded_day": ("记录日期", "Recorded on"),
    "chart": ("逐月完成情况图", "Progress by month"),
    "chart_note": (
        "按截止月份计:有截止日期、按季度的任务计入其截止月份;全年任务与经常性工作单列一栏。",
        "By the month each task is due: deadline and quarter tasks count in their due month;"
        " year-round tasks and recurring duties have a bar of their own.",
    ),
    "tasks_axis": ("任务数", "tasks"),
    "page": ("第 {page} 页", "page {page}"),
    "light": ("灯号", "Light"),
    "light_done": ("完成", "done"),
    "light_red": ("红", "red"),
    "light_yellow": ("黄", "yellow"),
    "light_blue": ("蓝", "blue"),
    "light_grey": ("灰", "grey"),
    "light_green": ("绿", "green"),
    "behind_list": ("进度落后", "Behind"),
    "stale_list": ("未更新({days} 天无记录)", "Stale (nothing recorded for {days} days)"),
    "st_stale": ("未更新", "stale"),
    "st_stale_since": ("自 {on} 无记录", "no word since {on}"),
    "st_stale_never": ("尚无记录", "nothing recorded yet"),
    "st_percent": (
        "填报 {percent}%(序时 {expected}%)",
        "reported {percent}% (expected {expected}%)",
    ),
    "st_value": (
        "最新 {value}(目标 {target}):{verdict}",
        "latest {value} (target {target}): {verdict}",
    ),
    "st_no_value": ("尚未填报数值(目标 {target})", "no value reported (target {target})"),
    "st_met": ("达标", "met"),
    "st_not_met": ("未达标", "not met"),
    "act_progress": ("进度填报", "progress"),
    "reports": ("进度填报", "Progress reports"),
    "percent_col": ("进度", "Percent"),
    "value_col": ("数值", "Value"),
    "latest_report": ("最新填报", "Latest report"),
}


def counted(number: int, word: str, plural: str | None = None) -> str:
    """`1 section`, `2 sections`: a count in English, for messages (not the plan's labels)."""
    return f"{number} {word if number == 1 else plural or word + 's'}"


def plural(labels: Mapping[str, str], key: str, count: int) -> str:
    """The label `KEY_one` or `KEY_many` for a count (Chinese has one form for both)."""
    return labels[f"{key}_one" if count == 1 else f"{key}_many"]


ROLE_LABELS = ("unit", "lead", "support", "leader")
"""The labels a plan may rename (its `labels:`): what it calls its units and their roles."""

NAMED_BY_ROLES = (
    "owners",
    "supported_total",
    "supported_done",
    "supported_task",
    "assess_units",
    "rule_unit",
)
"""Labels made from the role labels ({unit}, {support_mark})."""


def label_lookup(language: str, roles: Mapping[str, str | None] | None = None) -> Mapping[str, str]:
    """The labels of one language (English for a language planctl does not speak), with the
    plan's own names for its units and roles (`roles`, from its `labels:`) in place of ours.

    A plan's supporting-unit name (配合科室) also stands for the short mark before the
    supporting units in a table cell."""
    column = 0 if language == "zh" else 1
    labels = {key: texts[column] for key, texts in CATALOGUE.items()}
    for key, name in (roles or {}).items():
        if key in ROLE_LABELS and name:
            labels[key] = name
            if key == "support":
                labels["support_mark"] = name
    for key in NAMED_BY_ROLES:
        labels[key] = labels[key].format(unit=labels["unit"], support_mark=labels["support_mark"])
    return labels
