from django.urls import path

from organizations import converters  # noqa: F401 - registers <kommunenummer:…> and <token:…>

from . import views

app_name = "organizations"

urlpatterns = [
    path("kommune/ansatt/", views.staff_home, name="staff_home"),
    path("kommune/ansatt/kunnskap/", views.staff_resources, name="staff_resources"),
    path("kommune/<kommunenummer:number>/rediger/", views.municipality_edit, name="municipality_edit"),
    path(
        "kommune/<kommunenummer:number>/foreninger/til-godkjenning/",
        views.verification_queue,
        name="verification_queue",
    ),
    path(
        "kommune/<kommunenummer:number>/foreninger/eksport.csv", views.associations_export, name="associations_export"
    ),
    path("foreninger/", views.directory, name="directory"),
    path("foreninger/registrer/", views.association_register, name="association_register"),
    path("foreninger/invitasjon/<token:token>/", views.invitation_accept, name="invitation_accept"),
    path("foreninger/<slug:slug>/", views.association_detail, name="association_detail"),
    path("foreninger/<slug:slug>/rediger/", views.association_edit, name="association_edit"),
    path("foreninger/<slug:slug>/medlemmer/", views.association_members, name="association_members"),
    path("foreninger/<slug:slug>/medlemmer/<int:pk>/rolle/", views.membership_role, name="membership_role"),
    path("foreninger/<slug:slug>/medlemmer/<int:pk>/fjern/", views.membership_remove, name="membership_remove"),
    path(
        "foreninger/<slug:slug>/invitasjoner/<int:pk>/trekk-tilbake/",
        views.invitation_revoke,
        name="invitation_revoke",
    ),
    path(
        "foreninger/<slug:slug>/foresporsler/<int:pk>/",
        views.membership_request_decide,
        name="membership_request_decide",
    ),
    path("foreninger/<slug:slug>/forlat/", views.membership_leave, name="membership_leave"),
    path("foreninger/<slug:slug>/bli-med/", views.membership_request, name="membership_request"),
    path("foreninger/<slug:slug>/overta/", views.association_claim, name="association_claim"),
    path("foreninger/<slug:slug>/godkjenn/", views.association_verify, name="association_verify"),
    path("foreninger/<slug:slug>/avvis/", views.association_reject, name="association_reject"),
    path("foreninger/<slug:slug>/skjul/", views.association_hide, name="association_hide"),
]
