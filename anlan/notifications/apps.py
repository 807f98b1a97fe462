from django.utils.translation import gettext_lazy as _

from anlan.core import contract


class NotificationsConfig(contract.ModuleConfig):
    name = "anlan.notifications"
    label = "notifications"
    verbose_name = _("消息通知")

    def contribute(self, c: contract.Contributions) -> None:
        c.urls("notifications/", "anlan.notifications.urls")
        c.header("notifications/_bell_item.html", order=10)
        c.api("notifications", "anlan.notifications.api.NotificationViewSet", "notification")
        c.on("core.job_finished", "anlan.notifications.handlers.job_finished")
        c.matrix("anlan.notifications.tests.matrix")
