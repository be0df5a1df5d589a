extension AttributeTypeRegistry {
    /// A DN string with each RDN's attribute type written by its canonical name
    /// (`0.9.2342.19200300.100.1.1=X,OU=people` → `uid=X,ou=people`), values kept byte for
    /// byte (RFC 4514 §2.3: a type may be a descr or a numericoid; §3: escapes are
    /// left untouched). Types the directory does not know are kept as written.
    public func canonicalDN(_ dn: String) -> String {
        var output: [UInt8] = []
        output.reserveCapacity(dn.utf8.count)
        var type: [UInt8] = []
        var inValue = false
        var bytes = Array(dn.utf8)[...]
        func flushType() {
            let trimmed = type.drop { $0 == 0x20 }.reversed().drop { $0 == 0x20 }.reversed()
            let spelling = String(decoding: trimmed, as: UTF8.self)
            if let known = self.type(named: spelling) {
                output.append(contentsOf: known.canonicalName.utf8)
            } else {
                output.append(contentsOf: type)
            }
            type.removeAll(keepingCapacity: true)
        }
        while let byte = bytes.popFirst() {
            if !inValue {
                if byte == UInt8(ascii: "=") {
                    flushType()
                    output.append(byte)
                    inValue = true
                } else {
                    type.append(byte)
                }
                continue
            }
            output.append(byte)
            switch byte {
            case UInt8(ascii: "\\"):
                if let escaped = bytes.popFirst() { output.append(escaped) }
            case UInt8(ascii: ","), UInt8(ascii: ";"), UInt8(ascii: "+"):
                inValue = false
            default:
                break
            }
        }
        output.append(contentsOf: type)
        return String(decoding: output, as: UTF8.self)
    }
}
