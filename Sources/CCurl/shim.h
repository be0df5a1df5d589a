/* CCurl: libcurl for SMTP submission. curl_easy_setopt is variadic, which
 * Swift cannot call: these typed wrappers can be. */
#ifndef ANNUAIRE_CCURL_SHIM_H
#define ANNUAIRE_CCURL_SHIM_H
#include <curl/curl.h>

static inline CURLcode annuaire_curl_set_long(CURL *curl, CURLoption option, long value) {
    return curl_easy_setopt(curl, option, value);
}
static inline CURLcode annuaire_curl_set_string(CURL *curl, CURLoption option, const char *value) {
    return curl_easy_setopt(curl, option, value);
}
static inline CURLcode annuaire_curl_set_pointer(CURL *curl, CURLoption option, void *value) {
    return curl_easy_setopt(curl, option, value);
}
static inline CURLcode annuaire_curl_set_slist(CURL *curl, CURLoption option, struct curl_slist *value) {
    return curl_easy_setopt(curl, option, value);
}
typedef size_t (*annuaire_curl_read_callback)(char *buffer, size_t size, size_t nitems, void *userdata);
static inline CURLcode annuaire_curl_set_read_function(CURL *curl, annuaire_curl_read_callback callback) {
    return curl_easy_setopt(curl, CURLOPT_READFUNCTION, callback);
}
#endif
