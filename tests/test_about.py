def test_about_reports_api_and_release_version(client):
    body = client.get("/about/").json()
    assert body["api_version"] == "2.0"
    assert body["database"] == "O*NET 30.1"
    assert "CC BY 4.0" in body["attribution"]


def test_about_without_trailing_slash(client):
    assert client.get("/about").json()["api_version"] == "2.0"
