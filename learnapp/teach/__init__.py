"""Teaching decks: the inline deck editor (editor.py), import and export (imports.py), their forms and the
teacher's pages under /teach (views.py). Classes are in learnapp/classes, roles and invites in
learnapp/admin, who may do what in learnapp/access.py."""
