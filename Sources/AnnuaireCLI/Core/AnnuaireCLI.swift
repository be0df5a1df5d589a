public import ArgumentParser
public import Messages

/// The administrators' commands of `annuaire` (issue 6): groups, users,
/// memberships, conventions, history (R11), dashboards, usage rules (R10),
/// and the operator's catalogue and accounts, over LDAP to the server so that every rule
/// (R1–R8) and every authorisation check applies. The executable registers
/// `AnnuaireCLI.commands` next to `serve`.
public enum AnnuaireCLI {
    public static let commands: [any ParsableCommand.Type] = [
        GroupCommand.self, UserCommand.self, MembershipCommand.self, ConventionCommand.self,
        HistoryCommand.self, DashboardCommand.self, RulesCommand.self, HelpDeskCommand.self,
        PartnerTypeCommand.self, PartnerCommand.self, ServiceCommand.self, OperatorCommand.self, AdministratorCommand.self,
        ApplicationCommand.self,
    ]

    /// The root command's one-line description, in the run's language.
    public static var rootAbstract: String { CLIContext.texts.text(.helpRoot) }

    /// The one-line descriptions of the server's own commands, in the run's language.
    public enum ServerCommand: Sendable {
        case serve, portal, backup, restore, status
    }

    /// The one-line description of `command` (`annuaire --help` lists them with the others).
    public static func abstract(of command: ServerCommand) -> String {
        let texts = CLIContext.texts
        return switch command {
        case .serve: texts.text(.helpServe)
        case .portal: texts.text(.helpPortal)
        case .backup: texts.text(.helpBackup)
        case .restore: texts.text(.helpRestore)
        case .status: texts.text(.helpStatus)
        }
    }

    /// A text of the message catalogue in the run's language (`ANNUAIRE_LANG`, else
    /// `LC_ALL`, `LC_MESSAGES`, `LANG`; French by default): the server commands take their
    /// option help and discussions from it, read when ArgumentParser builds their help.
    public static func text(_ message: Message) -> String { CLIContext.texts.text(message) }

    /// Common help text: connection settings and exit codes, in the run's language.
    static var commonDiscussion: String {
        let texts = CLIContext.texts
        return texts.text(.helpCommonConnection) + "\n\n" + texts.text(.helpExitCodes)
    }
}
