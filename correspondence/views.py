from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.invitations import pending_invitation_accepted, pending_invitation_add
from dialog_portal.languages import use_written_standard
from dialog_portal.pagecache import public_page
from dialog_portal.permissions import can, rule_required
from dialog_portal.service_errors import show_as_messages, show_on_form
from organizations.models import Association, Municipality

from . import selectors, services
from .domain import follow_up_refusal
from .forms import (
    CopyFormSet,
    DialogueMeetingForm,
    GroupAssociationsForm,
    InviteForm,
    LanguageForm,
    LetterActionForm,
    LetterPartsForm,
    PointFormSet,
    PostedForm,
    ResponseForm,
    SignForm,
    StatusForm,
    WorkingGroupForm,
    ordered_values,
)
from .models import GroupInvitation, Letter, Response, WorkingGroup
from .rendering import letter_document, render_docx, render_pdf


def _group(request, pk, **kwargs):
    return get_object_or_404(WorkingGroup.objects.select_related("municipality", "district"), pk=pk)


def _letter(request, pk, **kwargs):
    return get_object_or_404(Letter.objects.select_related("group__municipality", "group__district"), pk=pk)


GROUPS_PER_PAGE = 50


def groups(request):
    page = Paginator(selectors.groups_for_user(user=request.user), GROUPS_PER_PAGE).get_page(request.GET.get("side"))
    context = {
        "groups": page,
        "open_letters": selectors.letters_open_for_signing(user=request.user),
        "published": selectors.published_letters()[:20],
        "published_in": selectors.municipalities_with_published_letters(),
    }
    return render(request, "correspondence/groups.html", context)


@login_required
def group_create(request):
    form = WorkingGroupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        categories = data.pop("categories")
        try:
            group = services.group_create(user=request.user, categories=categories, **data)
        except ValidationError as error:
            show_on_form(form, error)
        else:
            messages.success(request, _("Arbeidsgruppen er opprettet. Du er leder for den."))
            return redirect("correspondence:group_detail", pk=group.pk)
    return render(request, "correspondence/group_form.html", {"form": form})


@login_required
@rule_required("correspondence.view_group", fn=_group)
def group_detail(request, pk):
    group = selectors.group_for_page(pk=pk)
    is_member = can(request.user, "correspondence.change_group", group)
    letters = _group_letters(request, group)
    context = {
        "group": group,
        "is_member": is_member,
        "invite_form": InviteForm(),
        "associations_form": GroupAssociationsForm(group=group) if is_member else None,
        "letters": letters[:GROUP_PAGE_LETTERS],
        "letter_count": letters.count(),
    }
    return render(request, "correspondence/group_detail.html", context)


GROUP_PAGE_LETTERS = 10
LETTERS_PER_PAGE = 50


def _group_letters(request, group):
    # Staff of the municipality see the group's letters once they are sent, as view_letter says.
    unsent_too = can(request.user, "correspondence.view_group_unsent_letters", group)
    return selectors.letters_of_group(group=group, sent_only=not unsent_too)


@login_required
@rule_required("correspondence.view_group", fn=_group)
def group_letters(request, pk):
    group = _group(request, pk)
    page = Paginator(_group_letters(request, group), LETTERS_PER_PAGE).get_page(request.GET.get("side"))
    return render(request, "correspondence/group_letters.html", {"group": group, "letters": page})


@login_required
@rule_required("correspondence.change_group", fn=_group)
def group_edit(request, pk):
    group = _group(request, pk)
    form = WorkingGroupForm(request.POST or None, instance=group)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        categories = data.pop("categories")
        data.pop("municipality", None)
        try:
            services.group_update(group=group, user=request.user, categories=categories, **data)
        except ValidationError as error:
            show_on_form(form, error)
        else:
            messages.success(request, _("Arbeidsgruppen er lagret."))
            return redirect("correspondence:group_detail", pk=group.pk)
    return render(request, "correspondence/group_form.html", {"form": form, "group": group})


@login_required
@require_POST
@rule_required("correspondence.change_group", fn=_group)
def group_associations(request, pk):
    group = _group(request, pk)
    form = GroupAssociationsForm(request.POST, group=group)
    if form.is_valid():
        try:
            services.group_update(group=group, user=request.user, associations=form.cleaned_data["associations"])
            messages.success(request, _("De deltakende lagene og foreningene er lagret."))
        except ValidationError as error:
            show_as_messages(request, error)
    return redirect("correspondence:group_detail", pk=group.pk)


