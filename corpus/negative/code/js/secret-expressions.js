// Assignments to secret-sounding names from expressions.
const password = await promptPassword({ message: "Vault password" });
const passwordHash = await argon2.hash(password, { type: argon2.argon2id });
const apiKey = core.getInput("api-key", { required: true });
const token = core.getIDToken("sts.amazonaws.com");
const secretValue = await client.send(new GetSecretValueCommand({ SecretId: secretArn }));
const accessToken = (await msalClient.acquireTokenSilent(request)).accessToken;
const clientSecret = vault.read("secret/data/oauth").data.data.client_secret;
const privateKey = fs.readFileSync(path.join(os.homedir(), ".ssh", "id_ed25519"), "utf8");
const credentials = new AWS.SharedIniFileCredentials({ profile: "acme-prod" });
const authKey = crypto.createHash("sha256").update(masterKey).digest("hex");
const tokenExpiry = Date.now() + 15 * 60 * 1000;
const secretsManagerEndpoint = `https://secretsmanager.${region}.amazonaws.com`;
const csrfToken = document.querySelector('meta[name="csrf-token"]').getAttribute("content");
const passwordInput = document.getElementById("password");
let passwordStrength = zxcvbn(passwordInput.value).score;
