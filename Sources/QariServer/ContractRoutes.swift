import Foundation
import Hummingbird

/// `GET /openapi.json`: the API's contract, the repository's `openapi.json` (the source of truth, checked against
/// the running daemon by schemathesis in `make test`).
struct ContractRoutes: Sendable {
    let document: [UInt8]?

    init(path: String?) {
        document = path.flatMap { FileManager.default.contents(atPath: $0) }.map { Array($0) }
    }

    func add(to groups: RouteGroups) {
        guard let document else { return }
        groups.on(.openAPI) { _, _ in
            Response(
                status: .ok, headers: [.contentType: "application/json", .cacheControl: "public, max-age=300"],
                body: .init(byteBuffer: ByteBuffer(bytes: document)))
        }
    }
}
