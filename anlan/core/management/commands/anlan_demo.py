"""`manage.py anlan_demo`: build the demo county (来安县) into an empty database and print the logins."""

import time

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from anlan.core import demo
from anlan.core.models import Enterprise


class Command(BaseCommand):
    help = "Build the deterministic demo county (来安县: towns, villages, grids, departments, enterprises, users)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--seed", type=int, default=demo.DEFAULT_SEED, help="random seed (default %(default)s)"
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="if any enterprise exists, build nothing and only print the demo logins",
        )
        parser.add_argument(
            "--password",
            default=demo.DEFAULT_PASSWORD,
            help="password of every demo user (default %(default)s)",
        )

    def handle(self, *args, seed, if_empty, password, **options):
        if if_empty and Enterprise.objects.exists():
            self.stdout.write(_("数据库中已有生产经营单位，未生成演示数据。"))
            password_note = _("演示用户的密码为生成时所设（默认 %(password)s）。") % {
                "password": demo.DEFAULT_PASSWORD
            }
        else:
            started = time.perf_counter()
            try:
                result = demo.build_demo(seed, password=password)
            except demo.DemoNotEmpty as exc:
                raise CommandError(
                    _("不能生成演示数据：%(reason)s 请使用空数据库，或加 --if-empty。") % {"reason": exc}
                ) from exc
            counts = _("，").join(f"{label} {number}" for label, number in result.counts.items())
            self.stdout.write(
                self.style.SUCCESS(
                    _("已生成演示数据（种子 %(seed)s，用时 %(seconds).1f 秒）：%(counts)s。")
                    % {"seed": seed, "seconds": time.perf_counter() - started, "counts": counts}
                )
            )
            password_note = _("所有演示用户的密码：%(password)s") % {"password": password}
        self.stdout.write("")
        self.stdout.write(demo.format_logins(demo.demo_logins()))
        self.stdout.write("")
        self.stdout.write(password_note)
