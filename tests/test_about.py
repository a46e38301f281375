def test_about_reports_api_and_release_version(client):
    body = client.get("/about/").json()
    assert body["api_version"] == "2.0"
    assert body["database"] == "O*NET 30.1"
    assert "CC BY 4.0" in body["attribution"]


def test_about_without_trailing_slash(client):
    assert client.get("/about").json()["api_version"] == "2.0"


def test_about_names_each_release_its_date_and_absent_tables(client, current_client):
    """The date comes from the release's Read Me; absent tables are the files the build did not have."""
    legacy = client.get("/about/").json()
    assert legacy["database_date"] == "December 2025"
    assert set(legacy["database_tables_absent"]) == {"task_ratings", "work_activities", "work_context"}
    current = current_client.get("/about/").json()
    assert (current["database"], current["database_version"], current["database_date"]) == (
        "O*NET 30.3",
        "30.3",
        "May 2026",
    )
    assert set(current["database_tables_absent"]) == {
        "job_titles",
        "specific_interest_areas",
        "task_ratings",
        "tasks_to_dwas",
        "training_and_experience",
        "work_activities",
        "work_context",
    }
