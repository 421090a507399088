include(FetchContent)

FetchContent_Declare(
  googletest
  URL https://github.com/acme-mirror/googletest/archive/71d2a0e6e1f55f6dfbe64a0ea25e617a7349eed2.zip
  URL_HASH SHA256=0a90f0dbfe50ccbbdc863e2f4df8bac2f2d79cb66205b0cf449472c764e9e05c
  DOWNLOAD_EXTRACT_TIMESTAMP TRUE
)

FetchContent_Declare(
  fmt
  URL https://github.com/acme-mirror/fmt/archive/26ce11ace243488b6976d8268fa2fa45bc9f3128.zip
  URL_HASH SHA256=ecd3886be02513b4ca8bd1de0816be39eba7c3cf4b06550859b5c8e7555d8097
  DOWNLOAD_EXTRACT_TIMESTAMP TRUE
)

FetchContent_Declare(
  spdlog
  URL https://github.com/acme-mirror/spdlog/archive/ed2b6c1787c929a22cf5c6cd078f1737375256db.zip
  URL_HASH SHA256=8c87451ac717a35e184648e8b859d5189197a6fbea7553dc9ca3299f2ee83923
  DOWNLOAD_EXTRACT_TIMESTAMP TRUE
)

FetchContent_Declare(
  nlohmann_json
  URL https://github.com/acme-mirror/nlohmann_json/archive/3bd80ef112e171a79f85d431585fe4849d404172.zip
  URL_HASH SHA256=dd5f1d6f893abf1f3a41fa61d419204450e9499940bc6ca7dffafc0a63f96280
  DOWNLOAD_EXTRACT_TIMESTAMP TRUE
)

FetchContent_Declare(
  libsodium
  URL https://github.com/acme-mirror/libsodium/archive/be763aad8b9e08f7f16e31f64c940c71767c4e31.zip
  URL_HASH SHA256=3ab8d01afb60fd7c249d1a89c44410f7da3a75073124fea432d7a3b1dfec70ca
  DOWNLOAD_EXTRACT_TIMESTAMP TRUE
)

FetchContent_Declare(
  mbedtls
  URL https://github.com/acme-mirror/mbedtls/archive/f9fc141cbfe367c3ae639472e255b780c11a561a.zip
  URL_HASH SHA256=155d1be1ee4165512182a3d93f4f441e9cea8dea94b6990a5babb34def111615
  DOWNLOAD_EXTRACT_TIMESTAMP TRUE
)

vcpkg_from_github(
    OUT_SOURCE_PATH SOURCE_PATH
    REPO jedisct1/libsodium
    REF 91492df336b7d5b9dd8029068ce2af471c928612
    SHA512 c4d1b27d86a2c41d55d54412d1400021d5f1faec1672c2ce97360decb7bb6ad920b29a509254f323b8702a5261e417afde18ce7624b8c3e4877293a80b167358
    HEAD_REF master
)
