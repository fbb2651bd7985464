"""/.well-known/security.txt (RFC 9116): an instance tells researchers where to report a vulnerability."""

import re


def test_no_contact_configured_means_no_file(client):
    assert client.get("/.well-known/security.txt").status_code == 404


def test_the_configured_contacts_are_served_with_an_expiry(app, client):
    app.config["SECURITY_CONTACT"] = "security@huanying.example, https://huanying.example/security, nonsense"
    response = client.get("/.well-known/security.txt")
    assert response.status_code == 200
    assert response.mimetype == "text/plain"
    lines = response.get_data(as_text=True).splitlines()
    assert lines[:2] == [
        "Contact: mailto:security@huanying.example",
        "Contact: https://huanying.example/security",
    ]
    assert not any("nonsense" in line for line in lines)  # neither an address nor an https page
    assert any(re.fullmatch(r"Expires: \d{4}-\d\d-\d\dT00:00:00Z", line) for line in lines)
