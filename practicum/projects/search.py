"""The text discovery searches: each project's words folded to plain lower-case letters, so "cafe"
finds "Café" and "CAFÉ" on every database.

PostgreSQL's `unaccent` cannot sit in an index expression (it is not IMMUTABLE), and SQLite has
no accent folding at all; folding once in Python when a project is saved gives both databases
the same stored text (and the same query text, folded the same way), which PostgreSQL indexes
with GIN for full-text search and SQLite searches with LIKE.
"""

import unicodedata

from django.contrib.postgres.search import SearchVector
from django.db import connection

# PostgreSQL's text-search configuration: English stemming, so "surveys" finds "survey".
SEARCH_CONFIG = "english"


def fold(text: str) -> str:
    """Lower case without accents: "Café Ñandú" → "cafe nandu". Letters with no decomposition
    (ø, ł) stay as they are, lower-cased."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def body_text(description: str, objectives, learning_outcomes) -> str:
    """The posting's body, searched with the lowest weight."""
    return fold("\n".join([description, *(objectives or []), *(learning_outcomes or [])]))


def document() -> SearchVector:
    """The weighted text-search document of a project, from its folded columns: title matters
    most, then the summary and the skills, then the body of the posting."""
    return (
        SearchVector("search_title", weight="A", config=SEARCH_CONFIG)
        + SearchVector("search_summary", "search_skills", weight="B", config=SEARCH_CONFIG)
        + SearchVector("search_body", weight="C", config=SEARCH_CONFIG)
    )


def store_documents(projects) -> None:
    """Store document() in `search_document` for these projects (a queryset), on PostgreSQL:
    computed once when the text changes, so a search ranks the stored vectors instead of
    parsing every matching posting again (issue 14: 330 ms for a common word at full scale).
    SQLite searches the folded columns themselves and leaves the column empty."""
    if connection.vendor == "postgresql":
        projects.update(search_document=document())
