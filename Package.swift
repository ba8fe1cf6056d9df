// swift-tools-version:6.1
import PackageDescription

// Linux only: the workers, the page reader and the daemon call Glibc (fork/exec, signals, memory limits) and the
// system libraries below come from Debian/Ubuntu packages. No other platform is claimed; QariText, under every
// module but QariWorkers, refuses to compile elsewhere (Sources/QariText/Platform.swift).
let package = Package(
    name: "Qari",
    products: [
        .executable(name: "qari", targets: ["qari"])
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.0"),
        .package(url: "https://github.com/apple/swift-nio-extras.git", from: "1.35.2"),
        // The daemon's settings: file (JSON, or YAML for a commented file), environment and flags as one reader.
        .package(url: "https://github.com/apple/swift-configuration.git", from: "1.4.0", traits: [.defaults, "YAML"]),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        // Listeners' pronunciation reports persist across restarts and are shared by daemons on one host: SQLite,
        // through GRDB (WAL, a pool of readers, busy waits), rather than a file format of our own.
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CEspeakNG",
            pkgConfig: "espeak-ng",
            providers: [.apt(["libespeak-ng-dev"])]
        ),
        .systemLibrary(
            name: "COpus",
            pkgConfig: "opus",
            providers: [.apt(["libopus-dev"])]
        ),
        .systemLibrary(
            name: "CLame",
            pkgConfig: "lame",
            providers: [.apt(["libmp3lame-dev"])]
        ),
        .systemLibrary(
            name: "CCrypto",
            pkgConfig: "libcrypto",
            providers: [.apt(["libssl-dev"])]
        ),
        // glibc's posix_spawn_file_actions_addclosefrom_np and pipe2, for QariWorkers' children.
        .systemLibrary(name: "CSpawn"),
        .systemLibrary(
            name: "CGumbo",
            pkgConfig: "gumbo",
            providers: [.apt(["libgumbo-dev"])]
        ),
        // The text front end, text in and speakable text out: scripts and language tags, the voices and the
        // Amazigh varieties, normalising, SSML, lexicons, the Amazigh front end. Knows nothing of audio.
        .target(name: "QariText"),
        // Audio out: the WAV, Ogg Opus and MP3 encoders, the resampler and Ogg pages. Knows nothing of speech.
        .target(
            name: "QariAudio",
            dependencies: ["COpus", "CLame"],
            // Optimised in debug builds too: the Opus path's resampler and Ogg pages run per sample, and unoptimised
            // they made the tests' readings ten times slower than the speech (a phone test timed out on it).
            swiftSettings: [.unsafeFlags(["-O"], .when(configuration: .debug))]
        ),
        // Child processes, framing and the pool: knows no speech and no pages.
        .target(
            name: "QariWorkers",
            dependencies: [
                "CSpawn",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .target(name: "QariPage", dependencies: ["CGumbo", "QariText"]),
        .target(
            name: "QariSpeech",
            dependencies: [
                "CEspeakNG", "QariText", "QariWorkers",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // Page jobs and their workers, page plans, and speaking them: used by the CLI and the daemon.
        .target(
            name: "QariReading",
            dependencies: [
                "CCrypto", "QariAudio", "QariPage", "QariSpeech", "QariText", "QariWorkers",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "GRDB", package: "GRDB.swift"),
            ]
        ),
        .target(
            name: "QariServer",
            dependencies: [
                "QariAudio", "QariReading", "QariSpeech", "QariPage", "QariText", "QariWorkers",
                .product(name: "Configuration", package: "swift-configuration"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
            ]
        ),
        .executableTarget(
            name: "qari",
            dependencies: [
                "QariServer", "QariReading", "QariAudio", "QariSpeech", "QariPage", "QariText", "QariWorkers",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Configuration", package: "swift-configuration"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .target(
            name: "QariTestSupport", dependencies: ["QariSpeech", "QariText", "QariWorkers"],
            path: "Tests/QariTestSupport"),
        .testTarget(name: "QariWorkersTests", dependencies: ["QariWorkers", "QariTestSupport"]),
        .testTarget(name: "QariTextTests", dependencies: ["QariText", "QariTestSupport"]),
        .testTarget(name: "QariAudioTests", dependencies: ["QariAudio", "QariSpeech", "QariText", "QariTestSupport"]),
        .testTarget(
            name: "QariSpeechTests",
            dependencies: ["QariSpeech", "QariAudio", "QariText", "QariWorkers", "QariTestSupport"]),
        .testTarget(
            name: "QariReadingTests",
            dependencies: [
                "QariReading", "QariPage", "QariSpeech", "QariText", "QariWorkers", "QariTestSupport",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "QariServerTests",
            dependencies: [
                "QariServer", "QariReading", "QariPage", "QariSpeech", "QariText", "QariWorkers", "QariTestSupport",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ]
        ),
        .testTarget(name: "QariCLITests", dependencies: ["QariSpeech", "QariText", "QariWorkers", "QariTestSupport"]),
        .testTarget(name: "QariDocsTests"),
        .testTarget(name: "QariPageTests", dependencies: ["QariPage", "QariText", "QariTestSupport"]),
    ],
    swiftLanguageModes: [.v6]
)

// libFuzzer targets (`make fuzz`): only when QARI_FUZZ is set, built with -sanitize=fuzzer,address in .build-fuzz.
if Context.environment["QARI_FUZZ"] != nil {
    let fuzzTargets: [(String, [Target.Dependency])] = [
        ("FuzzPage", ["QariPage"]), ("FuzzCSS", ["QariPage"]), ("FuzzSSML", ["QariText"]),
        ("FuzzNormalizer", ["QariText"]), ("FuzzAmazigh", ["QariText"]), ("FuzzFrames", ["QariWorkers"]),
    ]
    package.targets.append(.target(name: "FuzzDriver", path: "Fuzz/FuzzDriver"))
    for (name, dependencies) in fuzzTargets {
        package.targets.append(
            .executableTarget(name: name, dependencies: dependencies + ["FuzzDriver"], path: "Fuzz/" + name))
    }
}