@login_required
@require_POST
@rule_required("correspondence.change_group", fn=_group)
def group_invite(request, pk):
    group = _group(request, pk)
    form = InviteForm(request.POST)
    if form.is_valid():
        try:
            services.group_invite(group=group, invited_by=request.user, email=form.cleaned_data["email"])
            messages.success(request, _("Invitasjonen er sendt til %(email)s.") % {"email": form.cleaned_data["email"]})
        except ValidationError as error:
            show_as_messages(request, error)
    else:
        messages.error(request, _("Skriv inn en gyldig e-postadresse."))
    return redirect("correspondence:group_detail", pk=group.pk)


@login_required
@require_POST
@rule_required("correspondence.change_group", fn=_group)
def group_leader(request, pk, user_pk):
    group = _group(request, pk)
    membership = get_object_or_404(group.memberships.select_related("user"), user_id=user_pk)
    try:
        services.group_leader_set(group=group, user=request.user, leader=membership.user)
        messages.success(request, _("%(name)s er nå leder for arbeidsgruppen.") % {"name": membership.user})
    except ValidationError as error:
        show_as_messages(request, error)
    return redirect("correspondence:group_detail", pk=group.pk)


def invitation_accept(request, token):
    invitation = get_object_or_404(GroupInvitation.objects.select_related("group"), token=token)
    if not request.user.is_authenticated:
        # The invitation waits in the session while the person signs in, or signs up and confirms
        # their address first; the login page says who invited them to what.
        pending_invitation_add(request, kind=selectors.INVITATION_KIND, token=token)
        return redirect_to_login(request.get_full_path())
    if request.method == "POST":
        try:
            services.invitation_accept(invitation=invitation, user=request.user)
        except ValidationError as error:
            show_as_messages(request, error)
            return redirect("correspondence:invitation_accept", token=token)
        messages.success(request, _("Du er nå medlem av arbeidsgruppen."))
        next_invitation = pending_invitation_accepted(request, kind=selectors.INVITATION_KIND, token=token)
        if next_invitation:
            return redirect(next_invitation)
        return redirect("correspondence:group_detail", pk=invitation.group_id)
    return render(request, "correspondence/invitation.html", {"invitation": invitation})


@login_required
@require_POST
@rule_required("correspondence.change_group", fn=_group)
def letter_create(request, pk):
    letter = services.letter_create(group=_group(request, pk), user=request.user)
    messages.success(request, _("Et utkast er laget. Alle delene kan endres."))
    return redirect("correspondence:letter_edit", pk=letter.pk)


@public_page("letter-pages")
def letter_detail(request, pk):
    letter = Letter.objects.select_related("group").filter(pk=pk).first()
    if letter is None or not can(request.user, "correspondence.view_letter", letter):
        # People follow links from emails signed out: they sign in first, whether the letter exists
        # or not. Those signed in never learn that a letter they may not see exists.
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        raise Http404
    letter = selectors.letter_for_page(pk=pk)
    user = request.user
    is_member = can(user, "correspondence.track_letter", letter) or can(user, "correspondence.change_letter", letter)
    context = {
        "letter": letter,
        "doc": letter_document(letter),
        "is_member": is_member,
        "can_edit": can(user, "correspondence.change_letter", letter),
        "can_track": can(user, "correspondence.track_letter", letter),
        "sign_form": None,
        "withdrawable": selectors.signed_by_user(user=user, letter=letter) if not letter.is_frozen else [],
        "posted_form": PostedForm(),
        "response_form": ResponseForm(),
        "status_form": StatusForm(initial={"status": letter.status}),
        "language_form": LanguageForm(initial={"language": letter.language}),
        "meeting_form": DialogueMeetingForm(letter=letter) if letter.is_frozen and not letter.is_follow_up else None,
        "action_form": LetterActionForm(letter=letter) if letter.is_frozen else None,
        "follow_up_offered": follow_up_refusal(letter) is None,
    }
    if can(user, "correspondence.cosign_letter", letter):
        associations = selectors.signable_associations(user=user, letter=letter)
        if associations.exists():
            context["sign_form"] = SignForm(associations=associations, user=user)
    return render(request, "correspondence/letter_detail.html", context)


