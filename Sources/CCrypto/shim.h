// libcrypto (OpenSSL, Debian's libssl-dev): SHA-256 for content-addressed readings.
#include <openssl/evp.h>
