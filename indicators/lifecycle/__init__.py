"""The life of a plan: creation, predecessor and linked series, target revisions, closing.

plans.py creates, closes and reopens plans; predecessor.py copies a predecessor's
indicators and proposes base values; targets.py revises targets and says which target
is in force; views.py and forms.py are the 管理员's pages.
"""
