"""The public read side of monitoring: the matrix (countries × indicators of a period), the
indicator tracking table (target beside actual over the periods) and the dashboards (progress,
qualifications, narratives, identified victims), all read through the one selectors package."""
