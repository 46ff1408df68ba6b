"""Mail: the message and sending it over SMTP."""
