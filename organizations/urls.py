from django.urls import path

from . import views

app_name = "organizations"

urlpatterns = [
    path("kommune/ansatt/", views.staff_home, name="staff_home"),
    path("kommune/<str:number>/rediger/", views.municipality_edit, name="municipality_edit"),
]
