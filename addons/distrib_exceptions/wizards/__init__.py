from . import distrib_approval_decision_wizard
