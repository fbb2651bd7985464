"""Teaching: the deck editor (editor.py), import and export (imports.py), classes and their dashboard
(classes.py), roles and teacher invites (admin.py), who may do what (access.py); views.py (the teacher's
pages), learner_views.py (join and leave a class, redeem an invite) and admin_views.py (accounts)."""
