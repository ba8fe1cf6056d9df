#!/usr/bin/env python3
"""Qari's Arabic diacritizer worker: restores vowel marks with text2tashkeel's rawi-ensemble ONNX model.

Speaks the daemon's worker framing on stdin/stdout (see Sources/QariWorkers/Frame.swift):
each frame is u32 payload length (LE), u8 kind, payload. It answers `ready` (kind 10) once, then for
each `diacritize` request (kind 3: u64 id, string text) one `diacritized` frame (kind 16: u64 id,
u32 count, then `count` strings), or `failure` (kind 14: u64 id, string message).

The answer has one string per code point of the request: what that code point becomes once its
vowels are restored. That keeps every restored mark tied to the character it belongs to, so the
daemon can point word marks at the caller's undiacritized text.
"""

import os
import struct
import sys
import unicodedata

# Installed from the package, the model and its Python modules sit beside this script (/usr/lib/qari/diacritizer).
_BUNDLED = os.path.join(os.path.dirname(os.path.abspath(__file__)), "site-packages")
if os.path.isdir(_BUNDLED):
    sys.path.insert(0, _BUNDLED)

os.environ.setdefault("TT_ORT_THREADS", "1")  # one thread: two threads halved throughput on this machine

KIND_DIACRITIZE = 3
KIND_READY = 10
KIND_FAILURE = 14
KIND_DIACRITIZED = 16
MAX_PAYLOAD = 64 << 20

FATHATAN, SHADDA, SUKUN = "\u064b", "\u0651", "\u0652"
VOWELS = {chr(c) for c in range(0x064B, 0x0651)} | {SUKUN}
HAMZAS = {"\u0653", "\u0654", "\u0655"}


def is_arabic_letter(c):
    o = ord(c)
    return 0x0620 <= o <= 0x064A or 0x066E <= o <= 0x06D3


class Model:
    """The rawi-ensemble model: one diacritic class per letter of the NFD base sequence."""

    def __init__(self):
        import onnxruntime
        from text2tashkeel import _models

        def lean_session(onnx_path, providers):
            # Without onnxruntime's CPU memory arena, which keeps the largest input's buffers for good: after an
            # Arabic page in chunks of 3,000 characters this worker held 116 MB, without it 90, for 12% more CPU.
            options = onnxruntime.SessionOptions()
            options.intra_op_num_threads = options.inter_op_num_threads = 1
            options.enable_cpu_mem_arena = False
            options.enable_mem_pattern = False
            return onnxruntime.InferenceSession(str(onnx_path), sess_options=options, providers=["CPUExecutionProvider"])

        # text2tashkeel builds its session in _models._session: ours is used while the model loads.
        built = getattr(_models, "_session", None)
        if built is not None:
            _models._session = lean_session
        try:
            backend = _models.build_backend(_models.DEFAULT_MODEL)
        finally:
            if built is not None:
                _models._session = built
        self.session = backend.sess
        self.c2i = backend.c2i
        self.i2d = backend.i2d
        self.unk = backend.unk
        self.output = self.session.get_outputs()[0].name

    def classes(self, bare):
        import numpy as np

        ids = np.array([[self.c2i.get(c, self.unk) for c in bare]], dtype=np.int64)
        return self.session.run([self.output], {"input": ids})[0][0]

    def units(self, text):
        """One string per code point of `text`: the code point with its restored marks."""
        cps = list(text)
        bare, owner = [], []
        for i, c in enumerate(cps):
            for d in unicodedata.normalize("NFD", c):
                cat = unicodedata.category(d)
                if cat == "So" or cat == "Mn":
                    continue
                bare.append(d)
                owner.append(i)
        if not bare:
            return cps
        classes = self.classes(bare)
        added = {}  # code point index -> (base, predicted marks) in order
        for j, (b, cls) in enumerate(zip(bare, classes)):
            added.setdefault(owner[j], []).append((b, self.i2d.get(int(cls), "") if is_arabic_letter(b) else ""))
        out = []
        for i, c in enumerate(cps):
            parts = added.get(i)
            if parts is None or not any(m for _, m in parts):
                out.append(c)
                continue
            # The author's own marks on this letter: inside the code point (أ = ا + hamza) and the marks after it.
            own = [d for d in unicodedata.normalize("NFD", c) if unicodedata.category(d) == "Mn"]
            k = i + 1
            while k < len(cps) and unicodedata.category(cps[k]) == "Mn":
                own.append(cps[k])
                k += 1
            has_vowel = any(m in VOWELS for m in own)
            has_shadda = SHADDA in own
            has_hamza = any(m in HAMZAS for m in own)
            pieces = []
            for b, marks in parts:
                keep = [
                    m
                    for m in marks
                    if not (m in VOWELS and has_vowel)
                    and not (m == SHADDA and has_shadda)
                    and not (m in HAMZAS and has_hamza)
                    and not (m in VOWELS and SUKUN in own)
                ]
                pieces.append(b + "".join(keep))
            own_inside = [d for d in unicodedata.normalize("NFD", c) if unicodedata.category(d) == "Mn"]
            out.append(unicodedata.normalize("NFC", "".join(pieces) + "".join(own_inside)))
        return out


def read_exact(stream, n):
    data = b""
    while len(data) < n:
        chunk = stream.read(n - len(data))
        if not chunk:
            return None
        data += chunk
    return data


def frame(kind, payload):
    return struct.pack("<IB", len(payload), kind) + payload


def string(s):
    b = s.encode("utf-8")
    return struct.pack("<I", len(b)) + b


def main():
    stdin, stdout = sys.stdin.buffer, sys.stdout.buffer
    try:
        model = Model()
        model.units("سلام")  # load the session before saying ready
    except Exception as e:  # a missing model or runtime: the daemon logs this and speaks without vowels
        sys.stderr.write(f"qari diacritizer: cannot load the model: {e}\n")
        return 1
    stdout.write(frame(KIND_READY, struct.pack("<Ii", 0, os.getpid())))
    stdout.flush()
    while True:
        header = read_exact(stdin, 5)
        if header is None:
            return 0
        length, kind = struct.unpack("<IB", header)
        if length > MAX_PAYLOAD:
            sys.stderr.write(f"qari diacritizer: frame of {length} bytes\n")
            return 2
        payload = read_exact(stdin, length)
        if payload is None:
            return 0
        if kind != KIND_DIACRITIZE or length < 12:
            stdout.write(frame(KIND_FAILURE, struct.pack("<Q", 0) + string("the diacritizer accepts only diacritize")))
            stdout.flush()
            continue
        (req_id,) = struct.unpack_from("<Q", payload, 0)
        (n,) = struct.unpack_from("<I", payload, 8)
        try:
            text = payload[12 : 12 + n].decode("utf-8")
            units = model.units(text)
            body = struct.pack("<QI", req_id, len(units)) + b"".join(string(u) for u in units)
            stdout.write(frame(KIND_DIACRITIZED, body))
        except Exception as e:
            stdout.write(frame(KIND_FAILURE, struct.pack("<Q", req_id) + string(f"diacritization failed: {e}")))
        stdout.flush()


if __name__ == "__main__":
    sys.exit(main())
