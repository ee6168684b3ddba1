"""The scheduler: one tick job (`reminders.tick`) that queues whatever the rules say is due,
and closes each quarter when its time comes (coverage.close_after after its end).

`run_due(now)` reads a snapshot of the store, asks the pure rules of bot.reminders what is due
at NOW, and queues in the outbox, in one transaction, each decision whose key is not there yet.
The outbox's unique keys make it idempotent: a restart, a re-computation or two ticks at once
queue nothing twice. Delivery (bot.delivery) sends what is queued.
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from collections import defaultdict
from collections.abc import Iterable
from datetime import UTC, datetime, time, timedelta

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bot.core.clock import Clock
from bot.core.closing import quarter_due_to_close
from bot.core.config import Config
from bot.core.i18n import Translator
from bot.core.quarters import Quarter
from bot.core.reminders import (
    CHASE_CATCH_UP,
    CONFIRMATION_WAIT,
    DIGEST_CATCH_UP,
    DigestDue,
    Due,
    MeetingInfo,
    MemberGap,
    at_local,
    confirmation_chases,
    digests,
    final_digests,
    is_due,
    meeting_reminders,
    next_month,
    nudge_moments,
    office_escalations,
    quarter_nudges,
    scheduling_chase_moment,
    scheduling_chases,
    suggestion_week,
    weekly_suggestions,
)
from bot.digest.outbox import queue_digest
from bot.housekeeping import Housekeeping
from bot.outage import Outage
from bot.services import StoreUnavailable
from bot.services.closing import close_quarter
from bot.services.coverage import quarter_coverage, still_assigned
from bot.services.health import record_tick
from bot.services.identity import admin_people
from bot.services.outbox import message_payload
from handlers.reminders import render
from storage.outbox import Queued
from storage.store import Store

log = logging.getLogger(__name__)

TICK_JOB = "reminders.tick"


class Scheduler:
    def __init__(self, config: Config, store: Store):
        self.config = config
        self.store = store
        self._running = asyncio.Lock()
        # Campaigns (a week's suggestions, one nudge, a month's date chase) already worked out
        # in this process, with the people the bot could reach then: their keys are queued, so
        # the coverage they need is not re-read at every tick, only once someone new is
        # reachable. Only a saving: the outbox keys stay the guarantee.
        self._worked_out: dict[str, frozenset[int]] = {}
        self._housekeeping = Housekeeping(config, store)
        # Quarters seen closed, not to be looked up at every tick (the store says it once).
        self._closed: set[Quarter] = set()

    async def run_due(self, now: datetime) -> int:
        """Queue every message due at NOW that is not queued yet; return how many decisions
        that was (a digest counts once per chat, whatever its parts)."""
        async with self._running:  # ticks never overlap in one process; keys cover the rest
            # Closed first: a digest due now is then the final one.
            await self._close_due(now)
            # Only those the bot can write to: the others show in the digest, not as failed rows.
            reachable = await self.store.reminders.reachable_languages()
            campaigns: set[str] = set()
            decisions = [
                d for d in await self._decisions(now, set(reachable), campaigns) if is_due(d, now)
            ]
            queued = await self._queue(decisions, reachable, now)
            for campaign in campaigns:
                self._worked_out[campaign] = frozenset(reachable)
            queued += await self._queue_digests(decisions, now)
            await self._housekeeping.run_due(now)  # at most once a day
            return queued

    async def _close_due(self, now: datetime) -> None:
        """Close the quarter whose closing moment (coverage.close_after after its end) has
        come, unless it is closed (by an earlier tick, another process, or the office)."""
        config = self.config
        quarter = quarter_due_to_close(
            now,
            config.committee.tz,
            config.coverage.close_after,
            config.reminders.checkin_closes_after,
        )
        if quarter in self._closed:
            return
        try:
            if await self.store.closing.closed(quarter) is None:
                await close_quarter(self.store, config, quarter, now, "bot")
        except StoreUnavailable as exc:
            # A full or read-only disk: the closing is all or nothing, so nothing was closed;
            # the rest of the tick goes on, and the next tick tries again.
            log.warning("closing %s failed (%s); it is tried again at the next tick", quarter, exc)
            return
        self._closed.add(quarter)

    def _worked_out_for(self, campaign: str, reachable: set[int]) -> bool:
        """Whether CAMPAIGN was worked out for everyone reachable now."""
        done = self._worked_out.get(campaign)
        return done is not None and done.issuperset(reachable)

    async def wait_idle(self) -> None:
        """Return once no tick is running (shutdown: the store is about to close)."""
        async with self._running:
            pass

    async def _decisions(
        self, now: datetime, reachable: set[int], campaigns: set[str]
    ) -> list[Due]:
        """Every decision the rules make at NOW, due or not; adds the campaigns it worked out
        to CAMPAIGNS."""
        config, queries = self.config, self.store.reminders
        settings, tz = config.reminders, config.committee.tz
        horizon = max([*settings.before_meeting, settings.checkin_opens_before])
        plans = await queries.planned_meetings(now - settings.checkin_closes_after, now + horizon)
        decisions = list(
            meeting_reminders(
                plans,
                settings.before_meeting,
                settings.checkin_opens_before,
                settings.checkin_closes_after,
            )
        )
        escalate_after = settings.confirm_escalate_after
        waits = (CONFIRMATION_WAIT, escalate_after)
        pending = await queries.pending_checkins(
            now - max(waits) - CHASE_CATCH_UP, now - min(waits)
        )
        decisions += confirmation_chases(pending)
        admins = await admin_people(self.store, config) if pending else []
        decisions += office_escalations(pending, admins, escalate_after)
        decisions += await self._scheduling_chases(now, reachable, campaigns)
        decisions += await self._member_campaigns(now, reachable, campaigns)
        decisions += digests(config.access.digest_targets, config.digest.send_at, now, tz)
        closed = await self.store.closing.closed_since(now - DIGEST_CATCH_UP)
        decisions += final_digests(config.access.digest_targets, closed)
        return decisions

    async def _scheduling_chases(
        self, now: datetime, reachable: set[int], campaigns: set[str]
    ) -> list[Due]:
        tz = self.config.committee.tz
        month = next_month(now, tz)
        campaign = f"schedule-chase:{month:%Y-%m}"
        # Worked out only once due: a campaign looked at earlier (a tick at midnight on the
        # 25th) would count as done and never be looked at again.
        due, _ = scheduling_chase_moment(month, tz)
        if now < due or self._worked_out_for(campaign, reachable):
            return []
        campaigns.add(campaign)
        following = next_month(at_local(month, time(0), tz), tz)
        cells = await self.store.reminders.cells_without_meeting(
            at_local(month, time(0), tz), at_local(following, time(0), tz)
        )
        return list(scheduling_chases(cells, month, tz))

    async def _member_campaigns(
        self, now: datetime, reachable: set[int], campaigns: set[str]
    ) -> list[Due]:
        """This week's suggestions and the quarter's nudges, when one of them is open."""
        settings, tz = self.config.reminders, self.config.committee.tz
        quarter = Quarter.at(now, tz)
        open_now = []
        if settings.weekly_suggestion:
            week, due, until = suggestion_week(now, tz)
            if due <= now < until:
                open_now.append(f"suggest:{week}")
        for due, until, before in nudge_moments(quarter, settings.nudge_before_quarter_end, tz):
            if due <= now < until:
                open_now.append(f"nudge:{quarter}:{before}")
        open_now = [c for c in open_now if not self._worked_out_for(c, reachable)]
        if not open_now:
            return []
        campaigns.update(open_now)
        gaps, upcoming = await self._gaps(quarter, now)
        decisions: list[Due] = []
        if any(c.startswith("suggest:") for c in open_now):
            decisions += weekly_suggestions(gaps, upcoming, now, tz)
        if any(c.startswith("nudge:") for c in open_now):
            decisions += quarter_nudges(
                gaps, upcoming, quarter, settings.nudge_before_quarter_end, tz
            )
        return decisions

    async def _gaps(
        self, quarter: Quarter, now: datetime
    ) -> tuple[list[MemberGap], dict[str, list[MeetingInfo]]]:
        """Members' organizations with no visit yet, less those they plan to visit; and the
        meetings left in the quarter, by organization."""
        config, queries = self.config, self.store.reminders
        _, quarter_end = quarter.utc_bounds(config.committee.tz)
        coverage = await quarter_coverage(self.store, config, quarter)
        coverable = await still_assigned(
            self.store, config, quarter, now.astimezone(config.committee.tz).date()
        )
        names = {o.code: o.name for o in coverage.organizations}
        upcoming: dict[str, list[MeetingInfo]] = defaultdict(list)
        for meeting in await queries.meetings_between(now, quarter_end):
            upcoming[meeting.organization_code].append(meeting)
        planned = {
            (plan.member_code, plan.meeting.organization_code)
            for plan in await queries.planned_meetings(now, quarter_end)
        }
        people = await queries.member_people()
        gaps = []
        for member in coverage.members:
            missed = tuple(
                (pair.organization, names.get(pair.organization, pair.organization))
                for pair in member.organizations
                if pair.status == "missed"
                and (member.code, pair.organization) in coverable
                and (member.code, pair.organization) not in planned
            )
            if missed and member.code in people:
                gaps.append(MemberGap(people[member.code], member.code, missed))
        return gaps, upcoming

    async def _queue(
        self, decisions: Iterable[Due], reachable: dict[int, str], now: datetime
    ) -> int:
        """Render and queue, in one transaction, the new DECISIONS addressed to REACHABLE
        people (person id -> language)."""
        wanted = [d for d in decisions if d.person_id is not None and d.person_id in reachable]
        done = await self.store.outbox.queued_keys([d.key for d in wanted])
        translators: dict[str, Translator] = {}
        messages = []
        for decision in wanted:
            if decision.key in done:
                continue
            language = reachable[decision.person_id]
            t = translators.setdefault(language, Translator(language, self.config.committee.tz))
            payload = message_payload(render(decision, t))
            messages.append(
                Queued(
                    decision.key,
                    payload,
                    decision.due_at,
                    decision.expires_at,
                    person_id=decision.person_id,
                    bulk=True,
                )
            )
        if not messages:
            return 0
        async with self.store.transaction():
            return await self.store.outbox.enqueue_all(messages, now)

    async def _queue_digests(self, decisions: Iterable[Due], now: datetime) -> int:
        """Render each due quarter's digest once, for the chats that have not had it."""
        chats: dict[Quarter, list[str]] = defaultdict(list)
        for decision in decisions:
            if isinstance(decision.subject, DigestDue) and decision.chat is not None:
                chats[decision.subject.quarter].append(decision.chat)
        queued = 0
        for quarter, targets in sorted(chats.items()):
            queued += len(await queue_digest(self.store, self.config, quarter, now, targets))
        return queued


