"""Requests in every state of the workflow, in an open call, made through the services as a principal,
the reviewers and the autonomy office would make them."""

import datetime

from django.utils import timezone

from autonomy.models import LIVE_STATUSES, Autonomy, AutonomyGrant, ItemDecision, Recommendation, RequestStatus
from autonomy.services import (
    ItemChoice,
    OutcomeInput,
    call_create,
    request_comment,
    request_create,
    request_decide,
    request_decline,
    request_item_clarify,
    request_return,
    request_set_autonomies,
    request_set_outcomes,
    request_submit,
    request_update_items,
    request_update_plan,
    request_withdraw,
)
from demo.services.builder import DistrictBuilder, principals_of, school_year_label
from schools.models import ReviewFunction

OFFERED = [
    "program.curriculum",
    "program.assessment",
    "program.offerings",
    "time.learning_time",
    "people.evaluation",
    "money.budget",
    "people.staffing_model",
]
ASKED = ("program.curriculum", "time.learning_time")
# Where each school's request stops, from S0002 on: a state of the workflow, or, last, a request under
# review with one item clarified as already allowed.
SCENES = [
    RequestStatus.DRAFT,
    RequestStatus.SUBMITTED,
    RequestStatus.UNDER_REVIEW,
    RequestStatus.CHANGES_REQUESTED,
    RequestStatus.APPROVED,
    RequestStatus.DECLINED,
    RequestStatus.WITHDRAWN,
    ItemDecision.CLARIFIED,
]


def requests_scene(district: DistrictBuilder) -> None:
    """School S0001 is left free, so the demo principal can start a request of their own."""
    RequestScenes(district).build()


class RequestScenes:
    def __init__(self, district: DistrictBuilder):
        # A request asks only for decisions its school does not hold: the scenes go to schools without them.
        holders = set(
            AutonomyGrant.objects.filter(autonomy__code__in=ASKED, status__in=LIVE_STATUSES).values_list(
                "school_id", flat=True
            )
        )
        schools = [district.schools[0]] + [s for s in district.schools[1:] if s.pk not in holders][: len(SCENES)]
        self.schools = schools
        self.principals = principals_of(schools)
        self.admin = district.staff["admin"]
        self.academics = district.staff[f"reviewer-{ReviewFunction.ACADEMICS}"]
        self.operations = district.staff[f"reviewer-{ReviewFunction.OPERATIONS}"]
        self.year = district.years[-1]

    def build(self) -> None:
        today = timezone.localdate()
        call = call_create(
            actor=self.admin,
            title=f"{self.year.label} call for proposals",
            opens_on=today - datetime.timedelta(days=20),
            closes_on=today + datetime.timedelta(days=25),
            autonomies=list(Autonomy.objects.filter(code__in=OFFERED)),
            guidance="Propose the decisions your school needs to reach its goals, and the results you will be held to.",
            questions=[
                "Which students will benefit, and how will you know?",
                "How were teachers and families involved in this proposal?",
            ],
        )
        for school, scene in zip(self.schools[1:], SCENES, strict=False):
            self._scene(call, school, scene)

    def _future(self, years_ahead: int) -> str:
        return school_year_label(self.year.start_date.year + years_ahead)

    def _draft(self, call, school):
        principal = self.principals[school.pk]
        request = request_create(actor=principal, school=school, call=call)
        ids = [a.pk for a in call.autonomies.all() if a.code in ASKED]
        request_set_autonomies(actor=principal, request_id=request.pk, autonomy_ids=ids)
        request_update_items(
            actor=principal,
            request_id=request.pk,
            items={
                item.pk: {
                    "justification": f"Our students need this: {item.autonomy.description}",
                    "barrier": "Curriculum adoption procedure AP-6161 requires the district-wide list."
                    if item.autonomy.code == "program.curriculum"
                    else "",
                }
                for item in request.items.select_related("autonomy")
            },
        )
        request_update_plan(
            actor=principal,
            request_id=request.pk,
            plan="A two-year plan: pilot in grades 3-5, extend school-wide in year two, with monthly data reviews.",
            answers={
                q.pk: "Described in the plan; reviewed with the school site council." for q in call.questions.all()
            },
        )
        request_set_outcomes(
            actor=principal,
            request_id=request.pk,
            outcomes=[
                OutcomeInput("ela_proficiency", "", "50", self._future(2)),
                OutcomeInput("chronic_absenteeism", "", "12", self._future(1)),
            ],
        )
        return request, principal

    def _scene(self, call, school, scene) -> None:
        request, principal = self._draft(call, school)
        if scene == RequestStatus.DRAFT:
            return
        if scene == RequestStatus.WITHDRAWN:
            request_withdraw(actor=principal, request_id=request.pk)
            return
        request_submit(actor=principal, request_id=request.pk)
        if scene == RequestStatus.SUBMITTED:
            return
        self._reviews(request, recommend=scene in (RequestStatus.APPROVED, ItemDecision.CLARIFIED))
        items = {item.autonomy.code: item for item in request.items.select_related("autonomy")}
        if scene == RequestStatus.CHANGES_REQUESTED:
            request_return(actor=self.admin, request_id=request.pk, note="Name the curriculum and the training plan.")
        elif scene == RequestStatus.DECLINED:
            request_decline(
                actor=self.admin, request_id=request.pk, note="The budget cannot fund a longer day this year."
            )
        elif scene == RequestStatus.APPROVED:
            request_decide(
                actor=self.admin,
                request_id=request.pk,
                choices={
                    items["program.curriculum"].pk: ItemChoice(ItemDecision.APPROVED),
                    items["time.learning_time"].pk: ItemChoice(
                        ItemDecision.DECLINED, note="Transport contracts are fixed this year."
                    ),
                },
            )
        elif scene == ItemDecision.CLARIFIED:
            request_item_clarify(
                actor=self.academics,
                item_id=items["program.curriculum"].pk,
                explanation="AP-6161 governs the core adoption only; schools may choose supplemental curriculum today.",
            )

    def _reviews(self, request, *, recommend: bool) -> None:
        """Academics asks the school a question, recommending approval or not; operations notes a constraint."""
        request_comment(
            actor=self.academics,
            request_id=request.pk,
            body="Which curriculum will you adopt, and how will you train teachers on it?",
            to_school=True,
            recommendation=Recommendation.APPROVE if recommend else Recommendation.NONE,
            function=ReviewFunction.ACADEMICS,
        )
        request_comment(
            actor=self.operations,
            request_id=request.pk,
            body="Transport can support a later dismissal if we know by March.",
            function=ReviewFunction.OPERATIONS,
        )
