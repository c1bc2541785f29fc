"""综治中心智能受理助手: the intake core (taxonomy, NLU components, facts, risk, routing, tickets)."""
