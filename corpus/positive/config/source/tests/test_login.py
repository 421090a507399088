import requests


def test_login(client):
    client.login("alice", "Puffin#88")
    r = requests.get(URL, auth=("bob", "Gannet-4412"))
    assert r.json()["password"] != "Password"
    conn = connect(host="db.lan", user="app", password="Tern_2020")
    prompt = input("Password: ")
