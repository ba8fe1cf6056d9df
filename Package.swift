// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "Qari",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "qari", targets: ["qari"])
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CEspeakNG",
            pkgConfig: "espeak-ng",
            providers: [.apt(["libespeak-ng-dev"])]
        ),
        .systemLibrary(
            name: "COpusEnc",
            pkgConfig: "libopusenc",
            providers: [.apt(["libopusenc-dev"])]
        ),
        .systemLibrary(
            name: "CLame",
            pkgConfig: "lame",
            providers: [.apt(["libmp3lame-dev"])]
        ),
        .systemLibrary(
            name: "CGumbo",
            pkgConfig: "gumbo",
            providers: [.apt(["libgumbo-dev"])]
        ),
        .target(name: "QariPage", dependencies: ["CGumbo"]),
        .target(
            name: "QariSpeech",
            dependencies: [
                "CEspeakNG", "COpusEnc", "CLame",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .target(
            name: "QariServer",
            dependencies: [
                "QariSpeech", "QariPage",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .executableTarget(
            name: "qari",
            dependencies: [
                "QariServer", "QariSpeech", "QariPage",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .target(name: "QariTestSupport", dependencies: ["QariSpeech"], path: "Tests/QariTestSupport"),
        .testTarget(name: "QariSpeechTests", dependencies: ["QariSpeech", "QariTestSupport"]),
        .testTarget(
            name: "QariServerTests",
            dependencies: [
                "QariServer", "QariTestSupport",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ]
        ),
        .testTarget(name: "QariCLITests", dependencies: ["QariSpeech", "QariTestSupport"]),
        .testTarget(name: "QariPageTests", dependencies: ["QariPage", "QariTestSupport"]),
    ],
    swiftLanguageModes: [.v6]
)
