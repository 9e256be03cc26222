from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from rules.contrib.views import permission_required

from .forms import MunicipalityContactForm, PartyLeaderFormSet
from .models import Municipality
from .selectors import municipalities_for_staff


def _municipality(request, number):
    return get_object_or_404(Municipality, number=number)


@login_required
@permission_required("organizations.view_staff_pages", raise_exception=True)
def staff_home(request):
    municipalities = municipalities_for_staff(user=request.user)
    return render(request, "organizations/staff_home.html", {"municipalities": municipalities})


@login_required
@permission_required("organizations.change_municipality_contact", fn=_municipality, raise_exception=True)
def municipality_edit(request, number):
    municipality = _municipality(request, number)
    form = MunicipalityContactForm(request.POST or None, instance=municipality)
    leaders = PartyLeaderFormSet(request.POST or None, instance=municipality, prefix="partiledere")
    if request.method == "POST" and form.is_valid() and leaders.is_valid():
        with transaction.atomic():
            form.save()
            leaders.save()
        messages.success(request, _("Opplysningene om kommunen er lagret."))
        return redirect("organizations:municipality_edit", number=municipality.number)
    return render(
        request,
        "organizations/municipality_edit.html",
        {"municipality": municipality, "form": form, "leaders": leaders},
    )
