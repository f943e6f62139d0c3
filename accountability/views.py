"""Accountability pages: the flags, one flag's notice and steps, a school's benchmark status, the runs.

Each view parses a form, asks accountability.policies, calls one service or selector and renders.
A refusal re-renders the page: field errors 400, not yours 403, somebody-acted-first 409; a flag or
school the user may not see is 404.
"""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accountability import selectors
from accountability.forms import FLAG_FORMS, EvaluationRunForm, FlagFilterForm
from accountability.models import LIVE_FLAG_STATUSES, FlagStatus, RunStatus
from accountability.policies import (
    can_attempt_flag_action,
    can_invite_eligible_school,
    can_run_evaluation,
    can_take_flag_action,
    can_view_flags,
)
from accountability.services import (
    SUMMARY_KEYS,
    RunInProgress,
    bound_grants,
    eligibility_invite,
    evaluation_run_confirm,
    evaluation_run_discard,
    evaluation_run_request,
    flag_acknowledge,
    flag_escalate,
    flag_resolve,
    flag_submit_plan,
    provision_quote,
    rung_consequence,
    rung_has_deadline,
)
from accountability.wording import COUNT_LABELS, rung_words, when_words
from accountability.workflows import FLAG_WORKFLOW
from autonomy.evidence_words import evidence_metrics, evidence_summary
from autonomy.models import LIVE_STATUSES as LIVE_GRANT_STATUSES
from autonomy.policies import can_manage_autonomy
from contracts.models import Level
from contracts.wording import rule_sentence
from core.errors import ApplicationError, Conflict, NotPermitted
from core.querystring import query_without
from core.versions import fragment, fragments_shared
from schools.policies import roles_of
from schools.selectors import network_choices_for_user, school_get_for_user

FLAG_PAGE_SIZE = 50


def _only_for(policy):
    """A page that only those the policy allows find: for anyone else there is no such page (404).
    Goes under login_required, so a visitor who is not logged in is sent to log in first."""

    def decorate(view):
        @wraps(view)
        def view_if_allowed(request, *args, **kwargs):
            if not policy(request.user):
                raise Http404("No such page.")
            return view(request, *args, **kwargs)

        return view_if_allowed

    return decorate


def _flag_rows_kept(user, page, chosen: dict) -> str:
    """The list's rows for central office, who all see every school's flags and the same rows: rendered
    once per filter, page and language and kept in the shared cache under the versions of what they show.
    A flag changes by a person's step ("flags", accountability.services.flags) or by an evaluation run
    ("evaluation", moved when a run commits: it opens, raises, pauses, resumes and marks flags cleared in
    bulk); the school's name, network and liaison are "schools". Nothing in a row depends on today's date.
    Empty for anyone else, whose rows are drawn for them, for a page with no flag and where nothing may be
    kept (core.versions.fragments_shared)."""
    if not (fragments_shared() and roles_of(user).is_central_office and page.paginator.count):
        return ""

    def build() -> str:
        return render_to_string("accountability/flag_list.html#flag-rows", {"page": page, "live": LIVE_FLAG_STATUSES})

    parts = (*(chosen[name] or "" for name in ("network", "liaison", "level", "status")), page.number)
    return mark_safe(fragment("flag-rows", ("flags", "evaluation", "schools"), parts, build))  # noqa: S308


@require_safe
@login_required
@_only_for(can_view_flags)
def flag_list(request):
    user = request.user
    form = FlagFilterForm(
        request.GET or None,
        networks=network_choices_for_user(user=user),
        liaisons=selectors.liaison_choices_for_user(user=user),
    )
    filters = form.cleaned_data if form.is_valid() else {}
    chosen = {
        "network": filters.get("network"),
        "liaison": filters.get("liaison"),
        "level": filters.get("level"),
        "status": filters.get("status", ""),
    }
    flags = selectors.flag_list_for_user(user=user, **chosen)
    page = Paginator(flags, FLAG_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "page": page,
        "rows_kept": _flag_rows_kept(user, page, chosen),
        "querystring": query_without(request.GET, "page"),
        "live": LIVE_FLAG_STATUSES,
    }
    template = "accountability/flag_list.html"
    if request.htmx:
        template += "#flag-table"
    return render(request, template, context)


# --- one flag -----------------------------------------------------------------------------------

SERVICES = {
    "acknowledge": (flag_acknowledge, ("note",)),
    "submit_plan": (flag_submit_plan, ("plan",)),
    "resolve": (flag_resolve, ("note",)),
    "escalate": (flag_escalate, ("note", "expected_level")),
}
DONE = {
    "acknowledge": gettext_lazy("You acknowledged the flag; the principal has been told."),
    "submit_plan": gettext_lazy("Your improvement plan was submitted; your liaison has been told."),
    "resolve": gettext_lazy("The flag is resolved; the school has been told."),
    "escalate": gettext_lazy("The flag was raised one level; the school has been sent its new notice."),
}


