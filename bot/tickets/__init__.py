"""What a ticket is, without storage: records and statuses, case codes, center profiles, routing,
13710 deadlines and the messages citizens get. Persistence is ``bot.storage``."""
