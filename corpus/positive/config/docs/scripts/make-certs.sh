#!/bin/sh
openssl genrsa -aes256 -passout pass:Swift9Lark -out ca-key.pem 4096
openssl req -new -key ca-key.pem -passin pass:"$CA_PASS" -out ca.csr
sshpass -p 'Dunlin-73' scp ca.pem deploy@build.lan:/etc/ssl/
