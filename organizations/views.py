import functools

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.invitations import pending_invitation_accepted, pending_invitation_add
from dialog_portal import versions
from dialog_portal.languages import use_written_standard
from dialog_portal.pagecache import public_page
from dialog_portal.permissions import can, rule_required
from dialog_portal.service_errors import show_as_messages

from . import brreg, exports, selectors, services
from .forms import (
    AssociationForm,
    AssociationRegisterForm,
    BrregLookupForm,
    ClaimForm,
    HideForm,
    InvitationForm,
    MembershipRoleForm,
    MunicipalityContactForm,
    MunicipalLeaderFormSet,
    PartyLeaderFormSet,
    RejectForm,
)
from .models import Membership, MembershipRequest, Municipality, StaffResource
from .profile_sections import profile_sections
from .selectors import INVITATION_KIND, municipalities_for_staff


def _municipality(request, number):
    return get_object_or_404(Municipality, number=number)


@login_required
@rule_required("organizations.view_staff_pages")
def staff_home(request):
    municipalities = municipalities_for_staff(user=request.user)
    return render(
        request,
        "organizations/staff_home.html",
        {"municipalities": municipalities, "counties": selectors.counties_for_staff(user=request.user)},
    )


@login_required
@rule_required("organizations.view_staff_pages")
def staff_resources(request):
    """Knowledge for staff on the breadth of volunteering, as the site admins keep it."""
    return render(
        request,
        "organizations/staff_resources.html",
        {"resources": StaffResource.objects.filter(published=True).order_by("position", "pk")},
    )


@login_required
@rule_required("organizations.change_municipality_contact", fn=_municipality)
def municipality_edit(request, number):
    municipality = _municipality(request, number)
    form = MunicipalityContactForm(request.POST or None, instance=municipality)
    leaders = PartyLeaderFormSet(request.POST or None, instance=municipality, prefix="partiledere")
    councillors = MunicipalLeaderFormSet(request.POST or None, instance=municipality, prefix="folkevalgte")
    if request.method == "POST" and all([form.is_valid(), leaders.is_valid(), councillors.is_valid()]):
        with transaction.atomic():
            form.save()
            leaders.save()
            councillors.save()
        messages.success(request, _("Opplysningene om kommunen er lagret."))
        return redirect("organizations:municipality_edit", number=municipality.number)
    return render(
        request,
        "organizations/municipality_edit.html",
        {"municipality": municipality, "form": form, "leaders": leaders, "councillors": councillors},
    )


def _association(request, slug):
    association = selectors.association_for_profile(slug=slug)
    if association is None:
        raise Http404
    return association


@public_page("directory")
def directory(request):
    filters = selectors.DirectoryFilters.from_query(request.GET)
    # The filter lists and the page's HTML are cached under this version, which every change to
    # the associations, their terms, the vocabularies or the municipalities renews. The list is
    # built only when the template needs it: not when the cached HTML is used.
    version = versions.current("directory")
    if filters.kommune:
        # A visitor who has not chosen a language reads a municipality's directory in its målform.
        for municipality in selectors.directory_filter_choices(version=version)["municipalities"]:
            if municipality["number"] == filters.kommune:
                use_written_standard(request, municipality["written_standard"])

    @functools.cache
    def listing():
        choices = selectors.directory_filter_choices(version=version)
        counts = selectors.directory_counts(municipality_number=filters.kommune)
        page = selectors.directory_page(
            user=request.user,
            filters=filters,
            counts=counts,
            number=request.GET.get("side"),
            categories=choices["kategori"],
        )
        category_counts = selectors.category_counts(categories=choices["kategori"], counts=counts)
        return {"page": page, "choices": choices, "category_counts": category_counts}

    return render(
        request,
        "organizations/directory.html",
        {
            "page": SimpleLazyObject(lambda: listing()["page"]),
            "choices": SimpleLazyObject(lambda: listing()["choices"]),
            "category_counts": SimpleLazyObject(lambda: listing()["category_counts"]),
            "filters": filters,
            "directory_version": version,
            "part_timeout": versions.PART_TIMEOUT,
            # Signed-in users may also see pending associations: their pages are never cached.
            "page_timeout": 0 if request.user.is_authenticated else versions.PART_TIMEOUT,
        },
    )


