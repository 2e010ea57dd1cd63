"""Services: the queries and the calls into the pure core. They never commit."""
