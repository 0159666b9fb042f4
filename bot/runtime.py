"""The app factory: Settings -> database -> X and Slack clients -> services -> Bolt app.

``app.py`` only parses arguments and runs what this builds; tests build the same
runtime against local fakes (only base URLs differ).

Example::

    runtime = build_runtime(settings)
    runtime.start_jobs()
    serve_http(runtime, port=3000)
"""

from __future__ import annotations

import logging
import os
import socket
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime

from slack_bolt import App

from bot.config import Settings
from bot.domain.triage import Triager
from bot.instance_identity import (
    INSTANCE_HEARTBEAT_SECONDS,
    claim_instance,
)
from bot.render import route_text
from bot.scheduler import DELIVERY_INTERVAL_SECONDS, SWEEP_INTERVAL_SECONDS, Jobs
from bot.services.alarms import Alarms
from bot.services.crisis_watch import CrisisWatch
from bot.services.csat import SEND_CHECK_SECONDS, Satisfaction
from bot.services.desk import CareDesk
from bot.services.dm_polling import dm_source
from bot.services.home_tab import HomeTab
from bot.services.intake import Intake, QuietLog, Routing, first_run
from bot.services.leads import LeadDirectory
from bot.services.learning import Learning
from bot.services.moderation import Moderation
from bot.services.people import People
from bot.services.period_report import PeriodReports
from bot.services.phone import PhoneDesk
from bot.services.polling import (
    LAST_POLL,
    SEARCH_CURSOR,
    SEARCH_LEASE,
    Source,
    XPoller,
)
from bot.services.praise import DIGEST_CHECK_SECONDS, PraiseLane
from bot.services.quarantine import Quarantine
from bot.services.queue_report import QueueReport
from bot.services.route_to import CaseRouter
from bot.services.routing import RouteDesk
from bot.services.saved_replies import ReplyDesk
from bot.services.screening import Screening
from bot.services.sending import ReplySender
from bot.services.sla_sweep import SlaSweeper
from bot.services.slack_events import EventsOnce
from bot.services.slack_sync import SlackSync
from bot.services.triage_actions import TriageActions
from bot.slack_out import ChannelPacer, SlackOut, build_web_client
from bot.x.client import Me, XClient
from handlers import events, guard
from handlers import routes as route_handlers
from handlers.context import HandlerServices
from handlers.registry import register_groups
from storage.agents import AgentProfiles
from storage.callbacks import PhoneCallbacks
from storage.cases import CaseStore
from storage.channel_posts import ChannelPosts
from storage.coordination import Cursors, Instances, Leases, Process
from storage.crisis_periods import CrisisPeriods
from storage.csat import CsatQuestions
from storage.db import Database
from storage.events import SlackEvents
from storage.health import HealthBoard, HealthReads
from storage.labels import TriageLabels
from storage.outbox import SlackOutbox, XOutbox
from storage.praise import PraiseItems
from storage.quarantine import QuarantinedPosts
from storage.replies import SavedReplies
from storage.reports import PeriodRecords, ReportRuns, Reports
from storage.route_moves import RouteMoves
from storage.screening import FilteredPosts, MutedAuthors, SharedState, Usage
from storage.sla import SlaStore

log = logging.getLogger("care_desk")

