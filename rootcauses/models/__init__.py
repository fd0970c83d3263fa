from .action import Action
from .closure import ClosureRequest, Verification
from .evidence import EvidenceFile
from .root_cause import RAG, RootCause
from .update import Update

__all__ = [
    "RAG",
    "Action",
    "ClosureRequest",
    "EvidenceFile",
    "RootCause",
    "Update",
    "Verification",
]
