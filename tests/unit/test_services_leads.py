"""Who is a team lead: user ids and members of Slack user groups, read briefly cached."""

from __future__ import annotations

from bot.services.leads import LeadDirectory


class Groups:
    """Members of user groups, counting the look-ups; fails for groups it does not know."""

    def __init__(self, members: dict[str, list[str]]) -> None:
        self.members = members
        self.lookups = 0

    def __call__(self, group: str) -> list[str]:
        self.lookups += 1
        if group not in self.members:
            raise ConnectionError("slack unreachable")
        return self.members[group]


def test_leads_are_the_listed_users_and_the_members_of_listed_groups():
    groups = Groups({"S0LEADS": ["UG1", "UG2"]})
    directory = LeadDirectory(lead_ids=("U1", "S0LEADS"), members_of=groups)
    assert directory.is_lead("U1") and directory.is_lead("UG2")
    assert not directory.is_lead("U2") and not directory.is_lead("S0LEADS")
    assert groups.lookups == 1  # cached between questions


def test_group_members_are_read_again_after_the_cache_expires():
    groups = Groups({"S0LEADS": ["UG1"]})
    directory = LeadDirectory(lead_ids=("S0LEADS",), members_of=groups, ttl_seconds=0)
    assert directory.is_lead("UG1")
    groups.members["S0LEADS"] = ["UG3"]
    assert not directory.is_lead("UG1") and directory.is_lead("UG3")
    assert groups.lookups == 3


def test_an_unreadable_group_falls_back_to_the_listed_users():
    directory = LeadDirectory(lead_ids=("U1", "S0GONE"), members_of=Groups({}))
    assert directory.is_lead("U1") and not directory.is_lead("UG1")


def test_the_mention_list_names_users_and_groups_the_slack_way():
    directory = LeadDirectory(lead_ids=("U1", "S0LEADS"), members_of=Groups({}))
    assert directory.mention_list() == "<@U1>, <!subteam^S0LEADS>"
