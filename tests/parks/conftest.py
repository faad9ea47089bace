import os

import pytest
from django.core.management import call_command

from tests.shared import Layer


def load_published_quietly() -> None:
    with open(os.devnull, "w") as sink:
        call_command("load_published", stdout=sink)


@pytest.fixture(scope="module")
def published_layer(django_db_setup, django_db_blocker):
    """load_published once for the module's tests that ask for `published` (tests/shared.py):
    each starts from its rows, in a savepoint rolled back after it."""
    with Layer.kept("published_layer", django_db_blocker, load_published_quietly) as layer:
        yield layer


@pytest.fixture
def published(published_layer, loaded_plans):
    """The three documents' figures, as `manage.py load_published` loads them."""
    yield
    published_layer.restore()


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
