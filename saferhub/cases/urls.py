from saferhub.cases.bulk_views import urlpatterns as bulk_urlpatterns
from saferhub.cases.closure_views import urlpatterns as closure_urlpatterns
from saferhub.cases.location_views import urlpatterns as location_urlpatterns
from saferhub.cases.referral_views import urlpatterns as referral_urlpatterns
from saferhub.cases.views import urlpatterns as case_urlpatterns

app_name = "cases"

# Case pages (views.py), closure with approval (closure_views.py), places on a case
# (location_views.py), the referral inbox (referral_views.py) and bulk changes (bulk_views.py).
urlpatterns = case_urlpatterns + closure_urlpatterns + location_urlpatterns + referral_urlpatterns + bulk_urlpatterns
