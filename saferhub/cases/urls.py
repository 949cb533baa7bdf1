from saferhub.cases.referral_views import urlpatterns as referral_urlpatterns
from saferhub.cases.views import urlpatterns as case_urlpatterns

app_name = "cases"

# Case pages (views.py) and the referral inbox (referral_views.py).
urlpatterns = case_urlpatterns + referral_urlpatterns
