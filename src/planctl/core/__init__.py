"""The functional core: pure rules over the plan, the recorded events and today's date."""
