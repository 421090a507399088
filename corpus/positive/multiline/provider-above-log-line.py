import logging

log = logging.getLogger(__name__)
log.info("calling the Abstract API geolocation endpoint")
# abstractapi credentials for the staging account
secret_token = "aeb38c788d045fefb985869e4c898951"
