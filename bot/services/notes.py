"""The quality note on a meeting: a four-step dialogue whose answers are written only at the end.

The draft lives in the conversations table between steps (see ``NoteDraft.state``), so a restart
of the bot resumes the dialogue where it was.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace
from datetime import datetime
from typing import Any, Literal, get_args

from bot.core.checkins import RATINGS, MemberCheckin, Rating
from bot.services.dialogues import end_dialogue
from storage.store import Store

FLOW = "note"
MAX_TEXT = 500  # characters, as the notes table enforces

Step = Literal["rating", "steps", "difficulties", "text"]
STEPS: tuple[Step, ...] = get_args(Step)


@dataclass(frozen=True)
class NoteDraft:
    checkin_id: int
    step: Step = "rating"
    rating: Rating | None = None
    steps_kept: bool | None = None
    difficulties_raised: bool | None = None
    replaces: bool = False  # the check-in already has a note, which this one will replace

    def state(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_state(cls, state: dict[str, Any]) -> NoteDraft | None:
        """The draft stored by state(), or None if the stored state is not one."""
        try:
            draft = cls(**state)
        except TypeError:
            return None
        return draft if draft.step in STEPS and isinstance(draft.checkin_id, int) else None


async def start_note(store: Store, member_code: str) -> tuple[MemberCheckin, NoteDraft] | None:
    """The check-in to write about (the latest not denied) and a fresh draft, if there is one."""
    checkin = await store.checkins.latest_not_denied(member_code)
    if checkin is None:
        return None
    return checkin, NoteDraft(checkin.id, replaces=checkin.has_note)


def answer(draft: NoteDraft, step: Step, value: str) -> NoteDraft | None:
    """The draft after answering STEP with VALUE; None if STEP is not the current step or VALUE
    is not an answer to it (a stale or forged button)."""
    if step != draft.step:
        return None
    if step == "rating" and value in RATINGS:
        return replace(draft, rating=value, step="steps")
    if step in ("steps", "difficulties") and value in ("yes", "no"):
        if step == "steps":
            return replace(draft, steps_kept=value == "yes", step="difficulties")
        return replace(draft, difficulties_raised=value == "yes", step="text")
    return None


def text_too_long(text: str) -> bool:
    return len(text) > MAX_TEXT


NoteOutcome = Literal["written", "replaced", "gone"]


@dataclass(frozen=True)
class NoteResult:
    outcome: NoteOutcome
    checkin: MemberCheckin | None = None
    flagged_cell: bool = False


async def finish_note(
    store: Store,
    member_code: str,
    draft: NoteDraft,
    text: str,
    now: datetime,
    dialogue: tuple[str, str],
) -> NoteResult:
    """Write the note in one go; raised difficulties flag the cell for the office to follow.
    The DIALOGUE (channel, user id) of the note ends in the same transaction: the note is
    saved and its dialogue over, or neither (and the member is told it was not saved)."""
    if draft.step != "text" or text_too_long(text):
        raise ValueError(f"note draft not ready to write: step {draft.step}, {len(text)} chars")
    assert draft.rating is not None and draft.steps_kept is not None
    raised = bool(draft.difficulties_raised)
    async with store.db.transaction():
        await end_dialogue(store, *dialogue)
        # Re-read inside the transaction: the secretary may have denied it since /note.
        checkin = await store.checkins.of_member(member_code, draft.checkin_id)
        if checkin is None or checkin.status == "denied":
            return NoteResult("gone", checkin)
        await store.checkins.write_note(
            checkin.id, draft.rating, draft.steps_kept, raised, text, now
        )
        if raised:
            await store.flags.raise_by_note(checkin.id, now)
    return NoteResult("replaced" if checkin.has_note else "written", checkin, raised)