@login_required
@rule_required("correspondence.change_letter", fn=_letter, hide="correspondence.view_letter")
def letter_edit(request, pk):
    letter = selectors.letter_for_page(pk=pk)
    data = request.POST if request.method == "POST" else None
    form = LetterPartsForm(data, instance=letter)
    points = PointFormSet(data, prefix="punkt", initial=[{"text": p.text} for p in letter.points.all()])
    copies = CopyFormSet(
        data, prefix="kopi", initial=[{"name": c.name, "role": c.role, "email": c.email} for c in letter.copies.all()]
    )
    if request.method == "POST" and form.is_valid() and points.is_valid() and copies.is_valid():
        parts = {name: form.cleaned_data[name] for name in form.Meta.fields}
        try:
            services.letter_update(
                letter=letter,
                user=request.user,
                parts=parts,
                points=[row["text"] for row in ordered_values(points, required_key="text")],
                copies=ordered_values(copies, required_key="name"),
            )
        except ValidationError as error:
            show_on_form(form, error)
        else:
            messages.success(request, _("Brevet er lagret."))
            if "preview" in request.POST:
                return redirect("correspondence:letter_detail", pk=letter.pk)
            return redirect("correspondence:letter_edit", pk=letter.pk)
    context = {
        "letter": letter,
        "form": form,
        "points": points,
        "copies": copies,
        "language_form": LanguageForm(initial={"language": letter.language}),
    }
    return render(request, "correspondence/letter_edit.html", context)


@login_required
@rule_required("correspondence.delete_letter", fn=_letter, hide="correspondence.view_letter")
def letter_delete(request, pk):
    """GET asks to confirm and shows what goes with the letter; POST deletes it."""
    letter = selectors.letter_for_page(pk=pk)
    if request.method == "POST":
        try:
            services.letter_delete(letter=letter, user=request.user)
        except ValidationError as error:
            show_as_messages(request, error)
            return redirect("correspondence:letter_detail", pk=pk)
        messages.success(request, _("Utkastet «%(subject)s» er slettet.") % {"subject": letter.subject})
        return redirect("correspondence:group_detail", pk=letter.group_id)
    signatures = list(letter.signatures.all())
    return render(request, "correspondence/letter_delete_confirm.html", {"letter": letter, "signatures": signatures})


@login_required
@require_POST
@rule_required("correspondence.change_letter", fn=_letter, hide="correspondence.view_letter")
def letter_language(request, pk):
    letter = _letter(request, pk)
    form = LanguageForm(request.POST)
    if form.is_valid():
        services.letter_set_language(letter=letter, user=request.user, language=form.cleaned_data["language"])
        messages.success(request, _("Målformen er endret. Deler du har skrevet selv, er ikke endret."))
    return redirect("correspondence:letter_edit", pk=letter.pk)


@login_required
@require_POST
@rule_required("correspondence.change_letter", fn=_letter, hide="correspondence.view_letter")
def letter_signatures_open_or_close(request, pk):
    letter = _letter(request, pk)
    try:
        if request.POST.get("action") == "close":
            services.letter_close_for_signatures(letter=letter, user=request.user)
            messages.success(request, _("Brevet er tilbake som utkast."))
        else:
            services.letter_open_for_signatures(letter=letter, user=request.user)
            messages.success(request, _("Brevet er åpent for underskrifter."))
    except ValidationError as error:
        show_as_messages(request, error)
    return redirect("correspondence:letter_detail", pk=letter.pk)


@login_required
@require_POST
@rule_required("correspondence.cosign_letter", fn=_letter, hide="correspondence.view_letter")
def letter_sign(request, pk):
    letter = _letter(request, pk)
    form = SignForm(
        request.POST,
        associations=selectors.signable_associations(user=request.user, letter=letter),
        user=request.user,
    )
    if form.is_valid():
        try:
            services.letter_sign(
                letter=letter,
                association=form.cleaned_data["association"],
                user=request.user,
                signer_name=form.cleaned_data["signer_name"],
                signer_role=form.cleaned_data["signer_role"],
            )
            messages.success(
                request,
                _("Du har skrevet under på vegne av %(name)s.") % {"name": form.cleaned_data["association"].name},
            )
        except (ValidationError, PermissionDenied) as error:
            show_as_messages(request, error)
    elif "association" in form.errors:
        messages.error(request, _("Velg et lag eller en forening du er administrator for."))
    else:
        messages.error(request, _("Skriv navnet ditt og rollen din slik de skal stå i brevet."))
    return redirect("correspondence:letter_detail", pk=letter.pk)


@login_required
@require_POST
@rule_required("correspondence.withdraw_signature", fn=_letter, hide="correspondence.view_letter")
def letter_withdraw(request, pk, association_pk):
    # Which association's signature the user may withdraw is decided in the service (withdraw_refusal).
    letter = _letter(request, pk)
    association = get_object_or_404(Association, pk=association_pk)
    try:
        services.letter_withdraw_signature(letter=letter, association=association, user=request.user)
        messages.success(request, _("Underskriften fra %(name)s er trukket.") % {"name": association.name})
    except (ValidationError, PermissionDenied) as error:
        show_as_messages(request, error)
    return redirect("correspondence:letter_detail", pk=letter.pk)


