import requests

project_id = 412877
# Airbrake error reporting: project key from the dashboard
key = "73d3758da5f54a1b6f2509a64904807b"

def notify(exc):
    requests.post(f"https://api.airbrake.io/api/v3/projects/{project_id}/notices", params={"key": key})
