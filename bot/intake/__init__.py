"""The intake dialogue's logic as plain Python: which facts to ask, how to read answers,
the confirmation summary, corrections, and the ticket record handed to the store."""
