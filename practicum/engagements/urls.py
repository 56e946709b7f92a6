from django.urls import path

app_name = "engagements"
urlpatterns: list = []
