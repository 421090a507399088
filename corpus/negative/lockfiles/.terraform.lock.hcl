# This file is maintained automatically by "terraform init".
# Manual edits may be lost in future updates.

provider "registry.terraform.io/hashicorp/aws" {
  version     = "3.30.2"
  constraints = "~> 5.0"
  hashes = [
    "h1:ukU/9F21a1HM0QeegZ0ID8iUA2FNidaDqQn6ZPhVXAI=",
    "zh:429f8ac8fda935cc320aa994e2cff6f3b47a911e1e88fd4581efbcc47f5a04c9",
    "zh:15b44bd88dee8ad8ea0f8761e5ffb0e62a3ce90e9a9cd57aa86509627c5f6a82",
    "zh:f36835578369b109569c24a748a5c1e4d0923eea99b1602382caaa402b7cc0ac",
    "zh:906279205e1af2d6b9c6a6094a20a94bb08e69d928527d2af8b1b433bd525d62",
    "zh:7bee5cc3ddb0f4ad4b31beecf787a331cf42413bf4a93fe8036d1634ce8cf0ba",
    "zh:1b463aa7de43f335758ebeade24a8eb428b82d00e455e2745d3dfebb6894092b",
    "zh:587f0641c76a3c31086366182be745462599c4fc3a42b0c4f9421a9183d3ad71",
    "zh:4bdb7f32ef995c7e94b657b4cd776146868fd5886d3dee63cecedcd53b2fb5c2",
  ]
}

provider "registry.terraform.io/hashicorp/random" {
  version     = "0.21.12"
  constraints = "~> 5.0"
  hashes = [
    "h1:IM6kQIe/sky3jR90Zfi9fmIc1KCQY3v3duvjY4mGIWU=",
    "zh:5ee5549d75d657bef500d6c45ceee05d8ad4371ed0f4d8eda93148211f344f69",
    "zh:43eb9839874626154c9b89ec370317cf81affe322edfcf5ed32a945697ae4b72",
    "zh:4a72ae9eac83a178f7b6736b9f451b402033bb95dbcd6a1814c85c81336ca104",
    "zh:b8c307dca1acc53dd55a9e56cfc8681f450e00c5d6664e2e97d8f25a1bc24150",
    "zh:d438bc8bd496d45031884425da264cacb8bccee77209d9ea491a106953d0758a",
    "zh:2b828f05eb20702d02f96cac12ac0c640745698f3f66e921023ab63092b4f48e",
    "zh:0e2fd3c2fbc6e5abd0a7449a5698b20508eb9508ee5e50a5d59b07c62057d436",
    "zh:f7999e130a45fcfb1e2331679d0de5d017310d1b5b4dc0145cadc52f4f85a4fc",
  ]
}

provider "registry.terraform.io/hashicorp/vault" {
  version     = "1.27.4"
  constraints = "~> 5.0"
  hashes = [
    "h1:2h+A17z+tbOaJxWO9l6+r0lrSud6RO/FAoJuQX1PxXk=",
    "zh:92dc32e3219c5d9db0972d1d01597c9f3197d6ae9adebf4c9c5f3c1314be1cf4",
    "zh:64f06d7a961dcdce7d7952e3f74ffd1a14a67332c3dda3122c64bf2f0254303d",
    "zh:495ef9b92af066ac33c647eb5a9210045652c92ebe38e3a147a0211281860f8c",
    "zh:7fe092072e109a0ef6ec799ad4dd4a6d009a2e7b7112f8300051ec55bfbe6c97",
    "zh:7181b5f602037444f9e9854b38f93aa8365551f032c5a8608a71cfcc855b6575",
    "zh:a5493602f63061b9a699938b7bcee2fbc21056f154f555f4f9f91336d6e80bc3",
    "zh:4e9e8cc2d657f0db3159daa0d4925b06bcc450983c2bd0774e56dbf397d07bb8",
    "zh:488f0ec8099efb0a649c171e3d03ed7f2a580eef0d7c436e684747746277807f",
  ]
}

