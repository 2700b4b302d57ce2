#!/usr/bin/env python3
"""Prerequisite checks and paths for the Makefile.

``check``        Odoo 18 importable and PostgreSQL answering (starts a local cluster
                 that is down, creates the database role when it is missing).
``addons-path``  the addons path made of Odoo's own addons and ours.
``entry-point``  Odoo's console script to run with this python3 (see tools/odoo.sh).
``free-port``    a TCP port nobody listens on, for a test server of its own.
``system-deps``  installs the missing system packages named (chromium for the browser
                 tests, docker-compose to validate docker-compose.yml) with apt-get.

Each failure prints one sentence and exits with 1.
"""

import argparse
import glob
import os
import shutil
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)


def fail(sentence):
    print(f"error: {sentence}", file=sys.stderr)
    sys.exit(1)


def import_odoo():
    try:
        import odoo.release
    except ImportError:
        fail(
            "Odoo 18 is not importable by this python3: install Odoo 18 "
            "(see README, 'Prerequisites') or use 'docker compose up'."
        )
    if odoo.release.version_info[0] != 18:
        fail(
            f"this python3 imports Odoo {odoo.release.version}, "
            "but the distrib suite needs Odoo 18."
        )
    return odoo


def odoo_addons_paths():
    odoo = import_odoo()
    odoo_dir = os.path.dirname(os.path.abspath(odoo.__file__))
    paths = [os.path.join(odoo_dir, "addons")]
    # a source checkout keeps the other Community addons beside the package
    sibling = os.path.join(os.path.dirname(odoo_dir), "addons")
    if os.path.isdir(os.path.join(sibling, "sale_stock")):
        paths.append(sibling)
    if not any(os.path.isdir(os.path.join(p, "sale_stock")) for p in paths):
        fail(
            "Odoo is importable but its addons (sale_stock, purchase_stock, "
            "stock_account) were not found beside it."
        )
    paths.append(os.path.join(REPO, "addons"))
    return paths


def odoo_entry_point():
    """The ``odoo`` console script of this interpreter, or a checkout's odoo-bin.

    The prefork server (--workers) starts its websocket process by running
    ``sys.argv[0]`` again: that must be a script, not ``odoo/__main__.py``.
    """
    odoo = import_odoo()
    candidates = [
        os.path.join(os.path.dirname(sys.executable), "odoo"),
        os.path.join(os.path.dirname(os.path.realpath(sys.executable)), "odoo"),
        os.path.join(
            os.path.dirname(os.path.dirname(os.path.abspath(odoo.__file__))), "odoo-bin"
        ),
    ]
    for candidate in candidates:
        if os.path.isfile(candidate):
            return candidate
    fail(
        "Odoo 18 is importable but its console script was not found "
        f"(looked for {', '.join(candidates)}): install Odoo with pip "
        "(pip install -e <odoo checkout>) so that the 'odoo' command exists."
    )


# what a system package provides: the commands that show it is there
SYSTEM_PACKAGES = {
    # the names Odoo's browser tests look for (odoo.tests.common._find_executable)
    "chromium": (
        "google-chrome",
        "chromium",
        "chromium-browser",
        "google-chrome-stable",
    ),
    "docker-compose": ("docker-compose",),
}


def _apt_get(*args):
    command = ["apt-get", *args]
    if os.geteuid() != 0:
        if not shutil.which("sudo"):
            return False
        command = ["sudo", "-n", *command]
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    return subprocess.run(command, env=env, check=False).returncode == 0


def system_deps(packages):
    missing = [
        package
        for package in packages
        if not any(shutil.which(command) for command in SYSTEM_PACKAGES[package])
    ]
    if not missing:
        return
    names = " ".join(missing)
    if not shutil.which("apt-get"):
        fail(
            f"{names} missing and this system has no apt-get: install {names} "
            "(the browser tests need Chromium or Google Chrome)."
        )
    print(f"installing the system packages {names} with apt-get ...")
    install = ("install", "-y", "-q", "--no-install-recommends", *missing)
    if not _apt_get(*install) and not (_apt_get("update", "-q") and _apt_get(*install)):
        fail(
            f"apt-get could not install {names}: run "
            f"'sudo apt-get install {names}' and try again."
        )
    for package in missing:
        if not any(shutil.which(command) for command in SYSTEM_PACKAGES[package]):
            fail(f"apt-get installed {package} but none of its commands is on PATH.")


def free_port():
    import socket

    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _connect(host, port, user, dbname="postgres"):
    import psycopg2

    return psycopg2.connect(
        host=host, port=port, user=user, dbname=dbname, connect_timeout=5
    )


def _start_local_cluster():
    if not shutil.which("pg_ctlcluster"):
        return False
    versions = sorted(glob.glob("/etc/postgresql/*/main"))
    if not versions:
        return False
    version = versions[-1].split("/")[3]
    print(f"PostgreSQL is down: starting the local cluster {version}/main ...")
    subprocess.run(
        ["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "start"],
        check=False,
    )
    time.sleep(2)
    return True


def check_postgres(host, port, user):
    import psycopg2

    try:
        _connect(host, port, user).close()
        return
    except psycopg2.OperationalError as error:
        message = str(error)
    if "does not exist" in message and "role" in message:
        # the role is missing: create it with a local superuser if we can
        for admin in ("postgres", os.environ.get("USER") or "root"):
            try:
                conn = _connect(host, port, admin)
            except psycopg2.OperationalError:
                continue
            conn.autocommit = True
            with conn.cursor() as cr:
                cr.execute(f'CREATE ROLE "{user}" LOGIN CREATEDB SUPERUSER')
            conn.close()
            print(f"created the PostgreSQL role {user!r}")
            return
        fail(
            f"PostgreSQL answers at {host}:{port} but has no role {user!r}: "
            f"create it (createuser -s {user})."
        )
    if host in ("127.0.0.1", "localhost", "") and _start_local_cluster():
        try:
            _connect(host, port, user).close()
            return
        except psycopg2.OperationalError as error:
            message = str(error)
    fail(
        f"PostgreSQL does not answer at {host}:{port} as {user!r} "
        f"({message.strip().splitlines()[0]}): start it or set PGHOST/PGPORT/PGUSER."
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "command",
        choices=["check", "addons-path", "entry-point", "free-port", "system-deps"],
    )
    parser.add_argument("packages", nargs="*", metavar="package")
    parser.add_argument("--db-host", default="127.0.0.1")
    parser.add_argument("--db-port", default="5432")
    parser.add_argument("--db-user", default="odoo")
    args = parser.parse_args()
    if args.command == "addons-path":
        print(",".join(odoo_addons_paths()))
        return
    if args.command == "entry-point":
        print(odoo_entry_point())
        return
    if args.command == "free-port":
        print(free_port())
        return
    if args.command == "system-deps":
        unknown = sorted(set(args.packages) - set(SYSTEM_PACKAGES))
        if unknown:
            fail(
                f"unknown system package {', '.join(unknown)}: "
                f"choose among {', '.join(SYSTEM_PACKAGES)}."
            )
        system_deps(args.packages or list(SYSTEM_PACKAGES))
        return
    odoo = import_odoo()
    try:
        import psycopg2  # noqa: F401
    except ImportError:
        fail("psycopg2 is missing: install Odoo 18's Python requirements.")
    odoo_addons_paths()
    check_postgres(args.db_host, args.db_port, args.db_user)
    where = f"{args.db_host}:{args.db_port}"
    print(f"ok: Odoo {odoo.release.version}, PostgreSQL at {where}")


if __name__ == "__main__":
    main()
