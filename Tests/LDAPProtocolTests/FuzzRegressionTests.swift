import Foundation
import LDAPProtocol
import SwiftASN1
import Testing

/// The libFuzzer targets of Fuzz/ (see Fuzz/README.md), replayed on their seed
/// corpus (Fixtures/fuzz-corpus/<target>/) so that `make test` exercises the
/// same code paths, with the same properties, as the fuzzers; plus the inputs
/// the fuzzers found, as regression vectors.
@Suite("Fuzz regression")
struct FuzzRegressionTests {
    static let corpusRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // LDAPProtocolTests
        .deletingLastPathComponent()  // Tests
        .deletingLastPathComponent()  // the package
        .appendingPathComponent("Fixtures/fuzz-corpus")

    static func seeds(_ target: String) throws -> [(name: String, bytes: [UInt8])] {
        let folder = corpusRoot.appendingPathComponent(target)
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
        return try names.map { name in
            (name, Array(try Data(contentsOf: folder.appendingPathComponent(name))))
        }
    }

    // MARK: - The fuzz targets' code paths, with #expect where they trap

    /// Fuzz/Sources/FuzzPDU: frame the stream, decode each PDU, re-encode what
    /// decodes (but the requests the codec does not encode) and decode again.
    /// Returns the messages that decoded.
    @discardableResult
    static func pduTarget(_ bytes: [UInt8]) -> [LDAPMessage] {
        var decoded: [LDAPMessage] = []
        var stream = bytes[...]
        while !stream.isEmpty {
            guard case .complete(let length)? = try? PDUFramer.frame(stream, maximumPDUSize: 1 << 20) else { break }
            let pdu = stream.prefix(length)
            stream = stream.dropFirst(length)
            guard let message = try? LDAPMessage(berEncoded: pdu) else { continue }
            decoded.append(message)
            switch message.operation {
            case .modifyRequest, .addRequest, .modifyDNRequest, .compareRequest: continue
            default: break
            }
            let encoded = try? message.serializedBytes()
            #expect(encoded != nil, "a decoded message does not re-encode: \(message)")
            guard let encoded else { continue }
            let again = try? LDAPMessage(berEncoded: encoded[...])
            #expect(again == message, "round trip changed \(message)")
            #expect((try? again?.serializedBytes()) == encoded, "re-encoding is not stable")
        }
        return decoded
    }

    /// Fuzz/Sources/FuzzFilter: one BER Filter element, RFC 4515 rendering, DER round trip.
    @discardableResult
    static func filterTarget(_ bytes: [UInt8]) -> SearchFilter? {
        guard let node = try? BER.parse(bytes), let filter = try? SearchFilter(node: node) else { return nil }
        _ = try? filter.rfc4515String()
        var coder = DER.Serializer()
        #expect(throws: Never.self, "a decoded filter does not re-encode: \(filter)") { try filter.serialize(into: &coder) }
        #expect((try? SearchFilter(node: try BER.parse(coder.serializedBytes))) == filter, "round trip changed \(filter)")
        return filter
    }

    /// Fuzz/Sources/FuzzDN: the bytes as a UTF-8 string, parsed as a DN.
    @discardableResult
    static func dnTarget(_ bytes: [UInt8]) -> DistinguishedName? {
        let string = String(decoding: bytes, as: UTF8.self)
        guard let dn = try? DistinguishedName(string) else { return nil }
        _ = dn.description
        #expect(dn.isWithin(dn) && !dn.isBelow(dn))
        let parentString = dn.rdns.dropFirst().map { $0.map { "\($0.type)=x" }.joined(separator: "+") }.joined(separator: ",")
        if let parent = try? DistinguishedName(parentString) { _ = dn.isBelow(parent) }
        return dn
    }

    /// Fuzz/Sources/FuzzControls: first byte = decoder (low 2 bits) and "value
    /// absent" (bit 2); the rest is the value. Returns whether it decoded.
    @discardableResult
    static func controlsTarget(_ bytes: [UInt8]) -> Bool {
        guard let selector = bytes.first else { return false }
        let value = Array(bytes.dropFirst())
        let optional: [UInt8]? = selector & 0x04 != 0 ? nil : value
        switch selector & 0x03 {
        case 0:
            guard let paged = try? PagedResultsControl(LDAPControl(oid: PagedResultsControl.oid, value: optional)) else { return false }
            #expect((try? PagedResultsControl(paged.control())) == paged)
        case 1:
            guard let request = try? PasswordModifyRequest(value: optional) else { return false }
            #expect((try? PasswordModifyRequest(value: request.encoded())) == request)
        case 2:
            guard let cancel = try? CancelRequest(value: optional) else { return false }
            #expect((try? CancelRequest(value: cancel.encoded())) == cancel)
        default:
            guard let entry = try? ReadEntryControl.entry(from: value) else { return false }
            #expect((try? ReadEntryControl.entry(from: try ReadEntryControl.encode(entry))) == entry)
        }
        return true
    }

    /// Fuzz/Sources/FuzzLDIF: the bytes as UTF-8 text, parsed as LDIF.
    @discardableResult
    static func ldifTarget(_ bytes: [UInt8]) -> [LDIFRecord]? {
        try? LDIFParser.parse(String(decoding: bytes, as: UTF8.self))
    }

    // MARK: - The seed corpus through each target

    @Test("pdu seeds: every captured PDU decodes and round-trips")
    func pduSeeds() throws {
        let seeds = try Self.seeds("pdu")
        #expect(seeds.count >= 17)
        for seed in seeds {
            let messages = Self.pduTarget(seed.bytes)
            #expect(!messages.isEmpty, "\(seed.name) does not decode")
        }
    }

    @Test("filter seeds: decode, render as RFC 4515 and round-trip")
    func filterSeeds() throws {
        let seeds = try Self.seeds("filter")
        #expect(!seeds.isEmpty)
        for seed in seeds {
            let filter = Self.filterTarget(seed.bytes)
            #expect(filter != nil, "\(seed.name) does not decode")
            #expect((try? filter?.rfc4515String()) != nil, "\(seed.name) does not render")
        }
    }

    @Test("dn seeds go through DistinguishedName")
    func dnSeeds() throws {
        let seeds = try Self.seeds("dn")
        #expect(!seeds.isEmpty)
        for seed in seeds { Self.dnTarget(seed.bytes) }
        #expect(Self.dnTarget(Array("uid=XXX0606XX06,ou=people,dc=annuaire,dc=local".utf8))?.rdns.count == 4)
        #expect(Self.dnTarget(Array("cn=\\".utf8)) == nil)
    }

    @Test("control value seeds go through their decoders")
    func controlSeeds() throws {
        let seeds = try Self.seeds("controls")
        #expect(!seeds.isEmpty)
        for seed in seeds { Self.controlsTarget(seed.bytes) }
        for name in ["paged-5", "paged-cookie", "passwd-full", "passwd-empty-seq", "passwd-absent", "cancel-7", "read-entry"] {
            #expect(Self.controlsTarget(try #require(seeds.first { $0.name == name }).bytes), "\(name) does not decode")
        }
        #expect(!Self.controlsTarget(try #require(seeds.first { $0.name == "paged-absent" }).bytes))
    }

    @Test("ldif seeds parse, the demo into its 31 records")
    func ldifSeeds() throws {
        let seeds = try Self.seeds("ldif")
        #expect(!seeds.isEmpty)
        for seed in seeds { Self.ldifTarget(seed.bytes) }
        #expect(Self.ldifTarget(try #require(seeds.first { $0.name == "demo" }).bytes)?.count == 31)
    }
}
