from practicum.accounts.api import router as accounts_router
from practicum.accounts.api_auth import session_auth, token_auth
from practicum.alerts.api import router as alerts_router
from practicum.analytics.api import router as analytics_router
from practicum.careers.api import router as careers_router
from practicum.completion.api import router as completion_router
from practicum.core import api as api_errors
from practicum.credentials.api import router as credentials_router
from practicum.engagements.api import router as engagements_router
from practicum.interviews.api import router as interviews_router
from practicum.notifications.api import router as notifications_router
from practicum.privacy.api import router as privacy_router
from practicum.profiles.api import router as profiles_router
from practicum.projects.api import router as projects_router
from practicum.reciprocity.api import router as reciprocity_router
from practicum.recommendations.api import router as recommendations_router
from practicum.reviews.api import router as reviews_router
from practicum.rounds.api import router as rounds_router
from practicum.skills.api import router as skills_router
from practicum.talent.api import router as talent_router
from practicum.workspace.api import router as workspace_router
from practicum.workspace.checkins.api import router as checkins_router
from practicum.workspace.deliverables.api import router as deliverables_router
from practicum.workspace.learning.api import router as learning_router
from practicum.workspace.messaging.api import router as messaging_router
from practicum.workspace.progress.api import router as progress_router

api = api_errors.PracticumAPI(
    title="Practicum API",
    version="1",
    description=(
        "The same actions as the web pages, as JSON. Authenticate with a personal token "
        "(`Authorization: Bearer pct_…`, created on the API tokens page) or a browser session. "
        'Errors are `{"code", "message", "fields"}` with a 4xx status. Lists come in pages: '
        "`page` (from 1) and `page_size` (1–100, default 20) in the query, "
        '`{"items", "count"}` back with the total count; a page past the end has no items.'
    ),
    auth=[token_auth, session_auth],
    urls_namespace="api",
)
api_errors.install(api)
api.add_router("/", accounts_router)
api.add_router("/skills", skills_router)
api.add_router("/", profiles_router)
api.add_router("/", projects_router)
api.add_router("/", engagements_router)
api.add_router("/notifications", notifications_router)
api.add_router("/", recommendations_router)
api.add_router("/", interviews_router)
api.add_router("/", alerts_router)
api.add_router("/", rounds_router)
api.add_router("/", workspace_router)
api.add_router("/", checkins_router)
api.add_router("/", deliverables_router)
api.add_router("/", messaging_router)
api.add_router("/", progress_router)
api.add_router("/", learning_router)
api.add_router("/", reviews_router)
api.add_router("/", completion_router)
api.add_router("/", talent_router)
api.add_router("/", careers_router)
api.add_router("/", reciprocity_router)
api.add_router("/credentials", credentials_router)
api.add_router("/", privacy_router)
api.add_router("/", analytics_router)
