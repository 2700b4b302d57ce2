from . import (
    distrib_ai_alert,
    distrib_ai_feedback,
    distrib_ai_model,
    distrib_exception,
    distrib_scenario,
    res_company,
    res_config_settings,
)
