"""The one home of every free-text field's maximum length. The pages' forms (core.forms.text_area), the
API's serializers (core.api.fields.text) and the services that write the text (core.workflows.limited_text)
all read their limit from here, so a value refused on one path is refused on every path.

Why here and not as max_length on the models: these are TextFields, whose max_length only its model form
would honour (the database would not), and the pages here use plain forms, not model forms. A database
CheckConstraint would hold the limit in PostgreSQL too, but every write already goes through a service
that checks it, and a constraint would need a migration each time a limit moves. Titles and names are
CharFields: SHORT_TEXT matches their max_length=200, which the database does enforce.
"""

# A title or a name typed as a signature (the models' CharField(max_length=200)).
SHORT_TEXT = 200
# One question a call asks every proposal (CallQuestion.text is a CharField(max_length=500)).
QUESTION_TEXT = 500
# A contract's summary or a step's reason on the contract's record; the evidence a grant step relied on.
BRIEF_TEXT = 2_000
# A note or reason a person reads at a glance: a decision or return note, a grant's reason, a flag's note,
# the clarification every school is shown, what a school must meet to keep a grant.
NOTE_TEXT = 4_000
# Prose a school or reviewer writes at length: a request's justification, barrier, plan and answers, a
# reviewer's comment, a call's guidance, an improvement plan.
LONG_TEXT = 20_000
