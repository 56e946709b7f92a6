app_name = "reciprocity"
urlpatterns = []