REPORT_CHECK_SECONDS = 60  # scheduled reports: how often an instance looks for a due one
HOME_REFRESH_SECONDS = 60  # an open Home tab is refreshed at most this often
CALLBACK_CHECK_SECONDS = 10  # how soon a number in a customer's DM flags the case
ROUTE_CHANNEL_RETRY_SECONDS = 300  # a route channel the bot could not post in is tried again
CLICK_WORKERS = 2  # clicks worked at once after their acks: mostly database time; two keep a
# busy minute's backlog short and leave the CPU to the acks (modal clicks do not queue here)


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass
class Runtime:
    settings: Settings
    db: Database
    x: XClient
    me: Me
    slack: SlackOut
    store: CaseStore
    desk: CareDesk
    poller: XPoller
    search_poller: XPoller | None
    dm_poller: XPoller
    sender: ReplySender
    sync: SlackSync
    sweeper: SlaSweeper
    jobs: Jobs
    app: App
    owner: str
    listeners: ThreadPoolExecutor
    instances: Instances
    process: Process
    click_work: ThreadPoolExecutor | None = None
    health_board: HealthBoard | None = None

    def start_jobs(self) -> None:
        self.jobs.start()

    def stop(self) -> None:
        """Let running listeners finish, stop the jobs, close the database."""
        self.listeners.shutdown(wait=True)
        if self.click_work is not None:
            self.click_work.shutdown(wait=True)
        self.jobs.shutdown()
        instance_id = self.settings.instance_id
        if self.instances.release(instance_id=instance_id, me=self.process):
            Leases(self.db).release_all(owner=instance_id, now=utc_now())
        self.db.dispose()

    def health(self) -> dict:
        snapshot = (self.health_board.current().snapshot if self.health_board is not None
                    else HealthReads(self.db).snapshot(poll_cursor=LAST_POLL))
        last = snapshot.last_poll if snapshot else None
        return {"database": "ok" if snapshot else "unreachable",
                "last_x_poll": last[0] if last else None,
                "x_poll_error": self.poller.last_error,
                "outbox_backlog": snapshot.x_backlog if snapshot else None,
                "slack_pending": snapshot.slack_pending if snapshot else None}


@dataclass
class _Base:
    """What every part of the desk is built on: settings, clock, clients and the kick."""

    settings: Settings
    clock: Callable[[], datetime]
    db: Database
    web_client: object
    slack: SlackOut
    x: XClient
    me: Me
    store: CaseStore
    leads: LeadDirectory
    channel_posts: ChannelPosts
    routes: RouteDesk | None
    kick: Callable[[], None]
    kick_targets: list[Callable[[], None]]

    @property
    def policy(self):
        return self.settings.sla_policy


def build_runtime(settings: Settings, *, clock: Callable[[], datetime] = utc_now,
                  owner: str | None = None, pacer: ChannelPacer | None = None,
                  on_identity_lost: Callable[[], None] = lambda: None) -> Runtime:
    """``owner`` names this process's outbox leases; the pollers' leases are held in the
    name of ``settings.instance_id``, which a restarted process takes back at once."""
    owner = owner or f"{socket.gethostname()}:{os.getpid()}"
    base = _connect(settings, clock=clock, pacer=pacer)
    instances, process, heartbeat = claim_instance(db=base.db, instance_id=settings.instance_id,
                                                   clock=clock, on_lost=on_identity_lost)
    agents = AgentProfiles(base.db)
    desk = CareDesk(store=base.store, leads=base.leads, policy=base.policy, clock=clock,
                    kick=base.kick, agents=agents, signature_format=settings.signature_format,
                    routes=base.routes)
    intake, crisis, alarms, screening = _intake(base)
    pollers = _pollers(base, intake=intake, crisis=crisis, alarms=alarms)
    sender = ReplySender(outbox=XOutbox(base.db), store=base.store, x=base.x,
                         brand=lambda: (base.me.id, base.me.username), clock=clock, owner=owner,
                         kick=base.kick)
    sync = SlackSync(outbox=SlackOutbox(base.db), store=base.store, slack=base.slack, clock=clock,
                     owner=owner, tz=base.policy.hours.tz, channel_posts=base.channel_posts,
                     can_escalate=bool(settings.escalation_channels),
                     can_route=base.routes is not None)
    sweeper = SlaSweeper(sla=SlaStore(base.db), channel_posts=base.channel_posts,
                         policy=base.policy, leads=base.leads, channel=settings.care_channel_id,
                         clock=clock, kick=base.kick, routes=base.routes)
    jobs = _jobs(settings, pollers=pollers, sync=sync, sender=sender, sweeper=sweeper)
    jobs.add("instance_heartbeat", heartbeat, seconds=INSTANCE_HEARTBEAT_SECONDS)
    # /healthz answers from a copy that a job re-reads and a kick marks stale.
    health_board = HealthBoard(HealthReads(base.db), poll_cursor=LAST_POLL)
    jobs.add("health_snapshot", health_board.refresh, seconds=health_board.refresh_seconds)
    base.kick_targets += [jobs.kick, sync.wake, health_board.mark_stale]
    listeners = ThreadPoolExecutor(max_workers=32, thread_name_prefix="listener")
    app = App(client=base.web_client, listener_executor=listeners,
              signing_secret=settings.slack_signing_secret or "unused-in-socket-mode",
              request_verification_enabled=not settings.socket_mode,
              process_before_response=False)
    # A click's work runs on its own bounded pool after the ack: Bolt's listener threads
    # only ack, so an ack never waits for a thread held by database work.
    click_work = ThreadPoolExecutor(max_workers=CLICK_WORKERS, thread_name_prefix="click-work")
    runtime = Runtime(settings=settings, db=base.db, x=base.x, me=base.me, slack=base.slack,
                      store=base.store, desk=desk, poller=pollers["poll_x"],
                      search_poller=pollers.get("poll_search"), dm_poller=pollers["poll_dms"],
                      sender=sender, sync=sync, sweeper=sweeper, jobs=jobs, app=app, owner=owner,
                      listeners=listeners, instances=instances, process=process,
                      click_work=click_work, health_board=health_board)
    services = _handler_services(base, runtime=runtime, intake=intake, crisis=crisis,
                                 screening=screening, agents=agents)
    _register_listeners(base, app=app, jobs=jobs, services=services)
    return runtime


