from ninja import NinjaAPI

from practicum.accounts.api import router as accounts_router
from practicum.api import errors
from practicum.api.auth import session_auth, token_auth
from practicum.engagements.api import router as engagements_router
from practicum.notifications.api import router as notifications_router
from practicum.profiles.api import router as profiles_router
from practicum.projects.api import router as projects_router
from practicum.recommendations.api import router as recommendations_router
from practicum.rounds.api import router as rounds_router
from practicum.skills.api import router as skills_router

api = NinjaAPI(
    title="Practicum API",
    version="1",
    description=(
        "The same actions as the web pages, as JSON. Authenticate with a personal token "
        "(`Authorization: Bearer pct_…`, created on the API tokens page) or a browser session. "
        'Errors are `{"code", "message", "fields"}` with a 4xx status.'
    ),
    auth=[token_auth, session_auth],
    urls_namespace="api",
)
errors.install(api)
api.add_router("/", accounts_router)
api.add_router("/skills", skills_router)
api.add_router("/", profiles_router)
api.add_router("/", projects_router)
api.add_router("/", engagements_router)
api.add_router("/notifications", notifications_router)
api.add_router("/", recommendations_router)
api.add_router("/", rounds_router)
