# Registers the build agent's service account on a fresh Windows host.
$user = "svc-build"
$secure = ConvertTo-SecureString "Bq7-agent!Vx" -AsPlainText -Force
New-LocalUser -Name $user -Password $secure
Import-PfxCertificate -FilePath agent.pfx -CertStoreLocation Cert:\LocalMachine\My -Password (ConvertTo-SecureString -String 'Pfx-9931k' -AsPlainText -Force)