def _connect(settings: Settings, *, clock: Callable[[], datetime],
             pacer: ChannelPacer | None) -> _Base:
    """The database, Slack and X clients, the brand's account, the leads and the routes."""
    db = Database.connect(settings.database_url)
    web_client = build_web_client(token=settings.slack_bot_token, base_url=settings.slack_api_url)
    slack = SlackOut(web_client, pacer=pacer)
    x = XClient.create(bearer_token=settings.x_bearer_token, api_key=settings.x_api_key,
                       api_secret=settings.x_api_secret, access_token=settings.x_access_token,
                       access_token_secret=settings.x_access_token_secret,
                       base_url=settings.x_api_url)
    me = x.get_me()
    leads = LeadDirectory(lead_ids=settings.lead_ids, members_of=slack.usergroup_members)
    routes = (RouteDesk(chart=settings.routes, policy=settings.sla_policy,
                        care_channel=settings.care_channel_id, leads=leads,
                        members_of=slack.usergroup_members)
              if settings.routes else None)
    targets: list[Callable[[], None]] = []

    def kick() -> None:
        for fn in targets:
            fn()

    return _Base(settings=settings, clock=clock, db=db, web_client=web_client, slack=slack,
                 x=x, me=me, store=CaseStore(db), leads=leads, channel_posts=ChannelPosts(db),
                 routes=routes, kick=kick, kick_targets=targets)


def _intake(base: _Base) -> tuple[Intake, CrisisWatch, Alarms, Screening]:
    """Screening, the crisis watch, the alarms and the intake that uses them."""
    settings, db, clock, me = base.settings, base.db, base.clock, base.me
    triager = Triager(rules=settings.triage_rules)
    screening = Screening(triager=triager, muted=MutedAuthors(db),
                          brand=lambda: (me.id, me.username))
    shared = SharedState(db)
    crisis = CrisisWatch(state=shared, rules=settings.crisis_rules,
                         channel_posts=base.channel_posts,
                         sentiment=lambda text: triager.classify(
                             text=text, brand_handle=me.username).sentiment,
                         channel=settings.care_channel_id, leads=base.leads, clock=clock,
                         kick=base.kick, periods=CrisisPeriods(db))
    alarms = Alarms(state=shared, channel_posts=base.channel_posts,
                    channel=settings.care_channel_id, hours=base.policy.hours,
                    silence_hours=settings.silence_alert_hours, leads=base.leads,
                    clock=clock, kick=base.kick)
    quiet = (QuietLog(channel_posts=base.channel_posts, channel=settings.quiet_channel_id)
             if settings.quiet_channel_id else None)
    intake = Intake(store=base.store, policy=base.policy, channel=settings.care_channel_id,
                    clock=clock, screening=screening, filtered=FilteredPosts(db), quiet=quiet,
                    crisis=crisis, desk_since=first_run(Cursors(db), now=clock()),
                    quarantine=Quarantine(store=QuarantinedPosts(db),
                                          channel_posts=base.channel_posts,
                                          channel=settings.care_channel_id, clock=clock,
                                          tz=base.policy.hours.tz, kick=base.kick),
                    routing=Routing(reopen_days=settings.reopen_days,
                                    sticky_assign=settings.sticky_assign,
                                    sticky_days=settings.sticky_days), routes=base.routes)
    return intake, crisis, alarms, screening


