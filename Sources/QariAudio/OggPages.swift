/// Ogg pages of one logical stream (RFC 3533): packets in, pages out, each with its checksum.
struct OggPages {
    private let serial: UInt32
    private var sequence: UInt32 = 0
    /// Lacing values and bytes queued, and the granule position of the last packet each segment ends (-1: none).
    private var segments: [(lacing: UInt8, bytes: ArraySlice<UInt8>, granule: Int64?)] = []
    private var first = true
    private var continued = false

    init(serial: UInt32) {
        self.serial = serial
    }

    /// Queues a packet whose end is at `granule` (in the stream's granule units).
    mutating func add(_ packet: [UInt8], granule: Int64) {
        var rest = packet[...]
        // A packet's lacing: 255 for each full 255 bytes, then the remainder (0 when it divides evenly).
        while true {
            let n = min(255, rest.count)
            let ends = n < 255
            segments.append((UInt8(n), rest.prefix(n), ends ? granule : nil))
            rest = rest.dropFirst(n)
            if ends { break }
        }
    }

    /// Whether packets wait for a page.
    var isEmpty: Bool { segments.isEmpty }

    /// The queued packets as pages (at most 255 segments each); `last` marks the stream's end.
    mutating func flush(last: Bool = false) -> [UInt8] {
        var out: [UInt8] = []
        repeat {
            let take = segments.prefix(255)
            segments.removeFirst(take.count)
            let granule = take.last(where: { $0.granule != nil })?.granule ?? -1
            var body: [UInt8] = []
            for s in take { body += s.bytes }
            out += page(
                lacing: take.map(\.lacing), body: body, granule: granule, last: last && segments.isEmpty)
            continued = take.last.map { $0.granule == nil } ?? false
        } while !segments.isEmpty
        return out
    }

    private mutating func page(lacing: [UInt8], body: [UInt8], granule: Int64, last: Bool) -> [UInt8] {
        var page: [UInt8] = Array("OggS".utf8) + [0]
        page.append((continued ? 1 : 0) | (first ? 2 : 0) | (last ? 4 : 0))
        first = false
        withUnsafeBytes(of: UInt64(bitPattern: granule).littleEndian) { page += $0 }
        withUnsafeBytes(of: serial.littleEndian) { page += $0 }
        withUnsafeBytes(of: sequence.littleEndian) { page += $0 }
        sequence += 1
        page += [0, 0, 0, 0, UInt8(lacing.count)]
        page += lacing
        page += body
        let crc = Self.crc(page)
        withUnsafeBytes(of: crc.littleEndian) { page.replaceSubrange(22..<26, with: $0) }
        return page
    }

    /// Ogg's CRC-32: polynomial 0x04C11DB7, not reflected, starting from 0.
    static func crc(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0
        for b in bytes { crc = (crc << 8) ^ table[Int(((crc >> 24) ^ UInt32(b)) & 0xFF)] }
        return crc
    }

    private static let table: [UInt32] = (0..<256).map { i in
        var r = UInt32(i) << 24
        for _ in 0..<8 { r = r & 0x8000_0000 != 0 ? (r << 1) ^ 0x04C1_1DB7 : r << 1 }
        return r
    }
}
