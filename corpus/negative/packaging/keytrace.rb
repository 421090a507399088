class Keytrace < Formula
  desc "Find credentials in source trees before they ship"
  homepage "https://github.com/acme/keytrace"
  url "https://github.com/acme/keytrace/archive/refs/tags/v1.4.1.tar.gz"
  sha256 "989e0542e8e96f12fe14b9f5e6d811b7b917ed683a69c13760e9673db306729e"
  license "Apache-2.0"
  head "https://github.com/acme/keytrace.git", branch: "main"

  bottle do
    sha256 cellar: :any_skip_relocation, arm64_sequoia:  "a4b40749a6b497cd421da7dd0dcfea25b20b42636d152baec262aae6630f1886"
    sha256 cellar: :any_skip_relocation, arm64_sonoma:   "ed14993ea563bf312e2c4f9b2613fe0dc5ed65817b15c44f78484feb384576e1"
    sha256 cellar: :any_skip_relocation, arm64_ventura:  "8bdc8cc15aa6cf45cb8a10b96ff2cbb4670f4a802e5c37f80d93654c1cf55f1c"
    sha256 cellar: :any_skip_relocation, sonoma:         "6949c184e07a3f9c4fd60c3857d2bc64bbb096826ee83bde7ec810a9a7b609ca"
    sha256 cellar: :any_skip_relocation, ventura:        "f1c5c538dfcf70b467518f18c59da5245765f76764f9a660eaf046b1bb37e960"
    sha256 cellar: :any_skip_relocation, x86_64_linux:   "7f167163624c1459dfbcf3b035d86a0af0115841ca5ba775a94eeb654948069a"
  end

  depends_on "rust" => :build

  resource "test-fixtures" do
    url "https://github.com/acme/keytrace-fixtures/archive/286536a0194c3f611bdbe0fb0ab3243b949540d6.tar.gz"
    sha256 "ed2c3af7b05548efcaea1c19a3009e36bb5448f3692cd277842ef1fa144b4779"
  end

  def install
    system "cargo", "install", *std_cargo_args
  end

  test do
    (testpath/"config.yml").write "password: changeme\n"
    assert_match "0 findings", shell_output("#{bin}/keytrace scan #{testpath}")
  end
end
