import CCrypto
import Foundation

/// SHA-256, for content addresses that no one can forge a collision of.
public enum ContentHash {
    /// The lower-case hex SHA-256 of `bytes`.
    public static func sha256(_ bytes: [UInt8]) -> String {
        var digest = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        let ok = bytes.withUnsafeBytes { EVP_Digest($0.baseAddress, $0.count, &digest, &length, EVP_sha256(), nil) }
        precondition(ok == 1 && length == 32, "libcrypto's SHA-256 failed")
        return digest[0..<32].map { String(format: "%02x", $0) }.joined()
    }
}
