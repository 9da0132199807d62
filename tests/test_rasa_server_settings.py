"""Settings the Rasa server applies before Rasa, TensorFlow and numpy load (assistant/rasa_server.py): each is
read once at import, so each is checked in a fresh interpreter."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
THREAD_SETTINGS = (
    "OPENBLAS_NUM_THREADS",
    "TF_INTRA_OP_PARALLELISM_THREADS",
    "TF_INTER_OP_PARALLELISM_THREADS",
)
DEFAULTS_FIRST = "import assistant.rasa_server as server; server.apply_runtime_defaults(); "


def run_after_defaults(code: str, **env: str) -> str:
    clean = {k: v for k, v in os.environ.items() if k not in THREAD_SETTINGS}
    return subprocess.run(
        [sys.executable, "-c", DEFAULTS_FIRST + code],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()


BLAS_THREADS = (
    "import numpy, threadpoolctl; "
    "print([pool['num_threads'] for pool in threadpoolctl.threadpool_info() if pool['user_api'] == 'blas'])"
)
TF_THREADS = (
    "import tensorflow as tf; from rasa.utils.tensorflow.environment import setup_tf_environment; "
    "setup_tf_environment(); "
    "print(tf.config.threading.get_intra_op_parallelism_threads(), "
    "tf.config.threading.get_inter_op_parallelism_threads())"
)


def test_numpy_multiplies_on_one_thread_in_the_rasa_server():
    # A second OpenBLAS thread spun between the per-message products: a third of Rasa's CPU under load.
    assert run_after_defaults(BLAS_THREADS) == "[1]"


def test_tensorflow_runs_each_operation_on_one_thread():
    assert run_after_defaults(TF_THREADS).splitlines()[-1] == "1 1"


def test_an_operator_can_still_give_more_threads():
    assert run_after_defaults(BLAS_THREADS, OPENBLAS_NUM_THREADS="2") == "[2]"
