"""The audit-trail page for staff and auditors."""

from django.conf import settings
from django_filters.views import FilterView
from rules.contrib.views import PermissionRequiredMixin

from core.pagination import BoundedPaginator

from .filters import AuditEventFilter
from .selectors import events_visible_to


class AuditEventListView(PermissionRequiredMixin, FilterView):
    permission_required = "audit.view_trail"
    filterset_class = AuditEventFilter
    template_name = "audit/event_list.html"
    paginate_by = settings.PAGE_SIZE
    paginator_class = BoundedPaginator
    strict = False

    def get_queryset(self):
        return events_visible_to(self.request.user)
