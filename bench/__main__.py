"""`python -m bench` (run by `bench/run`): see bench/README.md."""

from bench.run import main

main()
