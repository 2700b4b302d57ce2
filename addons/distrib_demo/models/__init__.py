# the base builder first: each domain's steps extend it (one file per domain)
# isort: off
from . import distrib_scenario
from . import distrib_scenario_atp
from . import distrib_scenario_exceptions
from . import distrib_scenario_orchestration
from . import distrib_scenario_intercompany
from . import distrib_scenario_ai_alerts
from . import distrib_scenario_rebate
from . import distrib_scenario_close
from . import distrib_scenario_barcode
from . import distrib_scenario_allocation

# isort: on
