/// The cost of slapd's `{ARGON2}` password hash (RFC 9106; slapd's argon2
/// module, slappw-argon2(5)): memory in KiB, iterations, lanes. They apply to
/// hashes made from now on; every stored hash keeps the parameters it was
/// made with, so changing them never locks anyone out (R6: slapd hashes).
///
/// The default, m=19456 (19 MiB), t=2, p=1, is the OWASP Password Storage
/// Cheat Sheet's baseline for Argon2. Measured here with slappasswd: one hash
/// costs about 3.6 times slapd's own default (m=4096, t=3, p=1), and the bind
/// rate falls in proportion (Benchmarks/README.md); choose slapd's default with
/// `--argon2 m=4096,t=3,p=1` where bind rate matters more than resistance to
/// offline guessing, or raise m where it matters less.
public struct Argon2Parameters: Sendable, Hashable, CustomStringConvertible {
    public var memoryKiB: Int
    public var iterations: Int
    public var parallelism: Int

    public static let `default` = Argon2Parameters(memoryKiB: 19456, iterations: 2, parallelism: 1)

    public init(memoryKiB: Int, iterations: Int, parallelism: Int) {
        self.memoryKiB = memoryKiB
        self.iterations = iterations
        self.parallelism = parallelism
    }

    /// Parses `m=19456,t=2,p=1` (any order; a missing one keeps the default).
    public init(parsing text: String) throws {
        var parameters = Self.default
        for part in text.split(whereSeparator: { $0 == "," || $0 == " " }) where !part.isEmpty {
            let pair = part.split(separator: "=", maxSplits: 1)
            guard pair.count == 2, let value = Int(pair[1]), value > 0 else {
                throw EmbeddedSlapdError("argon2 parameters: \(part) is not key=positive-number; write them as m=19456,t=2,p=1")
            }
            switch pair[0] {
            case "m": parameters.memoryKiB = value
            case "t": parameters.iterations = value
            case "p": parameters.parallelism = value
            default: throw EmbeddedSlapdError("argon2 parameters: unknown key \(pair[0]) (m is memory in KiB, t iterations, p lanes)")
            }
        }
        try parameters.validate()
        self = parameters
    }

    /// RFC 9106 §3.1's bounds, and a ceiling that keeps a bind from eating the machine's memory.
    public func validate() throws {
        guard (1...16).contains(parallelism) else {
            throw EmbeddedSlapdError("argon2 parameters: p=\(parallelism): use 1 to 16 lanes")
        }
        guard memoryKiB >= 8 * parallelism, memoryKiB <= 4 * 1024 * 1024 else {
            throw EmbeddedSlapdError("argon2 parameters: m=\(memoryKiB): use at least 8 KiB per lane (\(8 * parallelism)) and at most 4 GiB (4194304)")
        }
        guard (1...100).contains(iterations) else {
            throw EmbeddedSlapdError("argon2 parameters: t=\(iterations): use 1 to 100 iterations")
        }
    }

    /// The arguments of slapd's `moduleload argon2`.
    public var moduleArguments: String { "m=\(memoryKiB) t=\(iterations) p=\(parallelism)" }

    /// As in a stored hash: `m=19456,t=2,p=1`.
    public var description: String { "m=\(memoryKiB),t=\(iterations),p=\(parallelism)" }
}