def _pollers(base: _Base, *, intake: Intake, crisis: CrisisWatch,
             alarms: Alarms) -> dict[str, XPoller]:
    """One poller per source of X (mentions, DMs, and the search when set), by job name;
    their leases are held under the instance id."""
    settings, db, x, me = base.settings, base.db, base.x, base.me
    common = dict(x=x, intake=intake, cursors=Cursors(db), brand_id=lambda: me.id,
                  clock=base.clock, owner=settings.instance_id, kick=base.kick, usage=Usage(db),
                  alarms=alarms)
    pollers = {
        "poll_x": XPoller(leases=Leases(db), crisis=crisis,
                          lease_seconds=max(60, settings.x_poll_seconds * 3), **common),
        "poll_dms": XPoller(leases=Leases(db),
                            lease_seconds=max(180, settings.x_dm_poll_seconds * 3),
                            source=dm_source(x=x, brand_id=lambda: me.id), **common)}
    if settings.x_search_query:
        query = settings.x_search_query
        pollers["poll_search"] = XPoller(
            leases=Leases(db), crisis=crisis, brand_handle=lambda: me.username,
            lease_seconds=max(180, settings.x_search_poll_seconds * 3),
            source=Source(name="search", cursor=SEARCH_CURSOR, lease=SEARCH_LEASE,
                          fetch=lambda since: x.search_recent(query=query, since_id=since)),
            **common)
    return pollers


def _jobs(settings: Settings, *, pollers: dict[str, XPoller], sync: SlackSync,
          sender: ReplySender, sweeper: SlaSweeper) -> Jobs:
    seconds = {"poll_x": settings.x_poll_seconds, "poll_dms": settings.x_dm_poll_seconds,
               "poll_search": settings.x_search_poll_seconds}
    work = {name: (poller.poll, seconds[name]) for name, poller in pollers.items()}
    work.update({"deliver_slack": (sync.deliver_due, DELIVERY_INTERVAL_SECONDS),
                 "deliver_x": (sender.deliver_due, DELIVERY_INTERVAL_SECONDS),
                 "sweep_sla": (sweeper.sweep, SWEEP_INTERVAL_SECONDS)})
    return Jobs(work)


