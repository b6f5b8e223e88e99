import pytest


@pytest.fixture(autouse=True)
def _own_content_generation(settings, tmp_path):
    """Each test has its own generation file, so other test runs on the machine cannot bump it."""
    settings.QXS_CONTENT_GENERATION_FILE = tmp_path / "content-generation"