def _flag_form(action: str, flag, data=None, text: dict | None = None):
    initial = {"expected_status": flag.status, "expected_level": flag.level, **(text or {})}
    return FLAG_FORMS[action](data, auto_id=f"{action}_%s", initial=initial)


def _render_detail(request, flag, *, bound: dict | None = None, status: int = 200, refusal: str = ""):
    bound = bound or {}
    forms = {
        action: bound.get(action) or _flag_form(action, flag)
        for action in FLAG_WORKFLOW.person_actions
        if can_take_flag_action(request.user, flag, action)
    }
    rule = flag.evidence.get("rule", {})
    at_stake = bound_grants(flag, live_only=False) if "contract" in rule else []
    context = {
        "flag": flag,
        "school": flag.school,
        "level_label": rung_words(flag.level),
        "next_level_label": rung_words(flag.level + 1),
        "ladder": [(value, label, value == flag.level) for value, label in Level.choices],
        "rule_sentence": rule_sentence(flag.rule),
        "provision_quote": provision_quote(flag),
        "has_deadline": rung_has_deadline(flag.level),
        "next_has_deadline": rung_has_deadline(flag.level + 1),
        "in_cure_period": flag.level == Level.AT_RISK,
        "at_stake": at_stake,
        "next_rung_does": rung_consequence(
            flag.level + 1, [g.autonomy.name for g in at_stake if g.status in LIVE_GRANT_STATUSES]
        ),
        "rule_as_it_was": (
            _("%(when)s: %(level)s")
            % {"when": when_words(rule["condition"], rule.get("count")), "level": rung_words(rule.get("level")).lower()}
            if rule.get("condition")
            else ""
        ),
        "evidence": selectors.flag_evidence(flag=flag),
        "run_as_of": flag.evidence.get("run_as_of", ""),
        "events": [(event, _event_heading(event)) for event in flag.events.all()],
        "forms": forms,
        "refusal": refusal,
        "is_live": flag.status in LIVE_FLAG_STATUSES,
    }
    return render(request, "accountability/flag_detail.html", context, status=status)


def _event_heading(event) -> str:
    if event.action == "open":
        return _("Opened")
    if event.action == "escalate":
        return _("Raised one level")
    if event.action == "cure":
        return _("Autonomy cured")
    if event.action in ("pause", "resume"):  # central office's side of the contract
        return _("Intervention clock paused") if event.action == "pause" else _("Intervention clock resumed")
    words = dict(FlagStatus.choices)
    was = words.get(event.from_status, event.from_status).lower()
    return _("%(status)s (was %(was)s)") % {"status": words.get(event.to_status, event.to_status), "was": was}


@require_safe
@login_required
def flag_detail(request, pk):
    return _render_detail(request, selectors.flag_get_for_user(user=request.user, pk=pk))


@require_POST
@login_required
def flag_action(request, pk, action):
    if action not in SERVICES:
        raise Http404("No such step.")
    flag = selectors.flag_get_for_user(user=request.user, pk=pk)
    if not (decision := can_attempt_flag_action(request.user, flag, action)):
        return _render_detail(request, flag, status=403, refusal=decision.reason)
    form = _flag_form(action, flag, request.POST)
    if not form.is_valid():
        return _render_detail(request, flag, bound={action: form}, status=400)
    service, fields = SERVICES[action]
    data = form.cleaned_data
    try:
        service(
            actor=request.user,
            flag_id=flag.pk,
            expected_status=data["expected_status"],
            **{name: data[name] for name in fields},
        )
    except Conflict as error:
        # Show the flag as it is now; keep what the person wrote, against the state they now see.
        flag = selectors.flag_get_for_user(user=request.user, pk=pk)
        kept = {name: data[name] for name in ("note", "plan") if name in data}
        return _render_detail(
            request, flag, bound={action: _flag_form(action, flag, text=kept)}, status=409, refusal=error.message
        )
    except NotPermitted as error:
        return _render_detail(request, flag, status=403, refusal=error.message)
    except ApplicationError as error:
        form.add_application_error(error)
        return _render_detail(request, flag, bound={action: form}, status=400)
    messages.success(request, DONE[action])
    return redirect("accountability:flag_detail", flag.pk)


# --- a school's results ---------------------------------------------------------------------------


@require_safe
@login_required
def school_results(request, code):
    school = school_get_for_user(user=request.user, code=code)
    context = {"school": school, "results": selectors.school_results(school=school)}
    return render(request, "accountability/school_results.html", context)


# --- the evaluation runs ----------------------------------------------------------------------------


