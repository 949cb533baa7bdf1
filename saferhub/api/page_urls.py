"""Pages (not the API): a user's API tokens on their account; every token and the OAuth2 clients for administrators."""

from django.urls import path

from saferhub.api import sso
from saferhub.api.views import account, clients

app_name = "api-pages"

urlpatterns = [
    path("account/api-tokens/", account.token_list, name="tokens"),
    path("account/api-tokens/new/", account.token_create, name="token-create"),
    path("account/api-tokens/<int:pk>/revoke/", account.token_revoke, name="token-revoke"),
    path("admin/api-tokens/", account.admin_token_list, name="admin-tokens"),
    path("admin/api-clients/", clients.client_list, name="clients"),
    path("admin/api-clients/new/", clients.client_create, name="client-create"),
    path("admin/api-clients/<int:pk>/revoke/", clients.client_revoke, name="client-revoke"),
    # Single sign-on (OpenID Connect): reached before signing in.
    path("sign-in/sso/", sso.SignInWithProvider.as_view(), name="sso-sign-in"),
    path("sign-in/sso/start/<slug:partnership>/", sso.SignInWithProvider.as_view(), name="sso-sign-in-partnership"),
    path("sign-in/sso/callback/", sso.ProviderCallback.as_view(), name="sso-callback"),
]
