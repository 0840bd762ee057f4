"""Who may reach the dataset list (search): everyone. What each person finds in it (drafts
only for their publisher) is tested in tests/integration/catalogue/test_search.py."""

from tests.access.rules import PUBLIC, Route

ACCESS = {
    "catalogue:dataset-list": Route(PUBLIC),
}
