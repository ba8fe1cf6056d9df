#ifndef QARI_CLAME_SHIM_H
#define QARI_CLAME_SHIM_H
#include <lame/lame.h>
#endif
