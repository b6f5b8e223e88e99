import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def test_home_page_names_the_seed_meeting(client):
    call_command("load_demo", verbosity=0)
    response = client.get("/")
    assert response.status_code == 200
    assert "东北老工业基地质量兴市工作座谈会" in response.content.decode()
