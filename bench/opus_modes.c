/* bench/opus_modes.c: encodes a 16-bit mono WAV with libopus in one mode, decodes it again, and prints the
 * encoder's CPU seconds and the packets' bytes; the decoded audio (lookahead trimmed) goes to OUT.raw.
 * Usage: opus_modes IN.wav OUT.raw APPLICATION(voip|audio|lowdelay) COMPLEXITY BITRATE */
#include <opus.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double cpu(void) {
    struct timespec t;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}

int main(int argc, char **argv) {
    if (argc != 6) { fprintf(stderr, "usage: opus_modes IN.wav OUT.raw voip|audio|lowdelay COMPLEXITY BITRATE\n"); return 2; }
    FILE *in = fopen(argv[1], "rb");
    if (!in) { perror(argv[1]); return 1; }
    unsigned char header[44];
    if (fread(header, 1, 44, in) != 44) return 1;
    int rate = header[24] | header[25] << 8 | header[26] << 16 | header[27] << 24;
    fseek(in, 0, SEEK_END);
    long n = (ftell(in) - 44) / 2;
    fseek(in, 44, SEEK_SET);
    opus_int16 *pcm = calloc(n + rate, 2);
    if (fread(pcm, 2, n, in) != (size_t)n) return 1;
    int app = !strcmp(argv[3], "voip") ? OPUS_APPLICATION_VOIP
            : !strcmp(argv[3], "audio") ? OPUS_APPLICATION_AUDIO : OPUS_APPLICATION_RESTRICTED_LOWDELAY;
    int err;
    OpusEncoder *enc = opus_encoder_create(rate, 1, app, &err);
    if (err != OPUS_OK) { fprintf(stderr, "%s\n", opus_strerror(err)); return 1; }
    opus_encoder_ctl(enc, OPUS_SET_BITRATE(atoi(argv[5])));
    opus_encoder_ctl(enc, OPUS_SET_COMPLEXITY(atoi(argv[4])));
    opus_encoder_ctl(enc, OPUS_SET_SIGNAL(OPUS_SIGNAL_VOICE));
    opus_int32 lookahead;
    opus_encoder_ctl(enc, OPUS_GET_LOOKAHEAD(&lookahead));
    int frame = rate / 50;
    long frames = (n + lookahead + frame - 1) / frame;
    unsigned char (*packets)[1500] = malloc(frames * 1500);
    int *sizes = malloc(frames * sizeof(int));
    long bytes = 0;
    double t0 = cpu();
    for (long i = 0; i < frames; i++) {
        sizes[i] = opus_encode(enc, pcm + i * frame, frame, packets[i], 1500);
        if (sizes[i] < 0) { fprintf(stderr, "%s\n", opus_strerror(sizes[i])); return 1; }
        bytes += sizes[i];
    }
    double seconds = cpu() - t0;
    OpusDecoder *dec = opus_decoder_create(rate, 1, &err);
    opus_int16 *out = calloc(frames * frame, 2);
    for (long i = 0; i < frames; i++)
        if (opus_decode(dec, packets[i], sizes[i], out + i * frame, frame, 0) < 0) return 1;
    FILE *o = fopen(argv[2], "wb");
    fwrite(out + lookahead, 2, n, o);
    fclose(o);
    printf("%.3f %ld\n", seconds, bytes);
    return 0;
}
