#!/usr/bin/env bash
# The two-command demo (filled by the product issue): import → vocab → train → translate → evaluate.
echo "make demo: not built yet" >&2
exit 1
