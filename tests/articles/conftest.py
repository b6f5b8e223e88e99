import pytest

from tests.factories import StaffUserFactory


@pytest.fixture
def editor(db):
    """A member of 编辑: writes and submits, may not publish."""
    return StaffUserFactory(groups=["编辑"])


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client
