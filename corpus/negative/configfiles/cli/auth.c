#include <curl/curl.h>

/* The credentials come from the caller; none is written here. */
int auth(CURL *curl, const char *user, const char *pw)
{
    curl_easy_setopt(curl, CURLOPT_USERNAME, user);
    curl_easy_setopt(curl, CURLOPT_PASSWORD, pw);
    curl_easy_setopt(curl, CURLOPT_USERPWD, "anonymous");
    return 0;
}
