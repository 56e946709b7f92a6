import io
import json
import zipfile

import pytest

from practicum.privacy import services
from practicum.workspace.messaging import services as messaging
from tests.credentials.conftest import complete
from tests.reviews.conftest import open_final, submit


@pytest.fixture
def history(active_engagement, student, mentor):
    """A finished engagement with a thread, both final reviews revealed and a credential."""
    messaging.post_message(active_engagement, by=student, body="Where is the survey data?")
    messaging.post_message(active_engagement, by=mentor, body="In the shared folder.")
    engagement = complete(open_final(active_engagement), student, mentor)
    submit(engagement, "final", mentor)
    submit(engagement, "final", student)
    return engagement


def built(user) -> dict[str, object]:
    """Ask for an export and build it as the task worker would: the files it holds."""
    export = services.request_export(user)
    assert services.build_export(export.pk) == "ready"
    export.refresh_from_db()
    with export.file.open("rb") as handle, zipfile.ZipFile(io.BytesIO(handle.read())) as archive:
        return {
            name: (
                archive.read(name).decode()
                if name.endswith(".txt")
                else json.loads(archive.read(name))
            )
            for name in archive.namelist()
        }
