#ifndef QARI_CGUMBO_SHIM_H
#define QARI_CGUMBO_SHIM_H
#include <gumbo.h>

/* Parses UTF-8 with gumbo's defaults, recording at most 100 parse errors (a broken page cannot fill memory). */
static inline GumboOutput *qari_gumbo_parse(const char *buffer, size_t length) {
    GumboOptions options = kGumboDefaultOptions;
    options.max_errors = 100;
    return gumbo_parse_with_options(&options, buffer, length);
}

static inline void qari_gumbo_destroy(GumboOutput *output) {
    gumbo_destroy_output(&kGumboDefaultOptions, output);
}

/* The i-th node of a vector of nodes (children). */
static inline GumboNode *qari_gumbo_node(const GumboVector *vector, unsigned int i) {
    return (GumboNode *)vector->data[i];
}

/* The i-th attribute of an element. */
static inline GumboAttribute *qari_gumbo_attribute(const GumboVector *vector, unsigned int i) {
    return (GumboAttribute *)vector->data[i];
}
#endif
