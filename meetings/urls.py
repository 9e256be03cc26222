from django.urls import path

from organizations import converters  # noqa: F401 - registers <kommunenummer:…> and <token:…>

from . import series_views, translation_views, views, views_actions, views_rounds

app_name = "meetings"

urlpatterns = [
    path("", views.calendar, name="calendar"),
    path("frivillighetens-dag/", views.volunteer_day, name="volunteer_day"),
    path("mine-pameldinger/", views.my_registrations, name="my_registrations"),
    path("kommune/<kommunenummer:number>/kalender.ics", views.municipality_feed, name="municipality_feed"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/kalender.ics", views.meeting_ical, name="ical"),
    path("<int:pk>/meld-pa/", views.register, name="register"),
    path("pamelding/<int:pk>/endre/", views.registration_edit, name="registration_edit"),
    path("pamelding/<int:pk>/avmeld/", views.registration_cancel, name="registration_cancel"),
    path("<int:pk>/utstiller/", views.exhibitor_apply, name="exhibitor_apply"),
    path("fast/<int:pk>/", series_views.series_detail, name="series"),
    path("fast/<int:pk>/kalender.ics", series_views.series_ical, name="series_ical"),
    path("kommune/<kommunenummer:number>/tiltak/", views_actions.municipality_actions, name="municipality_actions"),
    path("tiltak/<int:pk>/status/", views_actions.action_status, name="action_status"),
    path("innspill/<int:pk>/svar/", views_rounds.round_answer, name="round_answer"),
    # Staff pages
    path("ansatt/<kommunenummer:number>/", views.staff_meetings, name="staff_meetings"),
    path("ansatt/<kommunenummer:number>/nytt/", views.meeting_create, name="create"),
    path("ansatt/<kommunenummer:number>/fast-moteplass/", series_views.series_create, name="series_create"),
    path("fast/<int:pk>/publiser/", series_views.series_publish, name="series_publish"),
    path("ansatt/<kommunenummer:number>/rekkevidde/", views.reach, name="reach"),
    path("ansatt/<kommunenummer:number>/rekkevidde.csv", views.reach_csv, name="reach_csv"),
    path("ansatt/<kommunenummer:number>/innspill/", views_rounds.rounds, name="rounds"),
    path("ansatt/<kommunenummer:number>/innspill/ny/", views_rounds.round_create, name="round_create"),
    path("innspill/<int:pk>/", views_rounds.round_detail, name="round_detail"),
    path("innspill/<int:pk>/avslutt/", views_rounds.round_close, name="round_close"),
    path("innspill/<int:pk>/lag-mote/", views_rounds.round_meeting, name="round_meeting"),
    path("<int:pk>/rediger/", views.meeting_edit, name="edit"),
    path("<int:pk>/forhandsvis/", views.preview, name="preview"),
    path("<int:pk>/publiser/", views.publish, name="publish"),
    path("<int:pk>/inviter/", views.invite, name="invite"),
    path("<int:pk>/avlys/", views.cancel, name="cancel"),
    path("<int:pk>/dupliser/", views.duplicate, name="duplicate"),
    path("<int:pk>/pameldinger/", views.registrations, name="registrations"),
    path("<int:pk>/pameldinger.csv", views.registrations_csv, name="registrations_csv"),
    path("<int:pk>/oppsummering/", views.summary, name="summary"),
    path("<int:pk>/utstillere/", views.exhibitors, name="exhibitors"),
    path("<int:pk>/sprak/", translation_views.translations, name="translations"),
    path("<int:pk>/sprak/ny/", translation_views.translation_create, name="translation_create"),
    path("<int:pk>/sprak/<str:code>/", translation_views.translation_edit, name="translation_edit"),
    path("<int:pk>/sprak/<str:code>/slett/", translation_views.translation_delete, name="translation_delete"),
    path("<int:pk>/medarrangorer/", views.co_hosts, name="co_hosts"),
    path("<int:pk>/praktisk/", views.practical_information, name="practical_information"),
    path("<int:pk>/ledelsen/", views.leaders, name="leaders"),
    path("fylke/<fylkesnummer:number>/", views.county_meetings, name="county_meetings"),
    # Proposals from associations
    path("forslag/nytt/<slug:slug>/", views.proposal_create, name="propose"),
    path("forslag/<int:pk>/", views.proposal_detail, name="proposal"),
    path("forslag/<int:pk>/godta/", views.proposal_accept, name="proposal_accept"),
    path("forslag/<int:pk>/avsla/", views.proposal_decline, name="proposal_decline"),
    path("<int:pk>/tiltak/", views_actions.meeting_actions, name="actions"),
    path("<int:pk>/tiltak/nytt/", views_actions.action_add, name="action_add"),
    path("tiltak/<int:pk>/endre/", views_actions.action_edit, name="action_edit"),
]