@public_page("association-pages", "meeting-pages", "letter-pages")
def association_detail(request, slug):
    association = _association(request, slug)
    if not can(request.user, "organizations.view_association", association):
        # Pending and hidden associations do not exist for those who may not see them.
        raise Http404
    use_written_standard(request, association.municipality.written_standard)
    may_manage = can(request.user, "organizations.manage_association_members", association)
    context = {
        "association": association,
        "show_contact": can(request.user, "organizations.view_association_contact", association),
        "may_edit": can(request.user, "organizations.change_association", association),
        "may_manage": may_manage,
        "may_verify": can(request.user, "organizations.verify_association", association),
        "may_leave": can(request.user, "organizations.leave_association", association),
        "may_request": can(request.user, "organizations.request_membership", association),
        "may_claim": can(request.user, "organizations.claim_association", association),
        "open_request": selectors.open_request_of(association=association, user=request.user),
        "open_claim": selectors.open_claim_of(association=association),
        "claim_form": ClaimForm(),
        "sections": profile_sections(request=request, association=association),
    }
    return render(request, "organizations/association_detail.html", context)


def _prefill_from_brreg(data):
    """The registration form filled with what Enhetsregisteret knows about the number typed in."""
    initial = {}
    for name, field in AssociationRegisterForm.base_fields.items():
        if hasattr(field, "queryset") and hasattr(field.widget, "allow_multiple_selected"):
            initial[name] = data.getlist(name)
        elif name in data:
            initial[name] = data.get(name)
    lookup = BrregLookupForm({"org_number": data.get("org_number", "")})
    if not lookup.is_valid():
        return initial, "danger", lookup.errors["org_number"][0]
    number = lookup.cleaned_data["org_number"]
    try:
        unit = brreg.fetch_unit(number)
    except brreg.UnitNotFound:
        return (
            initial,
            "danger",
            _("Enhetsregisteret kjenner ikke organisasjonsnummeret %(number)s.") % {"number": number},
        )
    except brreg.UnitDeleted:
        return initial, "danger", _("Enheten %(number)s er slettet i Enhetsregisteret.") % {"number": number}
    except brreg.BrregError:
        return (
            initial,
            "warning",
            _("Enhetsregisteret svarer ikke akkurat nå. Prøv igjen senere, eller fyll ut feltene selv."),
        )
    profile = brreg.unit_profile(unit)
    for name in ["name", "postal_address", "website"]:
        if profile[name]:
            initial[name] = profile[name]
    initial["org_number"] = number
    if not initial.get("municipality") and profile["municipality_number"]:
        municipality = Municipality.objects.filter(number=profile["municipality_number"], active=True).first()
        if municipality is not None:
            initial["municipality"] = municipality.pk
    return initial, "success", _("Navn, adresse og nettsted er hentet fra Enhetsregisteret. Se over og fyll ut resten.")


@login_required
@rule_required("organizations.register_association")
def association_register(request):
    lookup = None
    if request.method == "POST" and request.POST.get("action") == "hent":
        initial, level, text = _prefill_from_brreg(request.POST)
        form = AssociationRegisterForm(initial=initial, user=request.user)
        lookup = {"level": level, "text": text}
    elif request.method == "POST":
        form = AssociationRegisterForm(request.POST, user=request.user)
        if form.is_valid():
            association = services.association_register(user=request.user, data=form.service_data())
            messages.success(
                request,
                _("«%(name)s» er registrert. Kommunen går gjennom registreringen før laget vises i katalogen.")
                % {"name": association.name},
            )
            return redirect("organizations:association_detail", slug=association.slug)
    else:
        form = AssociationRegisterForm(
            initial={"contact_name": request.user.full_name, "contact_email": request.user.email}, user=request.user
        )
    return render(
        request,
        "organizations/association_register.html",
        {"form": form, "lookup": lookup, "attribution": brreg.ATTRIBUTION, "claim_form": ClaimForm()},
    )


@login_required
@rule_required("organizations.change_association", fn=_association)
def association_edit(request, slug):
    association = _association(request, slug)
    form = AssociationForm(request.POST or None, instance=association)
    if request.method == "POST" and form.is_valid():
        services.association_update(association=association, data=form.service_data(), by=request.user)
        messages.success(request, _("Endringene er lagret."))
        return redirect("organizations:association_detail", slug=association.slug)
    return render(request, "organizations/association_edit.html", {"form": form, "association": association})


