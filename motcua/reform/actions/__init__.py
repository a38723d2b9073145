"""Every change in the reform app is one of these functions (docs/architecture.md rule 1):
business dialogues record issues as hotline tickets (``dialogues``); simplification reviews
open cycles (``cycles``), move a proposal from draft to approval (``reviews``) and
record the decision that enacts it (``enactment``)."""

from motcua.core.actions import ActionError
from motcua.reform.actions.cycles import add_to_cycle, open_cycle
from motcua.reform.actions.dialogues import raise_issue
from motcua.reform.actions.enactment import enact_proposal
from motcua.reform.actions.reviews import (
    ChangeSpec,
    VolumeOverride,
    approve_proposal,
    return_proposal,
    save_proposal,
    submit_proposal,
)

__all__ = [
    "ActionError",
    "ChangeSpec",
    "VolumeOverride",
    "add_to_cycle",
    "approve_proposal",
    "enact_proposal",
    "open_cycle",
    "raise_issue",
    "return_proposal",
    "save_proposal",
    "submit_proposal",
]
