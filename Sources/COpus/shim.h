#ifndef QARI_COPUS_SHIM_H
#define QARI_COPUS_SHIM_H
#include <opus.h>

/* opus_encoder_ctl is variadic, which Swift cannot call: these fix the arguments. */
static inline int qari_opus_set_bitrate(OpusEncoder *enc, opus_int32 bitrate) {
    return opus_encoder_ctl(enc, OPUS_SET_BITRATE(bitrate));
}
static inline int qari_opus_set_complexity(OpusEncoder *enc, opus_int32 complexity) {
    return opus_encoder_ctl(enc, OPUS_SET_COMPLEXITY(complexity));
}
static inline int qari_opus_set_signal_voice(OpusEncoder *enc) {
    return opus_encoder_ctl(enc, OPUS_SET_SIGNAL(OPUS_SIGNAL_VOICE));
}
static inline int qari_opus_lookahead(OpusEncoder *enc) {
    opus_int32 samples = 0;
    opus_encoder_ctl(enc, OPUS_GET_LOOKAHEAD(&samples));
    return samples;
}
#endif