def _counts(counts: dict) -> list[tuple[str, int]]:
    return [(COUNT_LABELS[key], counts.get(key, 0)) for key in SUMMARY_KEYS]


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
@_only_for(can_run_evaluation)
def evaluation_runs(request):
    form = EvaluationRunForm(request.POST if request.method == "POST" else None)
    status, preview, refusal = 200, None, ""
    if request.method == "POST":
        status = 400
        if form.is_valid():
            as_of, dry_run = form.cleaned_data["as_of"], "preview" in request.POST
            # The API starts a run through the same service, with the same answer to a run in progress.
            try:
                run = evaluation_run_request(actor=request.user, as_of=as_of, dry_run=dry_run)
            except RunInProgress as busy:
                hint = " Try the preview again when it has finished." if dry_run else ""
                status, refusal = 409, busy.message + hint
            except ApplicationError as error:
                form.add_application_error(error)
            else:
                if not dry_run:
                    messages.success(request, f"The evaluation as of {as_of:%B %-d, %Y} was started.")
                    return redirect("accountability:evaluation_runs")
                status, preview = 200, run
    return _render_runs(request, form=form, preview=preview, refusal=refusal, status=status)


def _render_runs(request, *, form=None, preview=None, refusal: str = "", status: int = 200):
    runs = selectors.runs_recent()
    context = {
        "form": form or EvaluationRunForm(),
        "preview": preview,
        "preview_counts": _counts(preview.counts) if preview else [],
        "refusal": refusal,
        "runs": [(run, _counts(run.counts)) for run in runs],
        "running": any(run.status == RunStatus.RUNNING for run in runs),
        "run_decisions": [("confirm", "Confirm", ""), ("discard", "Discard", " button-secondary")],
    }
    template = "accountability/evaluation_runs.html"
    if request.htmx:
        template += "#run-table"
    return render(request, template, context, status=status)


RUN_DECISIONS = {
    "confirm": (evaluation_run_confirm, "The run as of {:%B %-d, %Y} was confirmed and carried out."),
    "discard": (evaluation_run_discard, "The run as of {:%B %-d, %Y} was discarded: nothing was changed."),
}


@require_POST
@login_required
def evaluation_run_decide(request, decision):
    """An admin's answer to a held run: confirm carries it out, discard drops it; 409 if it is not held now."""
    if decision not in RUN_DECISIONS or not can_run_evaluation(request.user):
        raise Http404("No such page.")
    form = EvaluationRunForm(request.POST)
    if not form.is_valid():
        return _render_runs(request, refusal="That run's date was not understood.", status=400)
    as_of = form.cleaned_data["as_of"]
    service, done = RUN_DECISIONS[decision]
    try:
        service(actor=request.user, as_of=as_of)
    except RunInProgress as busy:
        return _render_runs(request, refusal=f"{busy} Try again when it has finished.", status=409)
    except Conflict as error:
        return _render_runs(request, refusal=error.message, status=409)
    except NotPermitted as error:
        return _render_runs(request, refusal=error.message, status=403)
    messages.success(request, done.format(as_of))
    return redirect("accountability:evaluation_runs")


# --- schools newly eligible for an earned autonomy ---------------------------------------------------

ELIGIBLE_PAGE_SIZE = 50


@require_safe
@login_required
@_only_for(can_run_evaluation)
def eligibility_findings(request):
    return _render_eligible(request)


def _render_eligible(request, *, refusal: str = "", status: int = 200):
    page = Paginator(selectors.eligibility_findings_open(), ELIGIBLE_PAGE_SIZE).get_page(request.GET.get("page"))
    findings = list(page.object_list)
    criteria = [{"criteria": f.evidence.get("criteria", [])} for f in findings]
    metrics = evidence_metrics(criteria)  # one query for the page, however many findings
    calls = selectors.calls_open_offering(autonomy_ids={f.autonomy_id for f in findings}, today=timezone.localdate())
    context = {
        "page": page,
        "rows": [
            (f, evidence_summary(c, metrics=metrics), calls.get(f.autonomy_id))
            for f, c in zip(findings, criteria, strict=True)
        ],
        "can_invite": bool(can_invite_eligible_school(request.user)),
        "can_open_calls": bool(can_manage_autonomy(request.user)),
        "refusal": refusal,
    }
    template = "accountability/eligibility_findings.html"
    if request.htmx:
        template += "#eligible-table"
    return render(request, template, context, status=status)


@require_POST
@login_required
@_only_for(can_run_evaluation)
def eligibility_finding_invite(request, pk):
    """Invite the school of a finding to request the autonomy; 409 naming when, if it was invited already."""
    finding = selectors.eligibility_finding_get(pk=pk)
    try:
        finding = eligibility_invite(actor=request.user, finding_id=finding.pk)
    except Conflict as error:
        return _render_eligible(request, refusal=error.message, status=409)
    except NotPermitted as error:
        return _render_eligible(request, refusal=error.message, status=403)
    except ApplicationError as error:
        return _render_eligible(request, refusal=error.message, status=400)
    messages.success(
        request, f"{finding.school.name} was invited to request “{finding.autonomy.name}”; its principal has been told."
    )
    return redirect("accountability:eligibility_findings")
