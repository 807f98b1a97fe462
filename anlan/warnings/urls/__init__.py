app_name = "warnings"
urlpatterns = []
