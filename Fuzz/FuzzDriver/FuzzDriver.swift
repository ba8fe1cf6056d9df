import Glibc

/// What libFuzzer calls with each input.
public typealias FuzzCallback = @convention(c) (UnsafeRawPointer?, Int) -> CInt

/// Runs libFuzzer's driver with `fuzz`: SwiftPM names each program's main for itself, so libFuzzer's own `main` is
/// not the one that runs, and each target's `main` calls this.
public func runFuzzer(_ fuzz: FuzzCallback) -> Never {
    typealias Driver =
        @convention(c) (
            UnsafeMutablePointer<CInt>, UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
            FuzzCallback
        ) -> CInt
    guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "LLVMFuzzerRunDriver") else {
        fatalError("not built with -sanitize=fuzzer (make fuzz builds it)")
    }
    let driver = unsafeBitCast(symbol, to: Driver.self)
    var argc = CommandLine.argc
    var argv = CommandLine.unsafeArgv
    exit(driver(&argc, &argv, fuzz))
}
