"""Training the core's network: the session, the tasks, the optimizer registry, devices, the loss
history and what happens when a loss stops being finite.

Importing this package costs no `import torch`: the UI imports its plain-data modules
(`snapshot`, `values`, `errors`) and never a tensor.
"""
