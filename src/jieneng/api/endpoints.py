"""The JSON API. (Filled in by the API work.)"""

from ninja import NinjaAPI

api = NinjaAPI(title="jieneng", version="1", urls_namespace="api")
