# Run by tools/build_demo.sh DB [SEED] through `odoo shell` (also meant for
# tools/odoo_shell.sh DB tools/build_scenario.py [SEED]).
# Builds the deterministic demo scenario in DB (``env`` is given by odoo shell),
# commits it, then prints the counts and the seconds taken by each step.
import os
import time

seed = int((os.environ.get("DISTRIB_SCRIPT_ARGS") or "42").split()[0])
started = time.perf_counter()
counts = env["distrib.scenario"].build(seed=seed)  # noqa: F821 (odoo shell)
env.cr.commit()  # noqa: F821
seconds = counts.pop("seconds")
total = counts.pop("total_seconds")
cpu = counts.pop("cpu_seconds", None)
print(f"scenario (seed {seed}) built and committed:")
for key, value in counts.items():
    print(f"  {key:<28} {value}")
print("seconds per step:")
for step, value in seconds.items():
    print(f"  {step:<28} {value:>7.1f}")
print(f"  {'total (build)':<28} {total:>7.1f}")
print(f"  {'total (with commit)':<28} {time.perf_counter() - started:>7.1f}")
if cpu is not None:
    print(f"  {'cpu of the Odoo process':<28} {cpu:>7.1f}")
