"""What the bot says and does in a conversation, channel-neutral (see handlers.port)."""
