app_name = "asb"

urlpatterns: list = []
