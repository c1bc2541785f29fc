"""``make bench``: latency and throughput of complete intakes under load, against plain Rasa.

``python -m tools.bench`` (``__main__``) runs it; ``targets`` starts the two systems, ``load`` drives
them, ``processes`` watches their CPU and memory, ``profile`` samples them with py-spy, ``results``
and ``report`` turn the measurements into ``reports/bench.md``, ``bench.png`` and ``bench.json``.
"""
