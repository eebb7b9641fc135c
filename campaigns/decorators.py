"""The pages of one campaign that the stages above it add (the chain's progress, the review, the
public notice and the naming): the campaign loaded from the user's scope, then a permission on it."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from .models import Campaign
from .selectors import campaigns_visible_to


def organiser_campaign(perm: str):
    """Load the campaign from the user's scope (404 outside it), then require `perm` on it (403)."""

    def decorator(view):
        @login_required
        @wraps(view)
        def wrapped(request, pk, *args, **kwargs):
            campaign = get_object_or_404(
                campaigns_visible_to(request.user).exclude(status=Campaign.Status.DRAFT), pk=pk
            )
            if not request.user.has_perm(perm, campaign):
                raise PermissionDenied
            return view(request, campaign, *args, **kwargs)

        return wrapped

    return decorator
