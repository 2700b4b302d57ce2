from . import (
    distrib_ai_dismiss_wizard,
    distrib_ai_post_override_wizard,
    distrib_dispute_category_wizard,
)
