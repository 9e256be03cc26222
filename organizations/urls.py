from django.urls import path

from . import views

app_name = "organizations"

urlpatterns = [
    path("ansatt/", views.staff_home, name="staff_home"),
    path("<str:number>/rediger/", views.municipality_edit, name="municipality_edit"),
]
