"""/channel: the chat app the bot's own messages go to, for someone linked on Telegram and Zalo."""

from __future__ import annotations

from bot.services.channels import CHANNEL_NAMES, choose_channel, reach_of
from handlers.router import Context, Router


async def channel(ctx: Context) -> None:
    """Show where reminders go; `/channel zalo` (or telegram) sends them there from now on."""
    if not ctx.inbound.args:
        await _show(ctx)
        return
    wanted = ctx.inbound.args[0].lower()
    outcome = await choose_channel(ctx.store, ctx.me.person_id, wanted)
    if outcome == "unknown":
        await ctx.say("channel.usage", text=ctx.inbound.args[0])
    elif outcome == "not_linked":
        await ctx.say("channel.not_linked", channel=CHANNEL_NAMES[wanted])
    else:
        await ctx.say("channel.chosen", channel=CHANNEL_NAMES[wanted])


async def _show(ctx: Context) -> None:
    reach = await reach_of(ctx.store, ctx.me.person_id)
    names = [CHANNEL_NAMES.get(c, c) for c in reach.linked]
    if len(reach.linked) < 2:
        # Only here (or blocked elsewhere): nothing to choose between yet.
        await ctx.say("channel.only_one", channel=names[0] if names else "?")
        return
    why = "channel.why_chosen" if reach.chosen == reach.current else "channel.why_last"
    await ctx.say(
        "channel.current",
        channel=names[0],
        why=ctx.t(why),
        linked=", ".join(names),
    )


def register(router: Router) -> None:
    router.command("channel", "kenh", role="linked")(channel)
