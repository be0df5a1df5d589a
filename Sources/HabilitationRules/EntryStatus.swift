/// R7: the derived status Annuaire stores in `annStatus` on conventions,
/// groups, memberships and users, from their open and close dates
/// (`Validity.status(at:)`).
public enum EntryStatus: String, Sendable, CaseIterable {
    /// In force: opened, not closed.
    case open
    /// Not yet in force: its open date is to come.
    case pending
    /// No longer in force: its close date has come.
    case closed
}
