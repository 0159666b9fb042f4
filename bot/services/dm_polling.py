"""Direct messages as one more source of the X poller (bot/services/polling.py).

X's DM events have no since_id: pages are read newest first until the newest id seen
last time, which is the stored cursor (within X's DM read limit, 15 per 15 minutes). A
DM lands in the thread of that customer's open case, or opens a new case; the brand's
own DMs are skipped like its own replies. One instance polls at a time.

Example::

    dm_poller = XPoller(x=x, intake=intake, leases=leases, cursors=cursors, ...,
                        source=dm_source(x=x, brand_id=lambda: me.id))
    dm_poller.poll()
"""

from __future__ import annotations

from collections.abc import Callable

from bot.services.polling import Source
from bot.x.client import MentionsPage, XClient

DM_CURSOR = "dm_newest_id"
DM_LEASE = "x_dm_poller"


def dm_source(*, x: XClient, brand_id: Callable[[], str]) -> Source:
    """The brand's direct messages; they are no public posts, so no crisis watch."""
    return Source(name="dms", cursor=DM_CURSOR, lease=DM_LEASE, origin="dm",
                  watch_crisis=False,
                  fetch=lambda after: MentionsPage(
                      posts=x.fetch_dm_events(brand_id=brand_id(), after_id=after),
                      newest_id=None))
