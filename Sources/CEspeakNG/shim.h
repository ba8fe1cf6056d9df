#ifndef QARI_CESPEAKNG_SHIM_H
#define QARI_CESPEAKNG_SHIM_H
#include <espeak-ng/speak_lib.h>
#endif
