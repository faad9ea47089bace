"""The responsibility sheet (主要指标责任分解表) import: read, diff, check risks, apply.

reader.py reads the Excel sheet into IndicatorRows; diff.py previews what importing them
into a plan would change; apply.py writes it in one transaction; flow.py and views.py are
the web's upload → preview → confirm; the command and load_plans call the same functions.
"""
