"""/web: an admin's one-time sign-in link to the office's board, in a private chat only."""

from __future__ import annotations

from bot.services.web_sessions import create_sign_in
from handlers.router import Context, Router


async def web_link(ctx: Context) -> None:
    if not ctx.config.web.enabled:
        await ctx.say("web.disabled")
        return
    sign_in = await create_sign_in(ctx.store, ctx.config, ctx.me.person_id, ctx.now)
    await ctx.say("web.link", link=sign_in.link(ctx.config), expires=ctx.t.when(sign_in.expires_at))


def register(router: Router) -> None:
    # The router lets only admins through, and only in a private chat: a link in a group
    # would sign in whoever opens it first.
    router.command("web", "trangweb", role="admin")(web_link)
