from . import (
    distrib_ai_alert,
    distrib_ai_feedback,
    distrib_ai_model,
    distrib_exception,
    distrib_exception_type_mixin,
    res_company,
    res_config_settings,
)