@login_required
@rule_required("organizations.manage_association_members", fn=_association)
def association_members(request, slug):
    association = _association(request, slug)
    form = InvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            invitation = services.membership_invite(
                association=association,
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
                invited_by=request.user,
            )
        except ValidationError as error:
            form.add_error("email" if hasattr(error, "error_dict") else None, error.messages)
        else:
            messages.success(request, _("Invitasjonen er sendt til %(email)s.") % {"email": invitation.email})
            return redirect("organizations:association_members", slug=association.slug)
    return render(
        request,
        "organizations/association_members.html",
        {
            "association": association,
            "memberships": selectors.association_members(association=association),
            "invitations": selectors.open_invitations(association=association),
            "requests": selectors.open_membership_requests(association=association),
            "form": form,
            "roles": Membership.Role.choices,
        },
    )


def _membership(request, slug, pk):
    return get_object_or_404(Membership.objects.select_related("association", "user"), pk=pk, association__slug=slug)


@require_POST
@login_required
@rule_required("organizations.manage_association_members", fn=lambda r, slug, pk: _association(r, slug))
def membership_role(request, slug, pk):
    membership = _membership(request, slug, pk)
    form = MembershipRoleForm(request.POST)
    if form.is_valid():
        try:
            services.membership_set_role(membership=membership, role=form.cleaned_data["role"])
        except ValidationError as error:
            show_as_messages(request, error)
        else:
            messages.success(request, _("Rollen er endret."))
    return redirect("organizations:association_members", slug=slug)


@require_POST
@login_required
@rule_required("organizations.manage_association_members", fn=lambda r, slug, pk: _association(r, slug))
def membership_remove(request, slug, pk):
    membership = _membership(request, slug, pk)
    try:
        services.membership_remove(membership=membership)
    except ValidationError as error:
        show_as_messages(request, error)
    else:
        messages.success(request, _("%(name)s er fjernet fra laget.") % {"name": membership.user.full_name})
    return redirect("organizations:association_members", slug=slug)


@require_POST
@login_required
@rule_required("organizations.manage_association_members", fn=lambda r, slug, pk: _association(r, slug))
def invitation_revoke(request, slug, pk):
    association = _association(request, slug)
    invitation = get_object_or_404(association.invitations, pk=pk)
    services.invitation_revoke(invitation=invitation)
    messages.success(request, _("Invitasjonen er trukket tilbake."))
    return redirect("organizations:association_members", slug=slug)


@require_POST
@login_required
@rule_required("organizations.manage_association_members", fn=lambda r, slug, pk: _association(r, slug))
def membership_request_decide(request, slug, pk):
    membership_request = get_object_or_404(MembershipRequest, pk=pk, association__slug=slug)
    accept = request.POST.get("decision") == "accept"
    try:
        services.membership_request_decide(membership_request=membership_request, by=request.user, accept=accept)
    except ValidationError as error:
        show_as_messages(request, error)
    else:
        messages.success(request, _("Forespørselen er godtatt.") if accept else _("Forespørselen er avslått."))
    return redirect("organizations:association_members", slug=slug)


@require_POST
@login_required
@rule_required("organizations.leave_association", fn=_association)
def membership_leave(request, slug):
    association = _association(request, slug)
    try:
        services.membership_leave(association=association, user=request.user)
    except ValidationError as error:
        show_as_messages(request, error)
        return redirect("organizations:association_detail", slug=slug)
    messages.success(request, _("Du har gått ut av «%(name)s».") % {"name": association.name})
    return redirect("organizations:directory")


@require_POST
@login_required
@rule_required("organizations.request_membership", fn=_association)
def membership_request(request, slug):
    association = _association(request, slug)
    try:
        services.membership_request_create(association=association, user=request.user)
    except ValidationError as error:
        show_as_messages(request, error)
    else:
        messages.success(request, _("Lagets administratorer har fått beskjed om at du vil bli med."))
    if can(request.user, "organizations.view_association", association):
        return redirect("organizations:association_detail", slug=slug)
    return redirect("organizations:directory")


