"""Roles: the admin page (promote, demote, allow invites, never one's own admin role away), teacher invite
codes (made by admins and allowed teachers, redeemed once), and `flask users promote`."""

from __future__ import annotations

from sqlalchemy import func, select

from learnapp.extensions import db
from learnapp.models import TeacherInvite, User
from tests.http.test_teach_support import client_for, make_account, token


def role_of(username):
    db.session.expire_all()
    return db.session.scalar(select(User.role).where(User.username == username))


def test_the_admin_page_lists_accounts_and_promotes_and_demotes(app):
    admin = make_account("ada", "admin")
    make_account("lily")
    client = client_for(app, admin)
    html = client.get("/admin/users").get_data(as_text=True)
    assert 'data-user="lily"' in html and 'data-user="ada"' in html and "2 accounts" in html
    lily = db.session.scalar(select(User).where(User.username == "lily"))
    response = client.post(
        f"/admin/users/{lily.id}/role", data={"role": "teacher", "csrf_token": token(client)}
    )
    assert response.status_code == 303 and response.headers["Location"] == "/admin/users"
    assert role_of("lily") == "teacher"
    client.post(f"/admin/users/{lily.id}/invite", data={"allowed": "1", "csrf_token": token(client)})
    db.session.expire_all()
    assert db.session.get(User, lily.id).can_invite is True
    client.post(f"/admin/users/{lily.id}/role", data={"role": "learner", "csrf_token": token(client)})
    db.session.expire_all()
    assert (role_of("lily"), db.session.get(User, lily.id).can_invite) == ("learner", False)
    assert "lily is now learner" in client.get("/admin/users").get_data(as_text=True)


def test_the_admin_page_finds_accounts(app):
    admin = make_account("ada", "admin")
    for name in ("lily", "lin", "mo"):
        make_account(name)
    html = client_for(app, admin).get("/admin/users?q=li").get_data(as_text=True)
    assert 'data-user="lily"' in html and 'data-user="lin"' in html and 'data-user="mo"' not in html


def test_an_admin_cannot_remove_their_own_admin_role(app):
    admin = make_account("ada", "admin")
    client = client_for(app, admin)
    response = client.post(
        f"/admin/users/{admin.id}/role", data={"role": "learner", "csrf_token": token(client)}
    )
    assert response.status_code == 400
    assert "can&#39;t take away your own admin role" in response.get_data(as_text=True)
    assert role_of("ada") == "admin"


def test_bad_role_changes_are_refused(app):
    admin = make_account("ada", "admin")
    lily = make_account("lily")
    client = client_for(app, admin)
    assert (
        client.post(
            f"/admin/users/{lily.id}/role", data={"role": "king", "csrf_token": token(client)}
        ).status_code
        == 400
    )
    assert (
        client.post(
            "/admin/users/999/role", data={"role": "teacher", "csrf_token": token(client)}
        ).status_code
        == 404
    )
    response = client.post(
        f"/admin/users/{lily.id}/invite", data={"allowed": "1", "csrf_token": token(client)}
    )
    assert response.status_code == 400 and "make them a teacher first" in response.get_data(as_text=True)
    assert role_of("lily") == "learner"


def test_an_allowed_teacher_hands_out_a_code_and_a_learner_becomes_a_teacher(app):
    teacher = make_account("olive", "teacher", can_invite=True)
    client = client_for(app, teacher)
    response = client.post("/teach/invites", data={"csrf_token": token(client)})
    assert response.status_code == 303
    code = db.session.scalar(select(TeacherInvite.code))
    assert len(code) == 12
    shown = "-".join(code[i : i + 4] for i in range(0, 12, 4))
    assert shown in client.get("/teach/invites").get_data(as_text=True)

    learner = make_account("lily")
    learner_client = client_for(app, learner)
    response = learner_client.post(
        "/invite", data={"code": shown.lower(), "csrf_token": token(learner_client)}
    )
    assert response.status_code == 303 and response.headers["Location"] == "/teach"
    assert role_of("lily") == "teacher"
    assert learner_client.get("/teach").status_code == 200
    assert "lily" in client.get("/teach/invites").get_data(as_text=True)

    # Used once: nobody else gets in with it.
    other = make_account("mo")
    other_client = client_for(app, other)
    response = other_client.post("/invite", data={"code": code, "csrf_token": token(other_client)})
    assert response.status_code == 422
    assert "doesn&#39;t exist or has already been used" in response.get_data(as_text=True)
    assert role_of("mo") == "learner"


def test_the_invite_link_fills_in_the_code(app):
    html = client_for(app, make_account("lily")).get("/invite/ABCD-EFGH-JKLM").get_data(as_text=True)
    assert 'value="ABCD-EFGH-JKLM"' in html


def test_a_teacher_redeeming_a_code_keeps_it_unused(app):
    admin = make_account("ada", "admin")
    admin_client = client_for(app, admin)
    admin_client.post("/teach/invites", data={"csrf_token": token(admin_client)})
    code = db.session.scalar(select(TeacherInvite.code))
    teacher = make_account("olive", "teacher")
    client = client_for(app, teacher)
    response = client.post("/invite", data={"code": code, "csrf_token": token(client)})
    assert response.status_code == 422 and "already a teacher" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).where(TeacherInvite.used_by.is_not(None))) == 0


def test_promote_from_the_command_line(app, runner):
    make_account("lily")
    result = runner.invoke(args=["users", "promote", "LILY", "--role", "teacher"])
    assert result.exit_code == 0, result.output
    assert "lily is now teacher" in result.output
    assert role_of("lily") == "teacher"
    result = runner.invoke(args=["users", "promote", "nobody", "--role", "teacher"])
    assert result.exit_code != 0 and "no user named 'nobody'" in result.output
    result = runner.invoke(args=["users", "promote", "lily", "--role", "king"])
    assert result.exit_code != 0 and role_of("lily") == "teacher"
