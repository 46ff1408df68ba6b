"""Every label a report, digest or mail shows: its English, marked for the catalogues.

One table: a label is looked up by key, never written out twice. Its translations are in the
gettext catalogues (planctl/locale, planctl.i18n), the English text being the msgid; a label
whose English is another's but whose Chinese is not carries a context (`NC_`), a label that
counts has its plural forms (`NN_`). The plan's `language` picks the catalogue; `--lang`,
PLANCTL_LANG and the config file's `language` override it.
"""

from __future__ import annotations

from collections.abc import Mapping

from planctl.core.events import KINDS
from planctl.i18n import LANGUAGES, N_, NC_, NN_, counted_in, spoken, translated

__all__ = ["CATALOGUE", "LANGUAGES", "PLURALS", "counted", "label_lookup", "plural"]

CATALOGUE: Mapping[str, str] = {
    # key: the label in English, its msgid
    "report": N_("Year report"),
    "digest": N_("Weekly status"),
    "summary": N_("Summary"),
    "tasks": N_("Tasks"),
    "total": N_("Total"),
    "done": N_("Done"),
    "open": N_("Open"),
    "overdue": N_("Overdue"),
    "percent": N_("Done %"),
    "month": N_("Month"),
    "months": N_("Month by month"),
    "year_round": N_("Year-round"),
    "progress": N_("Progress"),
    "section": N_("Section"),
    "sections": N_("Sections"),
    "point": N_("Point"),
    "points": N_("Work points"),
    "unit": N_("Owner"),
    "lead": N_("Lead"),
    "support": N_("Support"),
    "leader": N_("Responsible"),
    "support_mark": N_("support"),
    "list_sep": N_(", "),
    "owners": N_("{unit} progress"),
    "supported_total": N_("Supported"),
    "supported_done": N_("Supported, done"),
    "supported_task": N_(" ({support_mark})"),
    "meta_adopted": N_("adopted {day}"),
    "meta_revised": N_("revised {days}"),
    "meta_review": N_("review: {review}"),
    "overdue_list": N_("Overdue tasks"),
    "deferrals": N_("Deferred tasks"),
    "planned": N_("Planned"),
    "moved_to": N_("Moved to"),
    "reason": N_("Reason"),
    "targets": N_("Targets"),
    "count": N_("Count"),
    "target": N_("Target"),
    "expected": N_("Expected by now"),
    "behind": N_("behind"),
    "duties": N_("Recurring duties"),
    "every": N_("Every"),
    "periods": N_("Periods done"),
    "missed": N_("Missed"),
    "blocked": N_("Blocked"),
    "waiting_for": N_("Waiting for"),
    "recent": N_("Recent activity"),
    "recorded": N_("Recorded"),
    "action": N_("Action"),
    "on": N_("On"),
    "by": N_("By"),
    "note": N_("Note"),
    "id": N_("ID"),
    "title": N_("Title"),
    "status": N_("Status"),
    "done_lately": N_("Done in the last {days} days"),
    "open_this_month": N_("Due this month, still open"),
    "next_month": N_("Coming next month"),
    "none": N_("none"),
    "year_line": N_(
        "{year}: {total} {tasks}, {done} done, {open} open, {overdue} overdue, {percent}% done"
    ),
    "week": N_("weekly"),
    "month_every": N_("monthly"),
    "quarter": N_("quarterly"),
    "half_every": N_("half-yearly"),
    "year_every": N_("yearly"),
    "months_listed": N_("in set months"),
    "as_needed": N_("as needed"),
    "confirm_duty": N_(": counted for {label}, {done}/{elapsed}{unit} done"),
    "confirm_as_needed": N_(": done {count} times so far"),
    "due_soon": N_("Due soon"),
    "due": N_("Due"),
    "today": N_("As of"),
    "st_done": N_("done {on} {by}"),
    "st_open": N_("open"),
    "st_overdue": N_("overdue"),
    "st_behind": N_("behind (expected {expected})"),
    "st_missed": N_("missed {periods}"),
    "st_missed_many": N_("missed {count} (latest {latest})"),
    "st_blocked": N_("blocked by {tasks}"),
    "weeks": N_(" weeks"),
    "months_unit": N_(" months"),
    "quarters": N_(" quarters"),
    "halves": N_(" half-years"),
    "years": N_(" years"),
    "times": N_(" times"),
    "steps_unit": N_(" steps"),
    "points_col": N_("Points"),
    "kind": N_("Kind"),
    "field": N_("Field"),
    "value": N_("Value"),
    "text": N_("Text"),
    "source": N_("Source"),
    "after": N_("After"),
    "parent_task": N_("Step of"),
    "carried_from": N_("Carried from"),
    "steps_field": N_("Steps"),
    "steps_done_col": N_("Steps done"),
    "deferred": N_("Deferred"),
    "point_n": N_("Point {n}"),
    "deferral_text": N_("to {to}: {reason} ({on}, {by})"),
    "stop": N_(". "),
    "carried_over": N_("carried over"),
    "not_in_plan": N_("(not in the plan)"),
    "footer": N_("{total} {tasks}: {done} done, {open} open, {overdue} overdue"),
    "recorded_on": N_("recorded {day}"),
    "no": N_("No."),
    "section_title": N_("Section"),
    "point_title": N_("Point"),
    "list_title": N_("{plan}: tasks"),
    "due_title": N_("{plan}: due in {year}-{month:02d} (today {today})"),
    "show_title": N_("{plan}: task {id}"),
    "points_title": N_("{plan}: work points"),
    "history_title": N_("{plan}: history"),
    "subject": N_("{title} ({today})"),
    "assess": N_("Assessment"),
    "assess_units": N_("{unit} scores"),
    "assess_points": N_("Work points, item by item"),
    "untasked_points": N_("Work points without a task"),
    "on_time": N_("On time"),
    "deferred_done": N_("Done by deferred day"),
    "late": N_("Late"),
    "overdue_open": NC_("assessment", "Overdue"),
    "pending": N_("Not yet due"),
    "on_time_rate": N_("On-time rate"),
    "score": N_("Score"),
    "rank": N_("Rank"),
    "planned_due": N_("Planned due"),
    "outcome": N_("Outcome"),
    "rule": N_("Scoring rule"),
    "case": N_("Case"),
    "rule_on_time": N_("Done by its planned due day"),
    "rule_deferred": N_("Done later, by the day a deferral with a reason moved it to"),
    "rule_late": N_("Done after its due day"),
    "rule_overdue": N_("Open after its due day"),
    "rule_pending": N_("Open, due day not yet passed"),
    "not_counted": N_("not counted"),
    "rule_duty": N_("A recurring duty"),
    "rule_duty_score": N_(
        "the mean of its occurrences due so far: each done on time, done late or missed scores as"
        " above; one still running counts once done; an as_needed duty is not scored"
    ),
    "rule_unit": N_("{unit} score"),
    "rule_unit_score": N_(
        "the base plus the weighted mean over the counted tasks it leads (and supports, at their"
        " weight), less deductions, within the cap, rounded half up to one decimal; equal scores"
        " share a rank; a unit with no counted task is not ranked"
    ),
    "history_sheet": N_("History"),
    "task_sheet": N_("Task {id}"),
    "due_sheet": N_("Due {year}-{month:02d}"),
    "elapsed": N_("Periods so far"),
    "periods_total": N_("Periods in all"),
    "start": N_("Start"),
    "done_on": N_("Done on"),
    "measure": N_("Unit"),
    "year": N_("Year"),
    "pace": N_("Pace"),
    "recorded_day": N_("Recorded on"),
    "chart": N_("Progress by month"),
    "chart_note": N_(
        "By the month each task is due: deadline and quarter tasks count in their due"
        " month; year-round tasks and recurring duties have a bar of their own."
    ),
    "tasks_axis": NC_("chart axis", "tasks"),
    "page": N_("page {page}"),
    "light": N_("Light"),
    "light_done": N_("done"),
    "light_red": N_("red"),
    "light_yellow": N_("yellow"),
    "light_blue": N_("blue"),
    "light_grey": N_("grey"),
    "light_green": N_("green"),
    "behind_list": N_("Behind"),
    "stale_list": N_("Stale (nothing recorded for {days} days)"),
    "st_stale": N_("stale"),
    "st_stale_since": N_("no word since {on}"),
    "st_stale_never": N_("nothing recorded yet"),
    "st_percent": N_("reported {percent}% (expected {expected}%)"),
    "st_value": N_("latest {value} (target {target}): {verdict}"),
    "st_no_value": N_("no value reported (target {target})"),
    "st_met": N_("met"),
    "st_not_met": N_("not met"),
    "reports": N_("Progress reports"),
    "percent_col": N_("Percent"),
    "value_col": NC_("progress report", "Value"),
    "latest_report": N_("Latest report"),
    "no_unit": N_("No unit"),
    "assess_tasks": N_("Tasks, item by item"),
    "totals": NC_("totals", "Total"),
    "deduction": N_("Deducted"),
    "rule_base": N_("Base: added to each unit's mean score"),
    "rule_cap": N_("Cap: no unit scores more (or below 0)"),
    "rule_lead": N_("Weight of each task a unit leads"),
    "rule_support": N_("Weight of each task it supports (0: none)"),
    "rule_early": N_("Bonus per task done before the month of its planned due day"),
    "rule_return_late": N_("Deducted per return filed late"),
    "rule_return_missing": N_("Deducted per return missing"),
    "rule_chased": N_("Deducted per chase"),
    "bulletin": N_("Progress bulletin"),
    "bl_classes": N_("Where the work stands"),
    "bl_class": N_("Class"),
    "bl_share": N_("Share"),
    "bl_done": N_("Done"),
    "bl_early": N_("of which early"),
    "bl_ahead": N_("Ahead"),
    "bl_on_pace": N_("On pace"),
    "bl_behind": NC_("bl_behind", "Behind"),
    "bl_overdue": N_("Overdue"),
    "bl_not_started": N_("Not started"),
    "bl_units": N_("By unit (lead)"),
    "bl_tasks": N_("Every task"),
    "bl_returns": N_("Returns late or missing ({cycle})"),
    "bl_returns_sheet": N_("Returns late or missing"),
    "bl_filed": N_("Filed on"),
    "bl_return_late": N_("late"),
    "bl_return_missing": N_("missing"),
    "bl_praised": N_("Praised"),
    "bl_urged": N_("Urged"),
    "bl_days_overdue": N_("Days overdue"),
    "bl_rule": N_("How tasks are classed"),
    "bl_rule_done": N_(
        "Done: done by the day of the bulletin; early: done before the month of its planned due"
        " day (a recurring duty never)"
    ),
    "bl_rule_overdue": N_("Overdue: open after its due day (a duty: an occurrence missed)"),
    "bl_rule_not_started": N_("Not started: its window (a duty: its occurrence) has not begun"),
    "bl_rule_behind": N_(
        "Behind: a count below the count expected by today, a reported percent more than {margin}"
        " points below the elapsed share of its window, or a value short of its target"
    ),
    "bl_rule_ahead": N_(
        "Ahead: a count above the count expected by today, a reported percent more than {margin}"
        " points above the elapsed share of its window, or a value already on target"
    ),
    "bl_rule_on_pace": N_("On pace: every other open task (one with nothing reported too)"),
    "bl_rule_pace": N_(
        "Expected progress: the share of its window's days elapsed by the day of the bulletin; a"
        " task with steps is counted through its steps"
    ),
    "bl_rule_praised": N_(
        "Praised: nothing it leads behind or overdue, and its return this cycle neither late nor"
        " missing"
    ),
    "bl_doc_number": N_("No. ______"),
    "bl_scoring": N_("Scoring rules of the assessment"),
    "bl_claimed": N_("Claims awaiting check"),
    "bl_requested": N_("Deferrals awaiting a decision"),
    "bl_chased": N_("Times chased"),
    "bl_task_claimed": N_("awaiting check, claimed {on}"),
    "bl_task_requested": N_("deferral to {due} asked"),
    "bl_rule_claimed": N_(
        "A task claimed done stays in its class until the claim is accepted (awaiting check),"
        " and one whose deferral is asked for keeps its due day until it is approved; both are"
        " counted apart under the classes"
    ),
    "pending_title": N_("{plan}: awaiting a decision ({today})"),
    "pending_sheet": N_("Pending"),
    "pending_list": N_("Awaiting a decision"),
    "pending_what": N_("Asks"),
    "pending_on": N_("Asked on"),
    "pending_by": N_("Asked by"),
    "pending_age": N_("Days waiting"),
    "pending_late": N_(" (late)"),
    "st_chased": N_("chased {times}×"),
    "how_phone": N_("phone"),
    "how_mail": N_("mail"),
    "how_letter": N_("letter"),
    "how_meeting": N_("meeting"),
    "st_requested": N_("asks for {due} ({on} {by}; awaiting a decision)"),
    "st_refused": N_("request refused {on} {by}: {reason}"),
    "claimed": N_("Awaiting check"),
    "st_claimed": N_("awaiting check (claimed {on} {by})"),
    "st_rejected": N_("sent back {on} {by}: {reason}"),
    # What an event did, in the history (完成, 撤销, 备注, 延期): each kind's own label.
    **{f"act_{action.value}": kind.label for action, kind in KINDS.items()},
}

