"""URLs of the documents, under ``documents/``."""

from django.urls import path

from jieneng.bulletins import views

app_name = "bulletins"
urlpatterns = [
    path("", views.index, name="index"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/page/<int:number>.png", views.page, name="page"),
    path("<int:pk>/file.<str:fmt>", views.download, name="download"),
    path("<int:pk>/issue/", views.issue, name="issue"),
    path("cards/", views.cards, name="cards"),
    path("cards/<int:pk>/", views.card_batch, name="card_batch"),
    path("cards/<int:pk>/cards.zip", views.card_zip, name="card_zip"),
    path("template/<str:kind>/<str:code>/", views.template, name="template"),
]
