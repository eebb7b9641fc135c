"""Celery transport options of the embedded, Redis-free broker (kombu's file-system transport)."""

from pathlib import Path


def filesystem_broker_options(folder: Path) -> dict[str, str | bool]:
    """Producers and workers must share `folder`; its sub-folders are made here."""
    for sub in ("queue", "processed", "control"):
        (folder / sub).mkdir(parents=True, exist_ok=True)
    return {
        "data_folder_in": str(folder / "queue"),
        "data_folder_out": str(folder / "queue"),
        "processed_folder": str(folder / "processed"),
        "store_processed": False,
        "control_folder": str(folder / "control"),
    }
