from zonedesk.core.audit import acting_as


class RequestActorMiddleware:
    """Every web request runs as its logged-in user, so page writes land in the history with a name.

    API requests authenticate inside django-ninja; the API layer opens its own ``acting_as``.
    Anonymous requests get no actor context at all: they cannot write.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not request.path.startswith("/api/"):
            with acting_as(user, source="web"):
                return self.get_response(request)
        return self.get_response(request)