provider "registry.terraform.io/hashicorp/kubernetes" {
  version     = "4.19.11"
  constraints = "~> 5.0"
  hashes = [
    "h1:QGWjDrBynL4b1jvxsMSUdkGHUhx4AtU4VGwqRaCtwCo=",
    "zh:cb8741fdf4edaca54dca6ff43a6742a701643a95e23a3a5ce7cdf2f16718ecab",
    "zh:640409aee816b39f0e97f60167c2961d46391e7dd8d1e5b72b2589be790b7042",
    "zh:e1eb64af6b68c4ccc89dab3919af14ff02842c91b867cb3146d6ff0f9bdbbfbc",
    "zh:f49847ee11920ff11337bdb0555c5b2317a086a7dbc1d7d1e179efae15eb898c",
    "zh:77e4e49363643e7a69a1dc90678cd4e0f78fdaed4355b7221750ee34a50a93ce",
    "zh:174ce1f21e0299350ec54ac66b4d4b26117c6445c792d8111722da8ba42db4c4",
    "zh:dc4dacd466e13c1fa72dd2f2694df2921b45964ff298c007edfac9a10063b614",
    "zh:2cada6caee3c9d1bbd3f987b9a99244d051a1c9e60bcf5a0af9a60e16d94b34a",
  ]
}

provider "registry.terraform.io/cloudflare/cloudflare" {
  version     = "0.19.4"
  constraints = "~> 5.0"
  hashes = [
    "h1:E6Ci9Z2MIN9qE9sxTPhNJmo85FHzkkzhKlmexnHc8dk=",
    "zh:a4c3ab52ce69ad0b69c597cae4bc2f156b2d3039794168dc3dd5589b14ab98a8",
    "zh:d993895d732a495a67548b77de653af292252c0baadff622c04190016e69b9b2",
    "zh:4f5c2a39eff8b5168fe502bd2c59c7a950ef339ce1413e7f32502c08d80a1c9b",
    "zh:d227681b22b3efc48fda8fb800796bca6d34d39830e8e652158466070812f826",
    "zh:c97926dd0136041cb16d90f04dc77777fdf4ee298ea9be5d887aedbd67100bda",
    "zh:e150cba125e01fe73f0e0305100e777b2e05964c241827400d988cd9fd86079b",
    "zh:f6382a2ac8d36716342d3813da4656c69b54cdafe5406004344d574f1382ad7c",
    "zh:091be04c22ad2257925fa0a5f11fc3fb9557d8dfa376af9314365446783dc237",
  ]
}

provider "registry.terraform.io/hashicorp/tls" {
  version     = "3.30.2"
  constraints = "~> 5.0"
  hashes = [
    "h1:VAkpvG+uhiPYGJAwQ5XvA0dtfxihAQGKXBW8lDu6o/s=",
    "zh:2a05da5b119ffa114c362c63c541e41f27d5419f3f1d4536aa169484c9a5574e",
    "zh:214f0a677065155d7b75e0682988ea14ae315beda826b4916447fa6d50c8feb2",
    "zh:1dee9031d70be63400cf5e597cba44cf6c94cda1eca8237eabf6038c8056adb4",
    "zh:bfa30ddb09147b058c7c3934e3fd3aec6b03e8882da2e46343678cce9b354dbf",
    "zh:30ea772e85fbb8581a216948a2d4f2b63a940016f587ec1131a80ec279d43551",
    "zh:c2bd55a01a1c56dc22c72afb4d488410012622a5982dc50dcaa52e0a1d461a52",
    "zh:5297e631d0fe9cf1259c4925d20ea6191faccb66ffc71ea282f8ccad275a962f",
    "zh:4999b85c9619387161485e95dcafb6e2c22adb4ad387e47e3a8eb26f01a8becb",
  ]
}
