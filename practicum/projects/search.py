"""The text discovery searches: each project's words folded to plain lower-case letters, so "cafe"
finds "Café" and "CAFÉ" on every database.

PostgreSQL's `unaccent` cannot sit in an index expression (it is not IMMUTABLE), and SQLite has
no accent folding at all; folding once in Python when a project is saved gives both databases
the same stored text (and the same query text, folded the same way), which PostgreSQL indexes
with GIN for full-text search and SQLite searches with LIKE.
"""

import unicodedata


def fold(text: str) -> str:
    """Lower case without accents: "Café Ñandú" → "cafe nandu". Letters with no decomposition
    (ø, ł) stay as they are, lower-cased."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def body_text(description: str, objectives, learning_outcomes) -> str:
    """The posting's body, searched with the lowest weight."""
    return fold("\n".join([description, *(objectives or []), *(learning_outcomes or [])]))
