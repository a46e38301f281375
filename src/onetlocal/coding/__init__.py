"""`onetlocal code`: bulk occupation coding of files (issue 21). The coder itself is `services.coding` (shared with the
HTTP batch route and the web UI); this package reads and writes the files (`files`) and runs a file through the
coder with worker processes, a progress bar and an all-or-nothing output (`run`)."""