PLURALS: Mapping[str, tuple[str, str]] = {
    # key: its English forms; the labels are `KEY_one` and `KEY_many` (see `plural`)
    "task": NN_("task", "tasks"),
}

WORDS_SPACED = {"zh": ""}
"""What stands between a number and its unit (`3 km`, `3次`): a space, but not in Chinese."""


def counted(number: int, word: str, plural: str | None = None) -> str:
    """`1 section`, `2 sections`: a count in English, for messages (not the plan's labels)."""
    return f"{number} {word if number == 1 else plural or word + 's'}"


def plural(labels: Mapping[str, str], key: str, count: int) -> str:
    """The label `KEY` for a count, through the catalogue's plural rule (`1 task`, `2 tasks`;
    Chinese has one form for every count)."""
    return counted_in(labels["html_lang"], PLURALS[key], count)


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
    language = spoken(language) or "en"
    labels = {key: translated(language, text) for key, text in CATALOGUE.items()}
    for key, forms in PLURALS.items():
        labels[f"{key}_one"] = counted_in(language, forms, 1)
        labels[f"{key}_many"] = counted_in(language, forms, 2)
    labels["unit_space"] = WORDS_SPACED.get(language, " ")
    labels["html_lang"] = language
    for key, name in (roles or {}).items():
        if key in ROLE_LABELS and name:
            labels[key] = name
            if key == "support":
                labels["support_mark"] = name
    for key in NAMED_BY_ROLES:
        labels[key] = labels[key].format(unit=labels["unit"], support_mark=labels["support_mark"])
    return labels
