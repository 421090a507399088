# Assignments to secret-sounding names from expressions, calls and lookups.
password = getpass.getpass(prompt="Database password: ")
password_hash = bcrypt.hashpw(password.encode(), bcrypt.gensalt(rounds=12))
new_password = form.cleaned_data["new_password1"]
password_confirmation = request.POST.get("password_confirmation")
secret_key = settings.SECRET_KEY
secret = base64.urlsafe_b64decode(os.environ["FERNET_KEY"])
client_secret = credentials.client_secret
api_key = config.get("integrations", "api_key", fallback=None)
api_key = keyring.get_password("acme-cli", username)
access_token = response.json()["access_token"]
access_token = oauth_session.fetch_token(token_url, client_secret=client_secret)["access_token"]
refresh_token = token_response.refresh_token
token = jwt.encode(claims, signing_key, algorithm="RS256")
token = secrets.token_urlsafe(nbytes=32)
token = request.headers["Authorization"].split(" ", 1)[1]
private_key = serialization.load_pem_private_key(pem_bytes, password=None)
private_key = ec.generate_private_key(ec.SECP256R1())
credentials = service_account.Credentials.from_service_account_file(path)
credential = DefaultAzureCredential(exclude_interactive_browser_credential=True)
auth_key = hashlib.sha256(master_key + b"auth").digest()
session_token = boto3.client("sts").get_session_token()["Credentials"]["SessionToken"]
next_token = paginator.next_page_token
pagination_token = response.meta.next_token
csrf_token = get_token(request)
token_bucket = TokenBucket(rate=10, capacity=100)
tokenizer = AutoTokenizer.from_pretrained("bert-base-uncased")
tokens = tokenizer.encode(text, add_special_tokens=True)
max_tokens = model_config.max_position_embeddings
secret_santa_assignments = shuffle_participants(participants)
passwordless_login_enabled = feature_flags.is_enabled("passwordless")
