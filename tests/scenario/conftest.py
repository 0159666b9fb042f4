import pytest

from tests.scenario.harness import Desk


@pytest.fixture
def desk(database_url):
    running = Desk.start(database_url=database_url)
    yield running
    running.stop()
