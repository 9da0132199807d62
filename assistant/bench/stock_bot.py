"""The yardstick: the bot `rasa init` makes, untouched, trained once and served by stock `rasa run` (its own
default config, in-memory tracker and lock stores, no action server), with members who say what that bot
understands, through the same REST channel and harness as ours."""

from __future__ import annotations

import contextlib
import importlib.util
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

from . import processes
from .member import Turn
from .stack import ROOT, free_port, quiet_environment

PROJECT = ROOT / "var" / "bench" / "stock-bot"
MODEL_NAME = "stock-bot"

# The sad path of its stories, then its rules (rasa/cli/initial_project/data): each turn's kind is the
# intent its message is a training example of, the expectation words of the response that answers it.
CONVERSATION = (
    Turn("greet", "hello there", "Hey! How are you?"),
    Turn("mood_unhappy", "I am sad", "Did that help you?"),
    Turn("affirm", "yes", "Great, carry on!"),
    Turn("bot_challenge", "are you a bot?", "I am a bot, powered by Rasa."),
    Turn("goodbye", "bye", "Bye"),
)


def initial_project() -> Path:
    """The files `rasa init` copies (rasa/cli/scaffold.py), found without importing Rasa."""
    spec = importlib.util.find_spec("rasa")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("rasa is not installed in this environment")
    return Path(next(iter(spec.submodule_search_locations))) / "cli" / "initial_project"


def model_path(project: Path = PROJECT) -> Path:
    return project / "models" / f"{MODEL_NAME}.tar.gz"


def training_files(project: Path) -> list[Path]:
    return [project / "config.yml", project / "domain.yml", *sorted((project / "data").rglob("*.yml"))]


def model_is_current(project: Path = PROJECT) -> bool:
    """The model exists and is newer than everything it was trained from."""
    model = model_path(project)
    return model.exists() and all(
        path.stat().st_mtime <= model.stat().st_mtime for path in training_files(project)
    )


def build(project: Path = PROJECT) -> Path:
    """`rasa init --no-prompt`'s project (copied, as rasa init does, when missing) and its model, trained
    only when missing or older than its files."""
    if not (project / "domain.yml").exists():
        shutil.copytree(
            initial_project(), project, ignore=shutil.ignore_patterns("__pycache__"), dirs_exist_ok=True
        )
    if not model_is_current(project):
        print(f"training the stock rasa init bot in {project} (once; kept for later runs)", flush=True)
        command = [sys.executable, "-m", "rasa", "train", "--fixed-model-name", MODEL_NAME, "--out", "models"]
        subprocess.run(command, cwd=project, env=quiet_environment(), check=True)
    return model_path(project)


class StockBot:
    def __init__(self, work: Path, project: Path = PROJECT) -> None:
        self.work = work
        self.project = project
        self.port = free_port()
        self.rasa_url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen[bytes] | None = None

    @contextlib.contextmanager
    def running(self) -> Iterator[StockBot]:
        model = build(self.project)
        command = [sys.executable, "-m", "rasa", "run", "--model", str(model), "--port", str(self.port)]
        command += ["--credentials", "credentials.yml", "--endpoints", "endpoints.yml"]
        self.process = processes.start(
            "stock-bot",
            command,
            cwd=self.project,
            env=quiet_environment(),
            logs=self.work,
            health=f"{self.rasa_url}/",
            timeout=300,
        )
        try:
            yield self
        finally:
            processes.stop([self.process])

    def process_groups(self) -> dict[str, set[int]]:
        return {"stock-rasa": {self.process.pid}} if self.process else {}
