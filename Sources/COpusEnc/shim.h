#ifndef QARI_COPUSENC_SHIM_H
#define QARI_COPUSENC_SHIM_H
#include <opusenc.h>

/* ope_encoder_ctl is variadic, which Swift cannot call: these fix the arguments. */
static inline int qari_ope_set_bitrate(OggOpusEnc *enc, opus_int32 bitrate) {
    return ope_encoder_ctl(enc, OPUS_SET_BITRATE(bitrate));
}
static inline int qari_ope_set_muxing_delay(OggOpusEnc *enc, opus_int32 samples48k) {
    return ope_encoder_ctl(enc, OPE_SET_MUXING_DELAY(samples48k));
}
static inline int qari_ope_set_decision_delay(OggOpusEnc *enc, opus_int32 samples48k) {
    return ope_encoder_ctl(enc, OPE_SET_DECISION_DELAY(samples48k));
}
static inline int qari_ope_set_complexity(OggOpusEnc *enc, opus_int32 complexity) {
    return ope_encoder_ctl(enc, OPUS_SET_COMPLEXITY(complexity));
}
static inline int qari_ope_set_signal_voice(OggOpusEnc *enc) {
    return ope_encoder_ctl(enc, OPUS_SET_SIGNAL(OPUS_SIGNAL_VOICE));
}
#endif
