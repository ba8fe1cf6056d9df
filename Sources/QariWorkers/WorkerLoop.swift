import Glibc

/// The child side of the protocol: a worker process's main loop.
public enum WorkerLoop {
    /// Sends `ready` with `info`, then hands every request frame read from `input` to `handle` until `input`
    /// closes; `handle` answers through the writer and returns false when the daemon is gone. Returns an exit status.
    public static func serve(
        info: UInt32 = 0, label: String, input: Int32 = 0, output: Int32 = 1,
        handle: (Frame, FrameWriter) -> Bool
    ) -> Int32 {
        signal(SIGPIPE, SIG_IGN)
        let out = FrameWriter(fd: output)
        guard writeAll(fd: output, bytes: Frame.ready(info: info, pid: getpid())) else { return 1 }
        var decoder = FrameDecoder()
        var readBuffer = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = readBuffer.withUnsafeMutableBytes { read(input, $0.baseAddress, $0.count) }
            if n == 0 { return 0 }
            if n < 0 {
                if errno == EINTR { continue }
                return 1
            }
            readBuffer.withUnsafeBytes { decoder.append(UnsafeRawBufferPointer(rebasing: $0[0..<n])) }
            do {
                while let incoming = try decoder.next() {
                    guard case .frame(let frame) = incoming else { continue }
                    guard handle(frame, out) else { return 1 }
                }
            } catch {
                writeStderr("\(label): \(error)\n")
                return 2
            }
        }
    }
}

/// Writes whole frames to a file descriptor.
public struct FrameWriter: Sendable {
    public let fd: Int32

    public init(fd: Int32) { self.fd = fd }

    /// False when the peer is gone.
    public func send(_ frame: Frame) -> Bool {
        writeAll(fd: fd, bytes: frame.encoded())
    }

    /// A `failure` answer to request `id`.
    public func fail(_ id: UInt64, _ message: String) -> Bool {
        send(.failure(id: id, message: message))
    }
}
