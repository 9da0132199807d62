"""`make run-cluster`: on one machine, what a health plan spreads over many (README, Deploying and scaling).

settings.py  ports, replica counts, databases (CLUSTER_* variables)
databases.py the PostgreSQL databases, created when missing
nginx.py     the generated nginx configuration: what is public, what stays internal
stack.py     every process with its environment
__main__.py  the command: train when needed, prepare, start, print the addresses
"""
