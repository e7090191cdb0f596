"""The January-peak load test (`make peak`, `tests/bench/peak_january.py`): the workload and its driver
processes (`workload`), the people it plays (`population`), the platform it runs against and what each
process spends (`stack`), and the report (`report`)."""
