"""A plan's evaluation (中期评估 at a middle year, 终期评估 at the last): every indicator
against its final target, counted by goal and by lead department.

rules.py holds the rules (no Django), selectors.py applies them to a plan-year's
progress, summary.py says it in sentences, api.py serves it as JSON.
"""
