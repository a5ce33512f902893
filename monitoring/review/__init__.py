"""The secretariat's review: the queue of submitted values (and narratives), a value's page with its
audit trail and evidence, a narrative's page, and the decisions on them (validate, return, reopen),
which go through the one workflow of monitoring.values.workflow."""
