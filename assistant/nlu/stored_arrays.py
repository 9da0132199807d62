"""Numpy arrays an NLU component keeps in the trained model (its resource in model storage), by name."""

from __future__ import annotations

import numpy as np
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage


def save_arrays(model_storage: ModelStorage, resource: Resource, arrays: dict[str, np.ndarray]) -> None:
    with model_storage.write_to(resource) as model_dir:
        for name, array in arrays.items():
            np.save(model_dir / f"{name}.npy", array)


def load_arrays(
    model_storage: ModelStorage, resource: Resource, names: tuple[str, ...]
) -> dict[str, np.ndarray]:
    with model_storage.read_from(resource) as model_dir:
        return {name: np.load(model_dir / f"{name}.npy") for name in names}
