/// The progress of a long import on standard error, only when it is a
/// terminal (a redirected run stays quiet): "Creating users 120/1000".
struct ImportProgress {
    var context: CLIContext
    var label: String
    var total: Int
    private var lastShown = -1

    init(context: CLIContext, label: String, total: Int) {
        self.context = context
        self.label = label
        self.total = total
    }

    mutating func update(_ done: Int) {
        guard context.showsProgress else { return }
        let percent = total == 0 ? 100 : done * 100 / total
        guard percent != lastShown || done == total else { return }
        lastShown = percent
        context.errorOutput.write("\r\(label) \(done)/\(total) (\(percent)%)")
    }

    func finish() {
        guard context.showsProgress else { return }
        context.errorOutput.write("\n")
    }
}
