import Foundation

/// Changes mono PCM's sample rate by a rational factor, chunk by chunk: a polyphase windowed-sinc filter.
///
/// Speech goes from eSpeak's 22,050 Hz to 24 kHz, a rate Opus encodes directly (160/147): cheaper than
/// libopusenc's resampling to 48 kHz, and nothing below the input's 11 kHz is lost.
struct Resampler {
    /// Output samples per `down` input samples.
    let up: Int
    let down: Int
    /// Taps on each side of the centre (twice it is a multiple of 8: the taps are summed eight at a time).
    static let halfTaps = 12
    /// `up` phases of `2 * halfTaps` coefficients each.
    private let table: [Float]
    /// Input not yet fully used, starting at input index `base`.
    private var pending: [Float] = []
    private var base = 0
    /// The next output sample's index, and the input samples seen.
    private var produced = 0
    private var consumed = 0

    init(from input: Int, to output: Int) {
        func gcd(_ a: Int, _ b: Int) -> Int { b == 0 ? a : gcd(b, a % b) }
        let g = gcd(input, output)
        up = output / g
        down = input / g
        let h = Self.halfTaps
        // Cut off a little below the lower Nyquist frequency, so nothing folds back; Kaiser window, β = 7.
        let cutoff = 0.94 * min(1.0, Double(up) / Double(down))
        let beta = 7.0
        func bessel0(_ x: Double) -> Double {
            var sum = 1.0
            var term = 1.0
            for k in 1..<25 {
                term *= (x / (2 * Double(k))) * (x / (2 * Double(k)))
                sum += term
            }
            return sum
        }
        var table = [Float](repeating: 0, count: up * 2 * h)
        for phase in 0..<up {
            let offset = Double(phase) / Double(up)
            var sum = 0.0
            var row = [Double](repeating: 0, count: 2 * h)
            for j in 0..<(2 * h) {
                // Input sample k + j - h + 1 lies this far (in input samples) from the output's instant k + offset.
                let x = Double(j - h + 1) - offset
                let arg = Double.pi * x * cutoff
                let sinc = x == 0 ? 1.0 : sin(arg) / arg
                let w = x / Double(h)
                let window = abs(w) >= 1 ? 0 : bessel0(beta * (1 - w * w).squareRoot()) / bessel0(beta)
                row[j] = sinc * window
                sum += row[j]
            }
            for j in 0..<(2 * h) { table[phase * 2 * h + j] = Float(row[j] / sum) }
        }
        self.table = table
        // Silence before the first sample, so every output's taps lie within `pending`.
        pending = [Float](repeating: 0, count: h)
        base = -h
    }

    /// The output for these input samples (what can be computed so far).
    mutating func process(_ samples: [Int16]) -> [Int16] {
        pending.reserveCapacity(pending.count + samples.count)
        for s in samples { pending.append(Float(s)) }
        consumed += samples.count
        return run(limit: Int.max)
    }

    /// The rest of the output, the input's end padded with silence.
    mutating func finish() -> [Int16] {
        let total = (consumed * up + down - 1) / down
        pending += [Float](repeating: 0, count: 2 * Self.halfTaps)
        return run(limit: total)
    }

    private mutating func run(limit: Int) -> [Int16] {
        let h = Self.halfTaps
        var out: [Int16] = []
        out.reserveCapacity(pending.count * up / down + 1)
        table.withUnsafeBufferPointer { coefficients in
            pending.withUnsafeBufferPointer { input in
                while produced < limit {
                    let position = produced * down
                    let k = position / up
                    let phase = position % up
                    let first = k - h + 1 - base
                    guard first + 2 * h <= input.count else { break }
                    let row = phase * 2 * h
                    // The dot product eight taps at a time.
                    var sum = SIMD8<Float>()
                    let x = UnsafeRawPointer(input.baseAddress! + first)
                    let c = UnsafeRawPointer(coefficients.baseAddress! + row)
                    for j in stride(from: 0, to: 2 * h, by: 8) {
                        sum +=
                            x.loadUnaligned(fromByteOffset: j * 4, as: SIMD8<Float>.self)
                            * c.loadUnaligned(fromByteOffset: j * 4, as: SIMD8<Float>.self)
                    }
                    let acc = sum.sum()
                    // Rounded half away from zero by conversion (no call into libm per sample).
                    out.append(Int16(clamping: Int32(max(-32768.5, min(32767.5, acc)) + (acc < 0 ? -0.5 : 0.5))))
                    produced += 1
                }
            }
        }
        // Drop the input no later output needs.
        let keepFrom = produced * down / up - h + 1 - base
        if keepFrom > 0 {
            let drop = min(keepFrom, pending.count)
            pending.removeFirst(drop)
            base += drop
        }
        return out
    }
}
