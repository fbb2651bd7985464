"""Load test and load-and-fault drill: the scale-out deployment (two app servers behind nginx, one
database, Redis) on this machine, driven by Locust's simulated learners. `python -m loadtest --help`."""
