public import Foundation

/// What one run of the `Reconciler` did, for an operator (`annuaire status`):
/// a whole full pass (every convention) or a run over what fell due, when
/// it ended, how many entries it changed, and its error if it failed.
public struct ReconcilerRun: Codable, Sendable, Equatable {
    public enum Kind: String, Codable, Sendable {
        case fullPass = "full-pass"
        case due
    }

    public var kind: Kind
    public var finishedAt: Date
    public var changedEntries: Int
    public var error: String?

    public init(kind: Kind, finishedAt: Date, changedEntries: Int, error: String? = nil) {
        self.kind = kind
        self.finishedAt = finishedAt
        self.changedEntries = changedEntries
        self.error = error
    }
}
