import Crypto
import Foundation

/// The secret of a password recovery link (R6): 256 bits from the system
/// CSPRNG, written base64url (43 characters) into the link's fragment and the
/// mail. The directory keeps only its SHA-256 (`annRecoveryTokenHash`, hex)
/// and its end of validity (`annRecoveryExpiry`) on the person's entry, so
/// that every front-end on the directory can complete a recovery another one
/// started, and a copy of the data folder does not open anyone's account.
public struct RecoveryToken: Sendable {
    /// The attribute holding the token's SHA-256 (lower-case hex; single, on the person).
    public static let hashAttribute = AttributeName.recoveryTokenHash
    /// The attribute holding when the token stops being good (GeneralizedTime; single, on the person).
    public static let expiryAttribute = AttributeName.recoveryExpiry

    /// The token as mailed.
    public let text: String

    /// A fresh token from the system CSPRNG.
    public static func generate() -> RecoveryToken {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }
        let text = Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
        return RecoveryToken(text: text)
    }

    /// What the directory stores for it.
    public var hash: String { Self.hash(Array(text.utf8)) }

    /// The stored form of a token as a client sent it (surrounding spaces and line breaks of a pasted
    /// code dropped); nil when it cannot be one of ours, which then matches nothing.
    public static func hash(ofSubmitted token: [UInt8]) -> String? {
        let trimmed = token.drop { Self.isSpace($0) }.reversed().drop { Self.isSpace($0) }.reversed()
        guard trimmed.count == 43, trimmed.allSatisfy(Self.isBase64URL) else { return nil }
        return hash(Array(trimmed))
    }

    static func hash(_ bytes: [UInt8]) -> String {
        SHA256.hash(data: bytes).map { byte in
            let hex = String(byte, radix: 16)
            return byte < 16 ? "0" + hex : hex
        }.joined()
    }

    private static func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D }

    private static func isBase64URL(_ byte: UInt8) -> Bool {
        (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte) || (0x30...0x39).contains(byte) || byte == 0x2D || byte == 0x5F
    }
}