def _handler_services(base: _Base, *, runtime: Runtime, intake: Intake, crisis: CrisisWatch,
                      screening: Screening, agents: AgentProfiles) -> HandlerServices:
    """The services behind the listeners, with the features around cases (praise, learning,
    saved replies, the phone, reports, the Home tab, routing) and their jobs."""
    settings, db, clock, slack, x, me = (base.settings, base.db, base.clock, base.slack,
                                         base.x, base.me)
    desk, sync, sender, jobs, kick = (runtime.desk, runtime.sync, runtime.sender, runtime.jobs,
                                      base.kick)
    policy = base.policy
    csat = Satisfaction(questions=CsatQuestions(db), x=x, brand_id=lambda: me.id, clock=clock,
                        owner=runtime.owner, text=settings.csat_text, enabled=settings.csat,
                        kick=kick, wake=lambda: jobs.kick("send_csat"))
    jobs.add("send_csat", csat.send_due, seconds=SEND_CHECK_SECONDS)
    report = QueueReport(reports=Reports(db), policy=policy, clock=clock,
                         slack_pending=lambda: sync.outbox.pending()
                         + base.channel_posts.pending(),
                         x_backlog=sender.outbox.backlog, usage=Usage(db).month,
                         prices=(settings.price_per_read, settings.price_per_owned_read,
                                 settings.monthly_read_cap), crisis=crisis.status_line,
                         csat=csat.status_line)
    people = People(store=base.store, agents=agents,
                    departments=dict(settings.escalation_channels),
                    signature_format=settings.signature_format, clock=clock, kick=kick)
    moderation = Moderation(store=base.store, muted=screening.muted, x=x,
                            brand_id=lambda: me.id, clock=clock, kick=kick)
    triage_actions = TriageActions(filtered=intake.filtered, intake=intake, kick=kick,
                                   crisis=crisis)
    learning = Learning(labels=TriageLabels(db), brand_handle=lambda: me.username, clock=clock)
    intake.ratings = csat

    def closed(case, *, reason, by) -> None:
        csat.case_closed(case, reason=reason, by=by)
        learning.case_closed(case, reason=reason, by=by)

    desk.on_closed = closed
    triage_actions.learning = learning
    intake.praise = PraiseLane(items=PraiseItems(db), store=base.store, policy=policy,
                               post_message=slack.post, channel=settings.care_channel_id,
                               clock=clock, learning=learning, brand_id=lambda: me.id, kick=kick,
                               like_on_x=lambda post_id: x.like(brand_id=me.id, post_id=post_id))
    jobs.add("praise_digest", intake.praise.post_digest, seconds=DIGEST_CHECK_SECONDS)
    saved_replies = ReplyDesk(store=SavedReplies(db), leads=base.leads, clock=clock,
                              faq_url=settings.faq_url, file_path=settings.replies_file,
                              agent_name=slack.real_name, signature=desk.signature)
    saved_replies.import_file()
    sync.suggest = saved_replies.suggestion_titles
    phone_desk = PhoneDesk(desk=desk, callbacks=PhoneCallbacks(db), store=base.store,
                           slack=slack, clock=clock, replies=saved_replies,
                           phone_number=settings.phone_number, kick=kick)
    sync.phone = phone_desk.flag
    jobs.add("check_callbacks", phone_desk.check_for_numbers, seconds=CALLBACK_CHECK_SECONDS)
    period_reports = PeriodReports(
        records=PeriodRecords(db), policy=policy, clock=clock, slack=slack,
        schedule=settings.report_schedule, runs=ReportRuns(db), owner=settings.instance_id,
        channel=settings.report_channel_id or settings.care_channel_id)
    if settings.report_schedule:
        jobs.add("post_reports", period_reports.post_due, seconds=REPORT_CHECK_SECONDS)
    home_tab = HomeTab(reports=Reports(db), policy=policy, clock=clock, slack=slack,
                       is_lead=base.leads.is_lead, more_sections=saved_replies.home_section)
    jobs.add("refresh_home", home_tab.refresh, seconds=HOME_REFRESH_SECONDS)
    router = (CaseRouter(routes=base.routes, store=base.store, moves=RouteMoves(db),
                         clock=clock, kick=kick) if base.routes is not None else None)
    return HandlerServices(desk=desk, slack=slack, report=report, people=people,
                           brand_id=lambda: me.id, moderation=moderation,
                           triage=triage_actions, intake=intake, praise=intake.praise,
                           learning=learning, period_reports=period_reports,
                           replies=saved_replies, phone=phone_desk, home=home_tab,
                           router=router, after_ack=runtime.click_work.submit)


def _register_listeners(base: _Base, *, app: App, jobs: Jobs,
                        services: HandlerServices) -> None:
    """Every Bolt listener and middleware, in the order they must run."""
    settings, slack, clock = base.settings, base.slack, base.clock
    slack_events = EventsOnce(SlackEvents(base.db))
    jobs.add("forget_old_events", lambda: slack_events.forget_old(now=clock()), seconds=3600)
    events.register(app, events=slack_events, clock=clock,
                    care_channel=settings.care_channel_id,
                    welcome=lambda channel, user: slack.ephemeral(
                        channel=channel, user=user, text=events.WELCOME))
    guard.register(app, channels=guard.desk_channels(settings), desk=services.desk,
                   slack=slack, allow_external_users=settings.allow_external_users)
    register_groups(app, services)
    routes = base.routes
    if routes is not None:
        routes.check_channels(join=slack.join_channel, say=lambda name: base.channel_posts.queue(
            channel=settings.care_channel_id, now=clock(), text=route_text.unreachable(
                routes.route(name), care_channel=settings.care_channel_id)))

        def say_back(name: str) -> None:
            base.channel_posts.queue(channel=settings.care_channel_id, now=clock(),
                                     text=route_text.reachable(routes.route(name)))
            base.kick()

        route_handlers.watch_route_channels(app, routes=routes, say_back=say_back)
        jobs.add("retry_route_channels", lambda: routes.retry_channels(
            join=slack.join_channel, say_back=say_back), seconds=ROUTE_CHANNEL_RETRY_SECONDS)
