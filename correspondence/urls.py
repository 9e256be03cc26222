from django.urls import path

from organizations import converters  # noqa: F401 - registers <kommunenummer:…> and <token:…>

from . import views

app_name = "correspondence"

urlpatterns = [
    path("", views.groups, name="groups"),
    path("arbeidsgrupper/ny/", views.group_create, name="group_create"),
    path("arbeidsgrupper/<int:pk>/", views.group_detail, name="group_detail"),
    path("arbeidsgrupper/<int:pk>/brev/", views.group_letters, name="group_letters"),
    path("arbeidsgrupper/<int:pk>/rediger/", views.group_edit, name="group_edit"),
    path("arbeidsgrupper/<int:pk>/foreninger/", views.group_associations, name="group_associations"),
    path("arbeidsgrupper/<int:pk>/inviter/", views.group_invite, name="group_invite"),
    path("arbeidsgrupper/<int:pk>/leder/<int:user_pk>/", views.group_leader, name="group_leader"),
    path("arbeidsgrupper/<int:pk>/nytt-brev/", views.letter_create, name="letter_create"),
    path("invitasjon/<token:token>/", views.invitation_accept, name="invitation_accept"),
    path("brev/<int:pk>/", views.letter_detail, name="letter_detail"),
    path("brev/<int:pk>/rediger/", views.letter_edit, name="letter_edit"),
    path("brev/<int:pk>/slett/", views.letter_delete, name="letter_delete"),
    path("brev/<int:pk>/malform/", views.letter_language, name="letter_language"),
    path("brev/<int:pk>/underskrifter/", views.letter_signatures_open_or_close, name="letter_signatures_open_or_close"),
    path("brev/<int:pk>/skriv-under/", views.letter_sign, name="letter_sign"),
    path("brev/<int:pk>/trekk/<int:association_pk>/", views.letter_withdraw, name="letter_withdraw"),
    path("brev/<int:pk>/send/", views.letter_send, name="letter_send"),
    path("brev/<int:pk>/pdf/", views.letter_pdf, name="letter_pdf"),
    path("brev/<int:pk>/docx/", views.letter_docx, name="letter_docx"),
    path("brev/<int:pk>/svar/", views.response_add, name="response_add"),
    path("brev/<int:pk>/svar/<int:response_pk>/pdf/", views.response_document, name="response_document"),
    path("brev/<int:pk>/status/", views.letter_status, name="letter_status"),
    path("brev/<int:pk>/dialogmote/", views.letter_dialogue_meeting, name="letter_dialogue_meeting"),
    path("brev/<int:pk>/tiltak/", views.letter_action, name="letter_action"),
    path("brev/<int:pk>/publiser/", views.letter_publish, name="letter_publish"),
    path("brev/<int:pk>/purring/", views.follow_up, name="follow_up"),
    path("kommune/<kommunenummer:number>/", views.published, name="published"),
]
