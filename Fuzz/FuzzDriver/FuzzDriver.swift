#if canImport(Glibc)
    import Glibc
#endif

/// A libFuzzer program: its `@main` type conforms, and the program defines `LLVMFuzzerTestOneInput` (`@_cdecl`).
///
/// SwiftPM names each program's main for itself, so libFuzzer's own `main` is not the one that runs; this one
/// hands the program's `LLVMFuzzerTestOneInput` to libFuzzer's driver instead.
public protocol FuzzTarget {}

extension FuzzTarget {
    /// Runs libFuzzer's driver on the program's `LLVMFuzzerTestOneInput`.
    public static func main() {
        typealias Callback = @convention(c) (UnsafeRawPointer?, Int) -> CInt
        typealias Driver =
            @convention(c) (
                UnsafeMutablePointer<CInt>, UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
                Callback
            ) -> CInt
        let everywhere = UnsafeMutableRawPointer(bitPattern: 0)
        guard let driver = dlsym(everywhere, "LLVMFuzzerRunDriver") else {
            fatalError("not built with -sanitize=fuzzer (make fuzz builds it)")
        }
        guard let target = dlsym(everywhere, "LLVMFuzzerTestOneInput") else {
            fatalError("no @_cdecl(\"LLVMFuzzerTestOneInput\") in this program, or it was not linked --export-dynamic")
        }
        var argc = CommandLine.argc
        var argv = CommandLine.unsafeArgv
        exit(unsafeBitCast(driver, to: Driver.self)(&argc, &argv, unsafeBitCast(target, to: Callback.self)))
    }
}
