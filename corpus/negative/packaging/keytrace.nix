{ lib, rustPlatform, fetchFromGitHub }:

rustPlatform.buildRustPackage rec {
  pname = "keytrace";
  version = "1.4.1";

  src = fetchFromGitHub {
    owner = "acme";
    repo = "keytrace";
    rev = "v${version}";
    hash = "sha256-PlKHc5bM0a4EJl8zmi2QGl6yuxsQcXYsfyS/Lqls3tM=";
  };

  cargoHash = "sha256-7dLFx3sCfiCIikrYRi8hbKAQjenS7QxgBXGtLO216Qk=";

  meta = {
    description = "Secret scanner";
    license = lib.licenses.asl20;
  };
}
