#!/bin/sh
curl -s https://push.appsignal.com/1/markers \
  -H "Authorization: Bearer 8620384c-aa00-411b-92ec-79cf20dfa298" \
  -d '{"revision": "'"$REV"'"}'
