"""negatives: graded-difficulty adversarial hard negatives, and probes that measure where models break."""

import os

__version__ = "0.1.0"

# OpenMP threads (torch, faiss) sleep rather than spin while they wait: on a machine whose cores other
# work shares, spinning threads wait on each other's preempted peers (the causal LM scored 3 texts/s
# with spinning, 15 without, at load 5 on 2 cores). Read when the OpenMP runtime loads, so set here,
# before anything imports torch or faiss; a value the user set is kept.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
