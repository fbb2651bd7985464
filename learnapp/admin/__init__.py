"""Roles and teacher invites: the admin page (/admin/users) and one-use invite codes that make a
teacher (handed out at /teach/invites, redeemed at /invite)."""
