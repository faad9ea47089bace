import os

import pytest
from django.core.management import call_command


def load_published_quietly() -> None:
    with open(os.devnull, "w") as sink:
        call_command("load_published", stdout=sink)


@pytest.fixture
def published(loaded_plans):
    """The three documents' figures, as `manage.py load_published` loads them."""
    load_published_quietly()


# The roles, as the suite's own fixtures make them (tests/conftest.py).
@pytest.fixture
def office(admin_user):
    return admin_user


@pytest.fixture
def leader(leader_user):
    return leader_user


@pytest.fixture
def staff(staff_user):
    return staff_user
