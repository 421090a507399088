$ErrorActionPreference = 'Stop'
$packageArgs = @{
  packageName    = 'keytrace'
  url64bit       = 'https://github.com/acme/keytrace/releases/download/v1.4.1/keytrace-1.4.1-x86_64-pc-windows-msvc.zip'
  checksum64     = '3F96C6C535B9028CD9312EA94C2F2B4F94D96157E2991BAAFFDE472623C16379'
  checksumType64 = 'sha256'
  unzipLocation  = "$(Split-Path -parent $MyInvocation.MyCommand.Definition)"
}
Install-ChocolateyZipPackage @packageArgs
