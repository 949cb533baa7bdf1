"""The API's endpoints, one module per subject; `saferhub/api/urls.py` maps them under `/api/v1/`."""
