# One command for every check CI runs: the README test command, format, lint, types, contracts.
.PHONY: check
check:
	bash .ci/run
