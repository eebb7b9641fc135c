"""The ZIP of a naming decision's certificates: asked for by the organiser's staff, its progress read
(and polled with htmx) and downloaded by everyone who may see the naming page."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from campaigns.decorators import organiser_campaign
from campaigns.downloads import private_file_response

from ..certificates import bundle_filename, certificate_bundle_request
from ..errors import AwardsError
from ..models import CertificateBundle, NamingDecision


def _bundle_of(campaign, pk: int) -> CertificateBundle:
    """The bundle `pk` of the campaign's decision: another campaign's bundle is no page of this one."""
    return get_object_or_404(
        CertificateBundle.objects.select_related("decision", "requested_by"), pk=pk, decision__campaign=campaign
    )


@require_POST
@organiser_campaign("awards.manage_awards")
def bundle_new(request, campaign):
    decision = get_object_or_404(NamingDecision, campaign=campaign)
    try:
        bundle, created = certificate_bundle_request(actor=request.user, decision=decision)
    except AwardsError as error:
        messages.error(request, str(error))
        return redirect("awards:naming", pk=campaign.pk)
    if not created:
        messages.info(request, _("The ZIP of these certificates is being built already: here is its progress."))
    return redirect("awards:bundle", pk=campaign.pk, bundle=bundle.pk)


@organiser_campaign("awards.view_objections")
def bundle_detail(request, campaign, bundle):
    """The bundle's progress: the page, or (to htmx polling it) the part that changes."""
    bundle = _bundle_of(campaign, bundle)
    context = {"campaign": campaign, "decision": bundle.decision, "bundle": bundle}
    response = render(request, "awards/_bundle.html" if request.htmx else "awards/bundle.html", context)
    patch_vary_headers(response, ["HX-Request"])
    return response


@organiser_campaign("awards.view_objections")
def bundle_download(request, campaign, bundle):
    bundle = _bundle_of(campaign, bundle)
    if bundle.state != CertificateBundle.State.DONE:
        messages.info(request, _("The ZIP is not ready yet: it can be downloaded once every certificate is in it."))
        return redirect("awards:bundle", pk=campaign.pk, bundle=bundle.pk)
    if not bundle.file or not bundle.file.storage.exists(bundle.file.name):
        raise Http404
    return private_file_response(bundle.file, filename=bundle_filename(bundle), content_type="application/zip")
