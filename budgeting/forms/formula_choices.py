"""Choosing a formula version and an enrollment snapshot among those a page offers: the allocation form
computes one on the other, the scenario form changes one and runs it on the other. Each form keeps its own
fields and names a formula in its own words (`formula_label`)."""


class FormulaSnapshotChoices:
    """For a form with `formula` and `snapshot` choice fields coerced to ids; the view passes the lists."""

    def __init__(self, *args, formulas, snapshots, **kwargs):
        super().__init__(*args, **kwargs)
        self.formulas = {f.pk: f for f in formulas}
        self.snapshots = {s.pk: s for s in snapshots}
        self.fields["formula"].choices = [("", "Choose a formula")] + [(f.pk, self.formula_label(f)) for f in formulas]
        self.fields["snapshot"].choices = [("", "Choose an enrollment")] + [(s.pk, str(s)) for s in snapshots]

    @staticmethod
    def formula_label(formula) -> str:
        raise NotImplementedError

    def chosen(self):
        return self.formulas[self.cleaned_data["formula"]], self.snapshots[self.cleaned_data["snapshot"]]