def _confirmed(request) -> bool:
    return request.method == "POST" and request.POST.get("confirm") == "1"


@login_required
@rule_required("correspondence.send_letter", fn=_letter, hide="correspondence.view_letter")
def letter_send(request, pk):
    """GET shows exactly what sending does; only a POST from that page, with its confirm field,
    sends the letter by email or records it as sent by post. Both freeze it for good."""
    data = request.POST if request.method == "POST" else request.GET
    channel = Letter.Channel.POST if data.get("channel") == Letter.Channel.POST else Letter.Channel.EMAIL
    letter = selectors.letter_for_page(pk=pk)
    posted_form = None
    if channel == Letter.Channel.POST:
        posted_form = PostedForm(data if "posted_on" in data else None, letter=letter)
    if channel == Letter.Channel.EMAIL and not letter.group.authority.official_email:
        messages.error(request, _("Kommunen har ingen offisiell e-postadresse i portalen. Send brevet i posten."))
        return redirect("correspondence:letter_detail", pk=pk)
    if request.method == "POST" and not _confirmed(request):
        messages.error(request, _("Brevet er ikke sendt. Se over hva som skjer når det sendes, og bekreft."))
        query = {"channel": channel, **({"posted_on": data["posted_on"]} if "posted_on" in data else {})}
        return redirect(f"{reverse('correspondence:letter_send', args=[pk])}?{urlencode(query)}")
    if _confirmed(request) and (posted_form is None or posted_form.is_valid()):
        try:
            if posted_form is not None:
                posted_on = posted_form.cleaned_data["posted_on"]
                services.letter_mark_posted(letter=letter, user=request.user, posted_on=posted_on)
                messages.success(request, _("Brevet er registrert som sendt i posten."))
            else:
                letter = services.letter_send(letter=letter, user=request.user)
                messages.success(request, _("Brevet er sendt til %(address)s.") % {"address": letter.sent_to})
            return redirect("correspondence:letter_detail", pk=pk)
        except ValidationError as error:
            if posted_form is not None and hasattr(error, "error_dict"):
                show_on_form(posted_form, error)
            else:
                show_as_messages(request, error)
                return redirect("correspondence:letter_detail", pk=pk)
    context = {
        "letter": letter,
        "channel": channel,
        "posted_form": posted_form,
        **selectors.letter_sending_summary(letter=letter),
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "correspondence/letter_send_confirm.html", context, status=status)


