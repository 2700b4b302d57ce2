from . import distrib_rebate_statement
