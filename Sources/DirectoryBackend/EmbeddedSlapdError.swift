/// Why the embedded slapd could not be prepared, started or kept running:
/// a sentence for the person at the terminal, saying what to do.
public struct EmbeddedSlapdError: Error, CustomStringConvertible, Sendable {
    public var description: String
    public init(_ description: String) { self.description = description }
}
