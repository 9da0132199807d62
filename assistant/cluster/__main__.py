"""`make run-cluster`: train when the data changed, create the PostgreSQL databases, migrate and seed the
billing service, start every process (nginx last), print the public addresses. Ctrl-C stops them all; if
one exits, the rest are stopped too. Logs: var/cluster/cluster.log (every process) and nginx-error.log."""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys

from ..run import train
from ..service_processes import Service, print_addresses, stop, wait_while_all_run
from .settings import ClusterSettings
from .stack import environment, start_cluster


def main(argv: list[str] | None = None) -> int:
    argparse.ArgumentParser(prog="python -m assistant.cluster", description=__doc__).parse_args(argv)
    os.umask(0o077)  # secrets, logs and the configuration under var/ are for this user only
    settings = ClusterSettings.from_environment()
    settings.work_dir.mkdir(parents=True, exist_ok=True)
    env = environment(settings)
    running: list[Service] = []
    signal.signal(signal.SIGTERM, lambda *_: (_ for _ in ()).throw(KeyboardInterrupt()))
    log_path = settings.work_dir / "cluster.log"
    try:
        train(env)
        with open(log_path, "a") as log:
            start_cluster(settings, env, log, running)
            print_addresses(running)
            ports = settings.ports
            print(
                f"  Internal (127.0.0.1 only): Rasa's HTTP API :{ports.rasa_api}, action servers "
                f":{ports.actions}, billing API :{ports.billing_api}"
            )
            print(f"  Logs: {log_path}. Press Ctrl-C to stop.\n", flush=True)
            return wait_while_all_run(running)
    except (RuntimeError, subprocess.CalledProcessError) as error:
        print(f"{error} (see {log_path})", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 0
    finally:
        stop(running)


if __name__ == "__main__":
    sys.exit(main())
