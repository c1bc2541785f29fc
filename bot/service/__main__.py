"""``python -m bot.service``: run the intake service (host/port from INTAKE_HOST / INTAKE_PORT)."""

from bot.service.app import main

if __name__ == "__main__":
    main()
