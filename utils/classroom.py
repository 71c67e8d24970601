"""Teaching a class: nbgrader plug-ins for the late-submission policy and the LMS grades export.

Both are wired in the course's ``nbgrader_config.py`` (late penalty) or chosen on the command
line (export); deploy/README.md explains the classroom they are used in.

* :class:`LatePenalty` – the course's stated policy: **each started day (24 h) after the due date
  costs 10 % of the points the notebook earned; from 10 days on, nothing is left.** Due dates are
  per chapter, in the gradebook (Formgrader's *Manage Assignments*, or
  ``nbgrader db assignment add ch01_tensors --duedate="2026-03-09 23:59 Asia/Seoul"``); a chapter
  without a due date is never late.
* :class:`CellGradesExport` – ``nbgrader export --exporter=utils.classroom.CellGradesExport
  --to grades-by-cell.csv``: one row per student, one column per graded cell
  (``ch01_tensors:test_affine``), then one column per chapter with its total after the late
  penalty, and a first data row ``Points Possible`` (the convention Canvas's and Moodle's CSV
  gradebook imports understand; delete that row for an LMS that does not want it).
"""

from __future__ import annotations

import csv
import math

from nbgrader.api import Gradebook, MissingEntry
from nbgrader.plugins import ExportPlugin, LateSubmissionPlugin
from traitlets import Float, Int

DAY = 24 * 60 * 60


class LatePenalty(LateSubmissionPlugin):
    """Each started day late costs ``fraction_per_day`` of the notebook's earned score."""

    fraction_per_day = Float(0.1, help="share of the earned points lost per started day late").tag(config=True)
    grace_seconds = Int(0, help="lateness forgiven (e.g. 300 for a clock or upload delay)").tag(config=True)

    def late_submission_penalty(self, student_id: str, score: float, total_seconds_late: float) -> float:
        late = float(total_seconds_late) - self.grace_seconds
        if late <= 0 or score <= 0:
            return 0.0
        days = math.ceil(late / DAY)
        share = min(1.0, days * self.fraction_per_day)
        penalty = round(score * share, 6)  # points, never more than the score
        self.log.warning("%s: %d day(s) late, %.0f %% of %s points deducted", student_id, days, share * 100, score)
        return min(penalty, float(score))


class CellGradesExport(ExportPlugin):
    """One row per student, one column per graded cell, then each chapter's total (see module doc)."""

    def export(self, gradebook: Gradebook) -> None:
        dest = self.to or "grades-by-cell.csv"
        assignments = [a for a in gradebook.assignments if not self.assignment or a.name in self.assignment]
        students = [s for s in gradebook.students if not self.student or s.id in self.student]
        columns = []  # (assignment, notebook, cell, max score)
        for assignment in sorted(assignments, key=lambda a: a.name):
            for notebook in sorted(assignment.notebooks, key=lambda n: n.name):
                for cell in sorted(notebook.grade_cells, key=lambda c: c.name):  # the gradebook keeps no order
                    columns.append((assignment.name, notebook.name, cell.name, cell.max_score))
        header = ["student_id", "last_name", "first_name", "email"]
        header += [f"{a}:{cell}" if nb == a else f"{a}/{nb}:{cell}" for a, nb, cell, _ in columns]
        header += [f"{a.name} total" for a in sorted(assignments, key=lambda a: a.name)]
        possible = ["Points Possible", "", "", ""] + [_num(m) for *_, m in columns]
        possible += [_num(a.max_score) for a in sorted(assignments, key=lambda a: a.name)]
        rows = []
        for student in sorted(students, key=lambda s: s.id):
            row = [student.id, student.last_name or "", student.first_name or "", student.email or ""]
            for a, nb, cell, _ in columns:
                try:
                    grade = gradebook.find_grade(cell, nb, a, student.id)
                except MissingEntry:
                    row.append("")  # not submitted: empty, so an LMS does not record a 0 it cannot tell apart
                else:
                    row.append(_num(grade.score))
            for assignment in sorted(assignments, key=lambda a: a.name):
                try:
                    submission = gradebook.find_submission(assignment.name, student.id)
                except MissingEntry:
                    row.append("")
                else:
                    row.append(_num(max(0.0, submission.score - submission.late_submission_penalty)))
            rows.append(row)
        self.log.info("Exporting %d students x %d graded cells to %s", len(rows), len(columns), dest)
        with open(dest, "w", newline="", encoding="utf-8") as fh:
            writer = csv.writer(fh)
            writer.writerow(header)
            writer.writerow(possible)
            writer.writerows(rows)


def _num(value) -> str:
    """``7`` not ``7.0``; up to 6 decimals otherwise (the penalty is rounded to 6)."""
    value = float(value or 0.0)
    return str(int(value)) if value == int(value) else f"{value:.6f}".rstrip("0")
