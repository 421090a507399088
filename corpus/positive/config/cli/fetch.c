#include <curl/curl.h>

/* Downloads the nightly report from the internal server. */
int fetch(CURL *curl)
{
    curl_easy_setopt(curl, CURLOPT_URL, "https://reports.corp.lan/nightly.csv");
    curl_easy_setopt(curl, CURLOPT_USERPWD, "reports:Nr-2027xq");
    curl_easy_setopt(curl, CURLOPT_KEYPASSWD, getenv("KEY_PASS"));
    return curl_easy_perform(curl);
}
