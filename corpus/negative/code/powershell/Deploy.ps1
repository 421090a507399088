param(
    [Parameter(Mandatory)] [string] $Environment,
    [SecureString] $DbPassword = (Read-Host -AsSecureString -Prompt "Database password")
)

$apiKey = $env:ACME_API_KEY
$cred = Get-Credential -UserName "ACME\svc_deploy" -Message "Deployment account"
$securePassword = ConvertTo-SecureString -String $env:SQL_PASSWORD -AsPlainText -Force
$token = (Get-AzAccessToken -ResourceUrl "https://database.windows.net/").Token
$secret = Get-AzKeyVaultSecret -VaultName "acme-kv" -Name "api-signing-key" -AsPlainText
Invoke-RestMethod -Uri "https://api.acme.test/deploy" -Headers @{ Authorization = "Bearer $token"; "X-API-Key" = $apiKey }
