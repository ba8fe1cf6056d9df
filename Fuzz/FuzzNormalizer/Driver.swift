import Glibc

/// The entry point: libFuzzer's driver with this target's `fuzz` (SwiftPM names the program's main for itself, so
/// libFuzzer's own `main` is not the one that runs).
@main
struct FuzzMain {
    typealias Callback = @convention(c) (UnsafeRawPointer?, Int) -> CInt
    typealias Driver =
        @convention(c) (
            UnsafeMutablePointer<CInt>, UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
            Callback
        ) -> CInt

    static func main() {
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "LLVMFuzzerRunDriver") else {
            fatalError("not built with -sanitize=fuzzer (make fuzz builds it)")
        }
        let driver = unsafeBitCast(symbol, to: Driver.self)
        var argc = CommandLine.argc
        var argv = CommandLine.unsafeArgv
        exit(driver(&argc, &argv) { data, size in fuzz(data, size) })
    }
}
