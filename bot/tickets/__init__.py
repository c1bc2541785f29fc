"""Tickets: case codes, center profiles, routing, deadlines, privacy, storage and webhook delivery.

The dialogue code uses ``TicketStore`` and ``IntakeRecord`` from ``bot.tickets.store`` and the
profile from ``bot.tickets.centers.current_profile()``.
"""
