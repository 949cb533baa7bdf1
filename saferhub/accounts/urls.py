from saferhub.accounts.admin_views import urlpatterns as admin_urlpatterns
from saferhub.accounts.password_views import urlpatterns as password_urlpatterns
from saferhub.accounts.views import urlpatterns as auth_urlpatterns

app_name = "accounts"

# Sign-in and two-factor (views.py) and partnership administration (admin_views.py).
urlpatterns = auth_urlpatterns + admin_urlpatterns + password_urlpatterns