class Ticker:
    """The APScheduler side: calls Scheduler.run_due with the clock's time at every tick, and
    writes the tick down (`checkin-bot status`). A tick that fails is logged once for a run of
    failures (a full disk fails every one): the next tick is the retry."""

    def __init__(self, scheduler: Scheduler, clock: Clock, every: timedelta):
        self.scheduler = scheduler
        self.clock = clock
        self._trouble = Outage(log, "scheduler ticks")
        # APScheduler says at INFO that it ran the job, at every tick: a line a minute of nothing.
        logging.getLogger("apscheduler").setLevel(logging.WARNING)
        # An interval job has no wall-clock times; UTC spares APScheduler guessing a local zone.
        self.aps = AsyncIOScheduler(timezone=UTC)
        # One instance at a time, and a tick missed while the loop was busy is not made up
        # twice: the next one looks at everything due anyway.
        self.aps.add_job(
            self.tick,
            "interval",
            seconds=every.total_seconds(),
            id=TICK_JOB,
            max_instances=1,
            coalesce=True,
            misfire_grace_time=None,
        )

    async def tick(self) -> None:
        now = self.clock.now()
        try:
            queued = await self.scheduler.run_due(now)
            await record_tick(self.scheduler.store, now)
        except (sqlite3.Error, OSError) as exc:  # a full disk, a database locked too long
            self._trouble.failed(exc, "the next tick tries again")
        except Exception:  # a bad tick (a bug) must not stop the next one
            log.exception("%s failed", TICK_JOB)
        else:
            self._trouble.works()
            if queued:
                log.info("%s queued %d messages", TICK_JOB, queued)

    async def start(self) -> None:
        """Tick once now (what fell due while the bot was down goes out), then on schedule."""
        await self.tick()
        self.aps.start()

    async def stop(self) -> None:
        """No new ticks; wait for the one running, if any."""
        if self.aps.running:
            self.aps.shutdown(wait=False)
            await asyncio.sleep(0)  # AsyncIOScheduler shuts down in a callback of the loop
        await self.scheduler.wait_idle()
