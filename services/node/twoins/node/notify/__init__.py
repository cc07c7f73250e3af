"""Mail to the region's people: what each change tells whom, rendered in their language, and
the SMTP relay that carries it."""
