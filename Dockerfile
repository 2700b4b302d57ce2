# The official Odoo 18 image with the distrib suite's run-time Python dependencies
# (requirements-runtime.txt, e.g. numpy for distrib_ai_alerts). Built by
# docker-compose.yml; the addons themselves are mounted at /mnt/extra-addons.
FROM odoo:18.0

USER root
COPY requirements-runtime.txt /tmp/distrib-requirements-runtime.txt
# the image's Python is the system one (PEP 668): install beside Odoo's packages
RUN pip3 install --no-cache-dir --break-system-packages \
        -r /tmp/distrib-requirements-runtime.txt \
    && python3 -c "import numpy" \
    && rm /tmp/distrib-requirements-runtime.txt
USER odoo
