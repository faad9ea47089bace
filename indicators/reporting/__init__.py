"""The reporting kernel: what every reported figure shares, whatever it measures.

An indicator's actual, a project's yearly investment and a milestone's progress are all
kept the same way: a department's working copy with a review state and an approved
snapshot (figure.py), written through one workflow (workflow.py), reviewed in one queue
(review.py), traced in one history (history.py), uploaded through one Excel pipeline
(upload.py, sheet.py; the rows of a file written at once by bulk.py), and shown with one
save helper and one set of views (views.py).
Each kind of figure registers itself once (kinds.py); indicators never imports projects.

Modules are imported by name (`from indicators.reporting import workflow`): this package
is loaded while the models are, so it imports nothing here.
"""
