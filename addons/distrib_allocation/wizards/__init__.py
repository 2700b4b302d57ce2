from . import distrib_priority_override
