"""Rules of time both the plan and the core need: calendars, periods, windows."""
