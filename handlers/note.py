"""/note: the quality note on the member's latest meeting, step by step, written at the end;
and the photos of the meeting, sent while it is written, each kept as it comes."""

from __future__ import annotations

from bot.core.i18n import Translator
from bot.core.messages import Choice, Message
from bot.core.photos import MAX_PHOTO_BYTES, MAX_PHOTOS, PhotoNotFetched, PhotoTooLarge
from bot.services.notes import (
    FLOW,
    MAX_TEXT,
    RATINGS,
    NoteDraft,
    Step,
    answer,
    finish_note,
    start_note,
    text_too_long,
)
from bot.services.photos import attach_photo, photo_count
from handlers.router import Context, Router

# Choice data "note:<kind>:<value>" names the step it answers, so a stale button is recognised.
KIND_OF_STEP: dict[Step, str] = {"rating": "rate", "steps": "steps", "difficulties": "diff"}
STEP_OF_KIND = {kind: step for step, kind in KIND_OF_STEP.items()}


def question(t: Translator, draft: NoteDraft) -> Message:
    """The question of the draft's current step, with its buttons."""
    if draft.step == "rating":
        options = [(f"note.rating_{rating}", f"note:rate:{rating}") for rating in RATINGS]
        return _ask(t, "note.ask_rating", options)
    if draft.step == "text":
        return _ask(t, "note.ask_text", [("note.skip", "note:skip")], count=MAX_TEXT)
    kind = KIND_OF_STEP[draft.step]
    options = [("note.yes", f"note:{kind}:yes"), ("note.no", f"note:{kind}:no")]
    return _ask(t, f"note.ask_{draft.step}", options)


def _ask(t: Translator, key: str, options: list[tuple[str, str]], **values: object) -> Message:
    return Message(t(key, **values), tuple(Choice(t(label), data) for label, data in options))


async def _save(ctx: Context, draft: NoteDraft) -> None:
    await ctx.keep_dialogue(FLOW, draft.state())


async def _draft(ctx: Context) -> NoteDraft | None:
    """The note in progress in this chat, if any."""
    in_progress = await ctx.dialogue()
    if in_progress is None or in_progress[0] != FLOW:
        return None
    return NoteDraft.from_state(in_progress[1])


async def note(ctx: Context) -> None:
    """Start the note on the latest check-in that was not denied."""
    t = ctx.t
    started = await start_note(ctx.store, ctx.me.member.code)
    if started is None:
        await ctx.say("note.none")
        return
    checkin, draft = started
    await _save(ctx, draft)
    intro = t(
        "note.start",
        cell=checkin.cell_name,
        when=t.when(checkin.meeting_starts_at),
        most=MAX_PHOTOS,
    )
    if draft.replaces:
        intro += "\n" + t("note.replaces")
    first = question(t, draft)
    await ctx.reply(Message(intro + "\n" + first.text, first.choices))


async def on_choice(ctx: Context) -> None:
    """A button of the note: applied only if it answers the step the dialogue is at."""
    draft = await _draft(ctx)
    if draft is None:
        await ctx.say("note.no_dialogue")
        return
    parts = (ctx.inbound.choice or "").split(":")
    if parts == ["note", "skip"] and draft.step == "text":
        await _finish(ctx, draft, "")
        return
    step = STEP_OF_KIND.get(parts[1]) if len(parts) == 3 else None
    answered = answer(draft, step, parts[2]) if step is not None else None
    if answered is None:
        await ctx.say("note.stale")
        await ctx.reply(question(ctx.t, draft))
        return
    await _save(ctx, answered)
    await ctx.reply(question(ctx.t, answered))


async def on_text(ctx: Context, state: dict) -> None:
    """Typed text during the note: the comment at the last step, else a pointer to the buttons."""
    draft = NoteDraft.from_state(state)
    if draft is None or ctx.me.member is None:
        await ctx.end_dialogue()
        await ctx.say("note.no_dialogue")
        return
    if draft.step != "text":
        await ctx.say("note.use_buttons")
        await ctx.reply(question(ctx.t, draft))
        return
    text = ctx.inbound.text or ""
    if text_too_long(text):
        await ctx.say("note.too_long", count=len(text), limit=MAX_TEXT)
        return
    await _finish(ctx, draft, text)


async def _finish(ctx: Context, draft: NoteDraft, text: str) -> None:
    dialogue = (ctx.inbound.channel, ctx.inbound.user_id)
    result = await finish_note(ctx.store, ctx.me.member.code, draft, text, ctx.now, dialogue)
    if result.outcome == "gone" or result.checkin is None:
        await ctx.say("note.gone")
        return
    cell = result.checkin.cell_name
    lines = [
        ctx.t(f"note.{result.outcome}", cell=cell, rating=ctx.t(f"note.rating_{draft.rating}"))
    ]
    photos = await photo_count(ctx.store, result.checkin.id)
    if photos:
        lines.append(ctx.t("note.with_photos", count=photos))
    if result.flagged_cell:
        lines.append(ctx.t("note.flagged", cell=cell))
    await ctx.reply(Message("\n".join(lines)))


async def on_photo(ctx: Context) -> None:
    """A photo: kept with the check-in whose note is being written, else how to send one.

    Each answer is an aside: the note's question stays the one its numbers answer.
    """
    photo = ctx.inbound.photo
    draft = await _draft(ctx) if ctx.me.member is not None else None
    if photo is None or draft is None:
        await ctx.say("note.photo_outside", most=MAX_PHOTOS, aside=True)
        return
    if await photo_count(ctx.store, draft.checkin_id) >= MAX_PHOTOS:
        await ctx.say("note.photo_full", count=MAX_PHOTOS, aside=True)
        return
    try:
        content = await ctx.port.fetch(photo, MAX_PHOTO_BYTES)
    except PhotoTooLarge:
        await ctx.say("note.photo_too_large", megabytes=MAX_PHOTO_BYTES // 2**20, aside=True)
        return
    except PhotoNotFetched:
        await ctx.say("note.photo_not_received", aside=True)
        return
    result = await attach_photo(ctx.store, ctx.me.member.code, draft.checkin_id, content, ctx.now)
    values = {
        "saved": {"count": result.count, "most": MAX_PHOTOS},
        "full": {"count": MAX_PHOTOS},
        "too_large": {"megabytes": MAX_PHOTO_BYTES // 2**20},
    }.get(result.outcome, {})
    await ctx.say(f"note.photo_{result.outcome}", aside=True, **values)


def register(router: Router) -> None:
    router.command("note", "nhanxet", role="member")(note)
    router.choice("note", role="member")(on_choice)
    router.flow(FLOW)(on_text)
    router.photo = on_photo
