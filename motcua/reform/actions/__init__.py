"""Every change in the reform app is one of these functions (docs/architecture.md rule 1):
business dialogues record issues as hotline tickets (``dialogues``); simplification reviews
move a proposal from draft to enactment (``reviews``)."""

from motcua.core.actions import ActionError
from motcua.reform.actions.dialogues import raise_issue
from motcua.reform.actions.reviews import (
    ChangeSpec,
    VolumeOverride,
    add_to_cycle,
    approve_proposal,
    enact_proposal,
    open_cycle,
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
