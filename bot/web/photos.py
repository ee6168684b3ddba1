"""/photos/NAME: a photo of a meeting, sent with a member's note, for the visits' lists."""

from __future__ import annotations

from aiohttp import web

from bot.services.photos import photo_file
from bot.web.context import board_of, render

# By the ending bot.core.photos gave the name, from the picture's own first bytes.
CONTENT_TYPES = {
    "jpg": "image/jpeg",
    "png": "image/png",
    "gif": "image/gif",
    "webp": "image/webp",
    "heic": "image/heic",
}


async def photo(request: web.Request) -> web.StreamResponse:
    name = request.match_info["name"]
    path = await photo_file(board_of(request).store, name)
    content_type = CONTENT_TYPES.get(name.rpartition(".")[2])
    if path is None or content_type is None:
        return render(request, "message.html", status=404, message_key="board.photo_not_found")
    return web.FileResponse(
        path,
        headers={
            "Content-Type": content_type,
            "Content-Disposition": f'inline; filename="{name}"',
        },
    )


def routes() -> list[web.RouteDef]:
    return [web.get("/photos/{name}", photo)]
