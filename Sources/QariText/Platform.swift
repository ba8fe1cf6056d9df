// Qari runs on Linux only (Package.swift says why): every module below the CLI is built on QariText, so a build
// anywhere else stops here rather than at the first `import Glibc`.
#if !os(Linux)
    #error("Qari builds on Linux only: the workers, pages and daemon use Glibc and Debian's system libraries")
#endif