@rule_required("correspondence.view_letter", fn=_letter, hide=True)
def letter_pdf(request, pk):
    letter = _letter(request, pk)
    if letter.is_frozen:
        # The exact file that was sent, never a new rendering.
        return FileResponse(letter.sent_pdf.open("rb"), as_attachment=True, filename=f"{letter.reference}.pdf")
    response = HttpResponse(render_pdf(selectors.letter_for_rendering(pk=pk)), content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(True, f"utkast-{letter.pk}.pdf")
    return response


@rule_required("correspondence.view_letter", fn=_letter, hide=True)
def letter_docx(request, pk):
    letter = selectors.letter_for_rendering(pk=pk)
    response = HttpResponse(
        render_docx(letter),
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
    name = letter.reference if letter.is_frozen else f"utkast-{letter.pk}"
    response["Content-Disposition"] = content_disposition_header(True, f"{name}.docx")
    return response


@login_required
@rule_required("correspondence.track_letter", fn=_letter, hide="correspondence.view_letter")
def response_add(request, pk):
    """The letter page posts here; after an error the form is shown on its own page, which must
    also answer a reload or a link (GET)."""
    letter = _letter(request, pk)
    if request.method != "POST":
        context = {"letter": selectors.letter_for_page(pk=pk), "form": ResponseForm()}
        return render(request, "correspondence/response_form.html", context)
    form = ResponseForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.response_log(letter=letter, user=request.user, **form.cleaned_data)
            messages.success(request, _("Svaret er registrert."))
            return redirect("correspondence:letter_detail", pk=letter.pk)
        except ValidationError as error:
            show_on_form(form, error)
    letter = selectors.letter_for_page(pk=pk)
    context = {"letter": letter, "form": form}
    return render(request, "correspondence/response_form.html", context, status=400)


@rule_required("correspondence.view_letter", fn=_letter, hide=True)
def response_document(request, pk, response_pk):
    response = get_object_or_404(Response, pk=response_pk, letter_id=pk)
    if not response.document:
        raise Http404
    return FileResponse(
        response.document.open("rb"), as_attachment=True, filename=f"svar-{response.received_on:%Y-%m-%d}.pdf"
    )


@login_required
@require_POST
@rule_required("correspondence.track_letter", fn=_letter, hide="correspondence.view_letter")
def letter_status(request, pk):
    letter = _letter(request, pk)
    form = StatusForm(request.POST)
    if form.is_valid():
        try:
            services.letter_set_status(letter=letter, user=request.user, status=form.cleaned_data["status"])
            messages.success(request, _("Statusen er endret."))
        except ValidationError as error:
            show_as_messages(request, error)
    return redirect("correspondence:letter_detail", pk=letter.pk)


@login_required
@require_POST
@rule_required("correspondence.track_letter", fn=_letter, hide="correspondence.view_letter")
def letter_dialogue_meeting(request, pk):
    letter = _letter(request, pk)
    form = DialogueMeetingForm(request.POST, letter=letter)
    if form.is_valid():
        try:
            services.letter_link_dialogue_meeting(
                letter=letter, user=request.user, meeting=form.cleaned_data["meeting"]
            )
            messages.success(request, _("Dialogmøtet er lagret."))
        except ValidationError as error:
            show_as_messages(request, error)
    else:
        messages.error(request, _("Velg et møte i kommunen."))
    return redirect("correspondence:letter_detail", pk=letter.pk)


@login_required
@require_POST
@rule_required("correspondence.track_letter", fn=_letter, hide="correspondence.view_letter")
def letter_action(request, pk):
    letter = _letter(request, pk)
    form = LetterActionForm(request.POST, letter=letter)
    if form.is_valid():
        try:
            services.letter_link_action(letter=letter, user=request.user, action=form.cleaned_data["action"])
            messages.success(request, _("Tiltaket er lagt på tidslinjen."))
        except ValidationError as error:
            show_as_messages(request, error)
    else:
        show_as_messages(request, ValidationError(form.errors["action"]))
    return redirect("correspondence:letter_detail", pk=letter.pk)


@login_required
@rule_required("correspondence.track_letter", fn=_letter, hide="correspondence.view_letter")
def letter_publish(request, pk):
    """Publishing shows first what becomes public and happens only on a confirmed POST; taking a
    letter off the public page again needs no confirmation."""
    letter = _letter(request, pk)
    if request.method == "POST" and request.POST.get("published") == "0":
        services.letter_set_published(letter=letter, user=request.user, published=False)
        messages.success(request, _("Brevet er ikke lenger publisert."))
        return redirect("correspondence:letter_detail", pk=letter.pk)
    if _confirmed(request):
        try:
            services.letter_set_published(letter=letter, user=request.user, published=True)
        except ValidationError as error:
            show_as_messages(request, error)
        else:
            messages.success(request, _("Brevet og svarene er publisert."))
        return redirect("correspondence:letter_detail", pk=letter.pk)
    if request.method == "POST":
        messages.error(request, _("Brevet er ikke publisert. Se over hva som blir offentlig, og bekreft."))
        return redirect("correspondence:letter_publish", pk=letter.pk)
    letter = selectors.letter_for_page(pk=pk)
    context = {"letter": letter, "signatures": list(letter.signatures.all()), "responses": list(letter.responses.all())}
    return render(request, "correspondence/letter_publish_confirm.html", context)


@login_required
@rule_required("correspondence.track_letter", fn=_letter, hide="correspondence.view_letter")
def follow_up(request, pk):
    """The reminder's link: what the follow-up will say; the draft is made when the member confirms."""
    letter = _letter(request, pk)
    try:
        if request.method == "POST":
            draft = services.follow_up_prepare(letter=letter, user=request.user)
            return redirect("correspondence:letter_detail", pk=draft.pk)
        preview = services.follow_up_preview(letter=letter)
    except ValidationError as error:
        show_as_messages(request, error)
        return redirect("correspondence:letter_detail", pk=pk)
    return render(request, "correspondence/follow_up_confirm.html", {"letter": letter, **preview})


@public_page("letter-pages")
def published(request, number):
    municipality = get_object_or_404(Municipality, number=number)
    use_written_standard(request, municipality.written_standard)
    letters = selectors.published_letters(municipality=municipality).annotate(response_count=Count("responses"))
    page = Paginator(letters, LETTERS_PER_PAGE).get_page(request.GET.get("side"))
    return render(request, "correspondence/published.html", {"municipality": municipality, "letters": page})
