from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("", views.profile, name="profile"),
    path("personopplysninger/", views.personal_data_download, name="personal_data"),
    path("slett/", views.account_delete, name="delete"),
]
