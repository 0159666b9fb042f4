"""Which channels the request guard counts as the desk's, and who may act from them."""

from bot.config import Settings
from handlers.guard import desk_channels
from tests.unit.test_config import GOOD


def test_the_care_channel_alone_by_default():
    assert desk_channels(Settings.from_env(GOOD)) == {"C0123ABCD"}


def test_every_channel_a_setting_names_is_a_desk_channel():
    settings = Settings.from_env({**GOOD, "CARE_QUIET_CHANNEL_ID": "C0QUIET1",
                                  "CARE_ESCALATION_CHANNELS": "legal=C0LEGAL1,comms=C0COMMS1"})
    assert desk_channels(settings) == {"C0123ABCD", "C0QUIET1", "C0LEGAL1", "C0COMMS1"}


def test_external_users_are_refused_unless_the_setting_allows_them():
    assert Settings.from_env(GOOD).allow_external_users is False
    assert Settings.from_env({**GOOD, "CARE_ALLOW_EXTERNAL_USERS": "true"}).allow_external_users
    assert not Settings.from_env({**GOOD, "CARE_ALLOW_EXTERNAL_USERS": "false"}
                                 ).allow_external_users
