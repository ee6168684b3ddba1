"""/status: the member's coverage this quarter, organization by organization."""

from __future__ import annotations

from bot.core.i18n import Translator
from bot.core.messages import Message
from bot.services.progress import OrganizationProgress, Progress, member_progress
from handlers.router import Context, Router


def _organization_lines(t: Translator, org: OrganizationProgress) -> list[str]:
    lines = [t(f"status.{org.status}", organization=org.name)]
    if org.status == "covered":
        return lines
    meeting = org.next_meeting
    if meeting is None:
        # A pending check-in is the member's part done: only the missed need a worry.
        if org.status == "missed":
            lines.append(t("status.no_next"))
    else:
        flag = t("status.flagged_mark") if meeting.flagged else ""
        lines.append(
            t(
                "status.next",
                cell=meeting.cell_name,
                cell_code=meeting.cell_code,
                when=t.when(meeting.starts_at),
                flag=flag,
            )
        )
    return lines


def _header(t: Translator, progress: Progress) -> str:
    quarter = progress.quarter
    return t(
        "status.header",
        quarter=t.quarter(quarter),
        end=quarter.end.strftime("%d/%m/%Y"),
        days_left=t("common.days_left", count=progress.days_left),
        covered=progress.count("covered"),
        count=len(progress.organizations),
    )


async def status(ctx: Context) -> None:
    """Covered, pending and missed organizations, with what to attend next where not covered."""
    t = ctx.t
    progress = await member_progress(ctx.store, ctx.config, ctx.me.member.code, ctx.now)
    if not progress.organizations:
        await ctx.say("status.none", quarter=t.quarter(progress.quarter))
        return
    lines = [_header(t, progress)]
    for org in progress.organizations:
        lines += _organization_lines(t, org)
    if progress.count("covered") < len(progress.organizations):
        lines.append(t("status.hint"))
    await ctx.reply(Message("\n".join(lines)))


def register(router: Router) -> None:
    router.command("status", "tiendo", role="member")(status)
