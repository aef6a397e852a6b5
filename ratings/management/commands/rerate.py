"""manage.py rerate [--all [--workers N] | --due | --credit-code CODE]
manage.py rerate --all --rules VERSION --dry-run [--report OUT.xlsx]  (a replay, writes nothing)"""

from django.core.management.base import BaseCommand, CommandError, CommandParser

from employers.credit_code import normalise_credit_code
from employers.models import Employer
from ratings import rules
from ratings.repair.replay import ReplayExport, ratings_replay
from ratings.services import employer_rerate, employers_rerate_bulk, fanout, ratings_rerate_due


class Command(BaseCommand):
    help = (
        "Recompute ratings: --all every employer, --due those whose next-change date has come "
        "(the daily sweep; also employers without a rating), --credit-code one employer. "
        "With --rules VERSION --dry-run: replay every employer under that rule set and report "
        "who would change, writing nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        which = parser.add_mutually_exclusive_group(required=True)
        which.add_argument("--all", action="store_true", help="every employer")
        which.add_argument("--due", action="store_true", help="ratings whose next change has come")
        which.add_argument("--credit-code", metavar="CODE", help="one employer")
        parser.add_argument(
            "--rules",
            metavar="VERSION",
            help=f"replay under this rule set ({', '.join(rules.RULE_SETS)}); needs --dry-run",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="write nothing (with --rules: the replay)"
        )
        parser.add_argument(
            "--report", metavar="OUT.xlsx", help="with --rules: each employer that would change"
        )
        parser.add_argument(
            "--workers",
            type=int,
            default=0,
            metavar="N",
            help="with --all: split the employers into chunks for N Celery workers and wait "
            "for the run (recorded as a RerateRun)",
        )

    def handle(self, *args: object, **options: object) -> None:
        if options["rules"] or options["dry_run"] or options["report"]:
            self._replay(options)
            return
        if options["credit_code"]:
            code = normalise_credit_code(str(options["credit_code"]))
            employer_id = (
                Employer.objects.filter(credit_code=code).values_list("pk", flat=True).first()
            )
            if employer_id is None:
                raise CommandError(f"no employer with credit code {code}")
            rating = employer_rerate(employer_id=employer_id, cause="command")
            self.stdout.write(f"{code} level={rating.level} clauses={rating.clause_codes or '-'}")
            return
        if options["all"] and options["workers"]:
            run = fanout.rerate_run_wait(
                fanout.rerate_run_start(workers=int(options["workers"]), cause="full")
            )
            if run.failed:
                raise CommandError(f"rerate run {run.pk} failed: {run.error}")
            self.stdout.write(fanout.run_summary(run).line)
            return
        summary = ratings_rerate_due() if options["due"] else employers_rerate_bulk(cause="full")
        self.stdout.write(summary.line)

    def _replay(self, options: dict) -> None:
        # A replay changes nothing, so it must say so on the command line: a typo of --dry-run
        # must never turn a what-if into a district-wide switch.
        if not (options["all"] and options["rules"] and options["dry_run"]):
            raise CommandError("a replay is: rerate --all --rules VERSION --dry-run [--report]")
        report = options["report"]
        if report and not str(report).lower().endswith(".xlsx"):
            raise CommandError(f"{report}: the report file name must end in .xlsx")
        try:
            summary = ratings_replay(ruleset_id=str(options["rules"]))
        except rules.UnknownRuleSet as exc:
            raise CommandError(
                f"unknown rule set {exc.ruleset_id}; known: {', '.join(exc.known)}"
            ) from None
        if report:
            ReplayExport().write(str(report), summary.changes)
        self.stdout.write(summary.line)
