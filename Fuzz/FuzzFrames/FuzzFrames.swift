import FuzzDriver
import QariWorkers

/// libFuzzer: any bytes as a worker's output, fed to the frame decoder in pieces (the first byte sets their size):
/// frames or a framing error, never a crash, and never a frame larger than what came in.
@_cdecl("LLVMFuzzerTestOneInput")
func fuzz(_ start: UnsafeRawPointer?, _ count: Int) -> CInt {
    guard let start, count > 0 else { return 0 }
    let all = UnsafeRawBufferPointer(start: start, count: count)
    let piece = Int(all[0]) % 64 + 1
    var decoder = FrameDecoder()
    var offset = 1
    var received = 0
    var decoded = 0
    while offset < count {
        let end = min(count, offset + piece)
        decoder.append(UnsafeRawBufferPointer(rebasing: all[offset..<end]))
        received += end - offset
        offset = end
        do {
            while let incoming = try decoder.next() {
                if case .frame(let frame) = incoming {
                    decoded += frame.body.count
                    precondition(decoded <= received, "more bytes decoded than received")
                }
            }
        } catch {
            return 0
        }
    }
    return 0
}

@main enum FuzzFramesProgram: FuzzTarget {}
