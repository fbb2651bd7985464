"""A learner's statistics: the stats page, the dashboard's glance and "Optimise my schedule".

Two pure subpackages, no Flask and no database: `figures` (the numbers, from answers and cards one by one
or already counted) and `charts` (those numbers drawn as SVG, each with a data table). Around them, the
parts that use Flask and the database: `service` (the queries that count answers and cards for the
figures), `optimise` (the background job that fits FSRS to the learner's log, and applying its fit) and
`views` (the pages).
"""
