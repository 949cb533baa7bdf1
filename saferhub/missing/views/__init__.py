"""Pages of the missing-children module: episodes and interviews (`episodes`), contextual safeguarding
(`intelligence`)."""