@login_required
@rule_required("organizations.claim_association", fn=_association)
def association_claim(request, slug):
    association = _association(request, slug)
    form = ClaimForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.association_claim(association=association, user=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            show_as_messages(request, error)
        else:
            messages.success(
                request,
                _(
                    "Du er nå administrator for «%(name)s». Kommunen går gjennom overtakelsen. Til den er "
                    "godkjent, kan ingen skrive under på brev, melde laget på møter eller søke om stand for det."
                )
                % {"name": association.name},
            )
            return redirect("organizations:association_detail", slug=slug)
    return render(request, "organizations/association_claim.html", {"association": association, "form": form})


def invitation_accept(request, token):
    invitation = selectors.invitation_by_token(token=token)
    if invitation is None:
        raise Http404
    if not request.user.is_authenticated:
        # The invitation waits in the session while the person signs in, or signs up and confirms
        # their address first; the login page says who invited them to what.
        pending_invitation_add(request, kind=INVITATION_KIND, token=token)
        return redirect_to_login(request.get_full_path())
    if request.method == "POST":
        try:
            services.invitation_accept(invitation=invitation, user=request.user)
        except ValidationError as error:
            show_as_messages(request, error)
        else:
            messages.success(request, _("Velkommen i «%(name)s».") % {"name": invitation.association.name})
            next_invitation = pending_invitation_accepted(request, kind=INVITATION_KIND, token=token)
            if next_invitation:
                return redirect(next_invitation)
            return redirect("organizations:association_detail", slug=invitation.association.slug)
    return render(
        request,
        "organizations/invitation_accept.html",
        {"invitation": invitation, "expired": invitation.expires_at <= timezone.now()},
    )


@login_required
@rule_required("organizations.manage_municipality_associations", fn=_municipality)
def verification_queue(request, number):
    municipality = _municipality(request, number)
    return render(
        request,
        "organizations/verification_queue.html",
        {
            "municipality": municipality,
            "associations": selectors.pending_associations(municipality=municipality),
        },
    )


def _status_change(request, slug, permission, action):
    association = _association(request, slug)
    if not can(request.user, permission, association):
        raise PermissionDenied
    try:
        action(association)
    except ValidationError as error:
        show_as_messages(request, error)
        return False, association
    return True, association


def _back_to_queue_or_profile(request, association):
    if request.POST.get("next") == "queue":
        return redirect("organizations:verification_queue", number=association.municipality.number)
    return redirect("organizations:association_detail", slug=association.slug)


@require_POST
@login_required
def association_verify(request, slug):
    done, association = _status_change(
        request,
        slug,
        "organizations.verify_association",
        lambda association: services.association_verify(association=association, by=request.user),
    )
    if done:
        messages.success(request, _("«%(name)s» er godkjent og vises i katalogen.") % {"name": association.name})
    return _back_to_queue_or_profile(request, association)


@require_POST
@login_required
def association_reject(request, slug):
    form = RejectForm(request.POST)
    if not form.is_valid():
        association = _association(request, slug)
        if not can(request.user, "organizations.verify_association", association):
            raise PermissionDenied
        messages.error(request, _("Skriv en begrunnelse, slik at laget vet hva det kan rette opp."))
        return _back_to_queue_or_profile(request, association)
    done, association = _status_change(
        request,
        slug,
        "organizations.verify_association",
        lambda association: services.association_reject(
            association=association, by=request.user, reason=form.cleaned_data["reason"]
        ),
    )
    if done:
        messages.success(
            request, _("«%(name)s» er avvist. Administratorene har fått begrunnelsen.") % {"name": association.name}
        )
    return _back_to_queue_or_profile(request, association)


@require_POST
@login_required
def association_hide(request, slug):
    form = HideForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    done, association = _status_change(
        request,
        slug,
        "organizations.hide_association",
        lambda association: services.association_hide(association=association, by=request.user, reason=reason),
    )
    if done:
        messages.success(request, _("«%(name)s» er skjult.") % {"name": association.name})
    return redirect("organizations:association_detail", slug=association.slug)


@login_required
@rule_required("organizations.export_associations", fn=_municipality)
def associations_export(request, number):
    municipality = _municipality(request, number)
    filename = f"lag-og-foreninger-{municipality.number}-{timezone.localdate():%Y-%m-%d}.csv"
    return exports.associations_csv_response(
        associations=selectors.associations_for_export(municipality=municipality), filename=filename
    )
