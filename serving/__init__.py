"""How the bot is served in production: settings from the environment, conversation storage
(SQLite by default, PostgreSQL when configured), the lock store (Redis when configured),
redaction of personal data before storage, retention, and the origin-checked socket.io channel.
"""
